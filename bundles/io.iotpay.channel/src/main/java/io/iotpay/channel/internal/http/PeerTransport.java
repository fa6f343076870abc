package io.iotpay.channel.internal.http;

import java.net.URI;
import java.util.List;

import io.iotpay.api.channel.SessionId;
import io.iotpay.channel.internal.protocol.SignedMessage;

/**
 * The consumer's side of the peer transport (docs/protocol.md, "HTTP binding"). Every method throws
 * {@link io.iotpay.api.channel.ProtocolException} (MALFORMED) if the provider answers something that is not a
 * message list, and {@link java.io.UncheckedIOException} if it cannot be reached.
 */
public interface PeerTransport {

    /** Fetches a provider's signed OFFER (not yet verified). */
    SignedMessage fetchOffer(URI offer);

    /** Posts one message to a provider endpoint and returns its replies (not yet verified). */
    List<SignedMessage> send(URI endpoint, SignedMessage message);

    /** Plain GET of a (paid) resource with extra request headers; any status is returned. */
    HttpReply get(URI resource, java.util.Map<String, String> headers);

    /** Fetches the provider's messages of a session with a sequence number above {@code after}. */
    List<SignedMessage> poll(URI endpoint, SessionId session, long after);
}
