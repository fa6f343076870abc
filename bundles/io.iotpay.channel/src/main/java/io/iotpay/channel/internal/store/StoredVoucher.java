package io.iotpay.channel.internal.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.wallet.Signature;

/**
 * Latest voucher of a channel: for the provider the latest valid voucher received, for the consumer the latest one
 * it signed.
 */
public record StoredVoucher(ChannelId channel, SessionRole role, BigInteger cumulative, Signature signature,
        Instant at) {

    public StoredVoucher {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(cumulative, "cumulative");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(at, "at");
        at = Instant.ofEpochMilli(at.toEpochMilli());
        if (cumulative.signum() < 0 || cumulative.bitLength() > 256) {
            throw new IllegalArgumentException("voucher cumulative " + cumulative + " is outside uint256");
        }
    }
}
