package io.iotpay.channel.internal.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionState;

/**
 * Durable session state. {@code offerJson} is the provider's signed OFFER message (canonical JSON), so the offer can
 * be re-verified after a restart; {@code peer} is the other side's message key; {@code meter} the device counter at
 * the last reading (provider; the consumer stores 0); {@code ourSeq} is the highest sequence number this side has
 * used (it is stored before a message with it leaves), {@code peerSeq} the last accepted one from the peer;
 * {@code lastOut} the canonical JSON of the last message this side signed ("" if none), re-sent after a restart
 * because a crash may have happened between storing and sending it (a duplicate is refused as REPLAYED).
 */
public record SessionRecord(SessionId id, SessionRole role, ChannelId channel, String offerJson, AccountId peer,
        SessionState state, BigInteger delivered, BigInteger base, BigInteger meter, long ourSeq, long peerSeq,
        String lastOut, Instant updatedAt) {

    public SessionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(offerJson, "offerJson");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(lastOut, "lastOut");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(delivered, "delivered");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(updatedAt, "updatedAt");
        updatedAt = Instant.ofEpochMilli(updatedAt.toEpochMilli());
    }
}
