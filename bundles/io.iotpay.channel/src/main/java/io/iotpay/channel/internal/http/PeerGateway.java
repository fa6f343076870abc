package io.iotpay.channel.internal.http;

import java.util.List;
import java.util.Optional;

import io.iotpay.api.channel.SessionId;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.SignedMessage;

/** What the peer servlet needs from the provider side of the engine (an internal service of this bundle). */
public interface PeerGateway {

    /** The codec (encoding replies). */
    MessageCodec codec();

    /** A published offer as signed OFFER message. */
    Optional<SignedMessage> signedOffer(String offerId);

    /** Every published offer. */
    List<SignedMessage> signedOffers();

    /**
     * Handles one consumer message (raw JSON) and returns the provider's replies; refusals are signed ERROR replies.
     *
     * @throws io.iotpay.api.channel.ProtocolException if this node cannot answer at all (publishes no offers)
     * @throws IllegalStateException if chain work the message needs cannot be done now (no connector)
     */
    List<SignedMessage> handle(byte[] json);

    /**
     * Like {@link #handle(byte[])}, with the consumer's certificate header ({@code X-IOTPAY-Certificate}, may be
     * null) for peer trust; a consumer that is not trusted gets a signed ERROR (PEER_UNTRUSTED).
     */
    default List<SignedMessage> handle(byte[] json, String certificateHeader) {
        return handle(json);
    }

    /**
     * The mutual-TLS peer endpoint when this node takes peer requests over mutual TLS only (configuration
     * {@code peerTlsPort}); empty: plain HTTP (the default).
     */
    default Optional<java.net.URI> tlsEndpoint() {
        return Optional.empty();
    }

    /**
     * Provider messages of a session with a sequence number above {@code after}; acknowledges (drops) the others.
     *
     * @throws io.iotpay.api.channel.ProtocolException UNKNOWN_SESSION
     */
    List<SignedMessage> outbox(SessionId session, long after);

    /**
     * Like {@link #outbox(SessionId, long)} for a reader identified by its verified mutual-TLS certificate chain
     * (base64 of PEM): only the session's consumer may read (and acknowledge) its messages.
     *
     * @throws io.iotpay.api.channel.ProtocolException UNKNOWN_SESSION, or PEER_UNTRUSTED if the certificate names
     *         another account than the session's consumer
     */
    default List<SignedMessage> outbox(SessionId session, long after, String tlsCertificateChain) {
        return outbox(session, after);
    }

    /**
     * Answers a request for a resource sold per request: 402 with the offer without (or with an unacceptable)
     * voucher header, the content once the voucher pays for this request.
     *
     * @param offerId the offer of the resource
     * @param voucherHeader the {@code X-IOTPAY-Voucher} header, or null
     * @param certificateHeader the consumer's certificate chain ({@code X-IOTPAY-Certificate} header, or the verified
     *        TLS client chain), or null; peer trust by certificate requires it for every paid request
     */
    HttpReply paid(String offerId, String voucherHeader, String certificateHeader);
}
