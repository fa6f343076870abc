package io.iotpay.channel.internal.engine;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.SettlementScheme;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.money.Amount;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;
import io.iotpay.channel.internal.protocol.Secp256k1;

/** Checks that a voucher signature was made by the channel's payer. */
@FunctionalInterface
public interface VoucherVerifier {

    /** @throws ProtocolException BAD_SIGNATURE if the signature is not the payer's over the voucher */
    void verify(ChannelId channel, Amount cumulative, Signature signature, AccountId payer);

    /**
     * Verifier through the settlement scheme's digest (EIP-712 on EVM) and signer recovery. For an EVM payer with a
     * recoverable secp256k1 signature the signer is recovered here, with libsecp256k1 when it loads
     * ({@link Secp256k1#recoverAddress}: low-s, r/s/v in range; the address is what {@code ecrecover} yields), instead
     * of through the scheme: this is the provider's hot path, and a connector may recover in pure Java.
     */
    static VoucherVerifier of(SettlementScheme scheme) {
        return (channel, cumulative, signature, payer) -> {
            boolean evm = payer.chainId().isEvm() && signature.scheme() == SignatureScheme.SECP256K1_RECOVERABLE;
            if (evm) {
                String recovered;
                try {
                    recovered = Secp256k1.recoverAddress(scheme.voucherDigest(channel, cumulative), signature);
                } catch (IllegalArgumentException e) {
                    throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "voucher signature is invalid: "
                            + e.getMessage());
                }
                if (!recovered.equalsIgnoreCase(payer.address())) {
                    throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "voucher is not signed by the channel payer "
                            + payer);
                }
                return;
            }
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
