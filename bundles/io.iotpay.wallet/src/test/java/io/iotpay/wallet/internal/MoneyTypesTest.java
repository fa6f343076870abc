package io.iotpay.wallet.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.wallet.internal.eip712.Eip712;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which typed data the wallet signs as plain EIP-712, and which must go through the spending policy. */
class MoneyTypesTest {

    private static Eip712.TypedData typed(String domainName, String primaryType) {
        return new Eip712.TypedData(Map.of(primaryType, List.of(new Eip712.Field("x", "uint256"))), primaryType,
                Map.of("name", domainName, "version", "1"), Map.of("x", 1));
    }

    @Test
    void iotpayIntentsThatMoveNoMoneyMayBeSignedAsTypedData() {
        assertFalse(WalletService.isMoneyType(typed("IOTPAY", "CloseIntent")));
        assertFalse(WalletService.isMoneyType(typed("IOTPAY", "OwnershipTransfer")));
    }

    @Test
    void vouchersAndUnknownIotpayTypesAndForeignPaymentAuthorisationsAreMoney() {
        assertTrue(WalletService.isMoneyType(typed("IOTPAY", "Voucher")));
        assertTrue(WalletService.isMoneyType(typed("IOTPAY", "SomethingNew")));
        assertTrue(WalletService.isMoneyType(typed("USD Coin", "TransferWithAuthorization")));
        assertTrue(WalletService.isMoneyType(typed("Permit2", "PermitSingle")));
        assertFalse(WalletService.isMoneyType(typed("Ether Mail", "Mail")));
    }
}
