package io.iotpay.channel.internal.engine;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.SettlementScheme;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.money.Amount;
import io.iotpay.api.wallet.Signature;

/** Checks that a voucher signature was made by the channel's payer. */
@FunctionalInterface
public interface VoucherVerifier {

    /** @throws ProtocolException BAD_SIGNATURE if the signature is not the payer's over the voucher */
    void verify(ChannelId channel, Amount cumulative, Signature signature, AccountId payer);

    /** Verifier through the settlement scheme's digest (EIP-712 on EVM) and signer recovery. */
    static VoucherVerifier of(SettlementScheme scheme) {
        return (channel, cumulative, signature, payer) -> {
            AccountId signer;
            try {
                signer = scheme.recoverSigner(scheme.voucherDigest(channel, cumulative), signature);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "voucher signature is invalid: " + e.getMessage());
            }
            if (!payer.equals(signer)) {
                throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "voucher is not signed by the channel payer "
                        + payer);
            }
        };
    }
}
