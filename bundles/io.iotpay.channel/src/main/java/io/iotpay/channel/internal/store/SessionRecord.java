package io.iotpay.channel.internal.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionState;

/**
 * Durable session state. {@code offerJson} is the provider's signed OFFER message (canonical JSON), so the offer can
 * be re-verified after a restart.
 */
public record SessionRecord(SessionId id, SessionRole role, ChannelId channel, String offerJson, SessionState state,
        BigInteger delivered, BigInteger base, long ourSeq, long peerSeq, Instant updatedAt) {

    public SessionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(offerJson, "offerJson");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(delivered, "delivered");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(updatedAt, "updatedAt");
        updatedAt = Instant.ofEpochMilli(updatedAt.toEpochMilli());
    }
}
