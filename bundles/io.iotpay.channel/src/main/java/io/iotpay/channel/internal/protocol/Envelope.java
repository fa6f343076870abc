package io.iotpay.channel.internal.protocol;

import java.time.Instant;
import java.util.Objects;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.SessionId;

/**
 * Header of every peer message.
 *
 * @param version protocol version ({@code v})
 * @param type message type, must match the body
 * @param from account of the sender's message-signing (device) key; the signature must recover to it
 * @param session session the message belongs to; null only for {@link MessageType#OFFER} and for errors answering a
 *            message without a readable session
 * @param seq sender's sequence number within the session, 1, 2, 3, ... without gaps (replay and order protection);
 *            0 for session-less messages
 * @param at sender's clock, truncated to milliseconds
 */
public record Envelope(int version, MessageType type, AccountId from, SessionId session, long seq, Instant at) {

    public Envelope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(at, "at");
        at = Instant.ofEpochMilli(at.toEpochMilli());
        if (seq < 0) {
            throw new IllegalArgumentException("seq " + seq + " is negative");
        }
    }
}
