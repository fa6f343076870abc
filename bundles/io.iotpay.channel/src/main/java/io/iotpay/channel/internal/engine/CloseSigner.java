package io.iotpay.channel.internal.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.SettlementScheme;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.money.Amount;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.TypedData;
import io.iotpay.api.wallet.VoucherDomain;
import io.iotpay.api.wallet.Wallet;

/** Payee's signature agreeing to close a channel cooperatively at a final cumulative amount. */
@FunctionalInterface
public interface CloseSigner {

    Signature sign(ChannelId channel, Amount finalCumulative);

    /**
     * EIP-712 {@code CloseIntent(bytes32 channelId,uint256 finalAmount)} in the domain {@code {name: "IOTPAY", version,
     * chainId, verifyingContract}} (IotpayChannels.sol), signed by the payee through the wallet.
     */
    static CloseSigner of(Wallet wallet, AccountId payee, AccountId contract, String domainVersion) {
        return (channel, finalCumulative) -> {
            Map<String, List<TypedData.Field>> types = new LinkedHashMap<>();
            types.put("CloseIntent", List.of(new TypedData.Field("channelId", "bytes32"),
                    new TypedData.Field("finalAmount", "uint256")));
            Map<String, Object> domain = new LinkedHashMap<>();
            domain.put("name", VoucherDomain.DEFAULT_NAME);
            domain.put("version", domainVersion);
            domain.put("chainId", java.math.BigInteger.valueOf(contract.chainId().evmChainId()));
            domain.put("verifyingContract", contract.address());
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("channelId", channel.toHex());
            message.put("finalAmount", finalCumulative.units());
            return wallet.signTypedData(payee, new TypedData(types, "CloseIntent", domain, message));
        };
    }

    /** Checks a payee close signature through the settlement scheme's close digest. */
    static void verify(SettlementScheme scheme, ChannelId channel, Amount finalCumulative, Signature signature,
            AccountId payee) {
        AccountId signer;
        try {
            signer = scheme.recoverSigner(scheme.closeDigest(channel, finalCumulative), signature);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "close signature is invalid: " + e.getMessage());
        }
        if (!payee.equals(signer)) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "close signature is not the payee's " + payee);
        }
    }
}
