package io.iotpay.wallet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iotpay.wallet.internal.WalletService.TypedDataKind;
import io.iotpay.wallet.internal.eip712.Eip712;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which typed data the wallet signs directly, which it refuses, and which needs the owner's approval (allowlist). */
class MoneyTypesTest {

    private static Eip712.TypedData typed(String domainName, String primaryType, Eip712.Field... fields) {
        List<Eip712.Field> f = fields.length == 0 ? List.of(new Eip712.Field("x", "uint256")) : List.of(fields);
        Map<String, Object> message = new java.util.HashMap<>();
        f.forEach(x -> message.put(x.name(), x.type().equals("address") ? "0x" + "00".repeat(20)
                : x.type().equals("bytes32") ? "0x" + "00".repeat(32) : 1));
        return new Eip712.TypedData(Map.of(primaryType, f), primaryType, Map.of("name", domainName, "version", "1"),
                message);
    }

    @Test
    void onlyIotpayIntentsOfTheExactKnownShapeAreSignedDirectly() {
        assertEquals(TypedDataKind.SIGN, WalletService.classify(typed("IOTPAY", "CloseIntent",
                new Eip712.Field("channelId", "bytes32"), new Eip712.Field("finalAmount", "uint256"))));
        assertEquals(TypedDataKind.SIGN, WalletService.classify(typed("IOTPAY", "OwnershipTransfer",
                new Eip712.Field("deviceId", "bytes32"), new Eip712.Field("from", "address"),
                new Eip712.Field("to", "address"), new Eip712.Field("nonce", "uint256"),
                new Eip712.Field("deadline", "uint256"))));
        // the right name with another shape is not the IOTPAY intent
        assertEquals(TypedDataKind.REFUSED, WalletService.classify(typed("IOTPAY", "CloseIntent")));
    }

    @Test
    void iotpayVouchersAndUnknownIotpayTypesAreRefused() {
        assertEquals(TypedDataKind.REFUSED, WalletService.classify(typed("IOTPAY", "Voucher")));
        assertEquals(TypedDataKind.REFUSED, WalletService.classify(typed("IOTPAY", "SomethingNew")));
    }

    @Test
    void everythingForeignNeedsTheOwner() {
        for (String[] t : new String[][] {{"USD Coin", "TransferWithAuthorization"}, {"Permit2", "PermitSingle"},
                {"Permit2", "PermitBatchWitnessTransferFrom"}, {"MinimalForwarder", "ForwardRequest"},
                {"Seaport", "OrderComponents"}, {"Gnosis Protocol", "Order"}, {"x402", "BatchSettlement"},
                {"Ether Mail", "Mail"}, {"Ether Mail", "CloseIntent"}}) {
            assertEquals(TypedDataKind.OWNER_APPROVAL, WalletService.classify(typed(t[0], t[1])), t[0] + "/" + t[1]);
        }
    }
}
