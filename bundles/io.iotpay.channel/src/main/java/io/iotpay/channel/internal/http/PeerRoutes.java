package io.iotpay.channel.internal.http;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionId;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.SignedMessage;

/**
 * The provider's HTTP binding of the peer protocol (docs/protocol.md, "HTTP binding"), below {@code /iotpay/peer}:
 * <ul>
 * <li>{@code GET /offers}: every published offer, a JSON array of signed OFFER messages;</li>
 * <li>{@code GET /offers/<offerId>}: one signed OFFER message;</li>
 * <li>{@code POST /messages}: one consumer message; answer 200 with the array of the provider's replies (a refusal
 * is a signed ERROR in that array);</li>
 * <li>{@code GET /outbox/<sessionId>?after=<seq>}: the provider's messages of a session above {@code seq} (receipts,
 * pauses, ...); older ones are dropped as acknowledged.</li>
 * </ul>
 */
public final class PeerRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(PeerRoutes.class);

    private final PeerGateway gateway;

    public PeerRoutes(PeerGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * @param method HTTP method
     * @param path path below the servlet pattern, e.g. {@code /offers/offer-1}
     * @param query raw query string or null
     * @param body request body (POST), else empty
     */
    public HttpReply handle(String method, String path, String query, byte[] body) {
        return handle(method, path, query, body, null);
    }

    /**
     * @param method HTTP method
     * @param path path below the servlet pattern, e.g. {@code /offers/offer-1}
     * @param query raw query string or null
     * @param body request body (POST), else empty
     * @param certificateHeader the consumer's {@code X-IOTPAY-Certificate} header, or null
     */
    public HttpReply handle(String method, String path, String query, byte[] body, String certificateHeader) {
        return handle(method, path, query, body, certificateHeader, false);
    }

    /**
     * @param method HTTP method
     * @param path path below the servlet pattern, e.g. {@code /offers/offer-1}
     * @param query raw query string or null
     * @param body request body (POST), else empty
     * @param certificateHeader the consumer's certificate chain (base64 of PEM): the {@code X-IOTPAY-Certificate}
     *        header over plain HTTP, the verified TLS client chain over mutual TLS; or null
     * @param overTls whether the request came through the mutual-TLS listener; a node that takes peer requests over
     *        mutual TLS only ({@link PeerGateway#tlsEndpoint()}) refuses the others with 403 and names its endpoint
     */
    public HttpReply handle(String method, String path, String query, byte[] body, String certificateHeader,
            boolean overTls) {
        String p = path == null ? "" : path;
        Optional<java.net.URI> tls = gateway.tlsEndpoint();
        if (!overTls && tls.isPresent()) {
            return HttpReply.problem(403, ErrorCode.PEER_UNTRUSTED.name(), "this node takes peer requests over "
                    + "mutual TLS only: " + tls.get());
        }
        MessageCodec codec = gateway.codec();
        try {
            if ("GET".equals(method) && ("/offers".equals(p) || "/offers/".equals(p))) {
                return HttpReply.json(200, MessageLists.encode(codec, gateway.signedOffers()));
            }
            if ("GET".equals(method) && p.startsWith("/offers/")) {
                Optional<SignedMessage> m = gateway.signedOffer(p.substring("/offers/".length()));
                return m.map(x -> HttpReply.json(200, codec.encode(x)))
                        .orElseGet(() -> HttpReply.problem(404, "UNKNOWN_OFFER", "no such offer"));
            }
            if ("POST".equals(method) && "/messages".equals(p)) {
                if (body.length > MessageCodec.MAX_BYTES) {
                    return HttpReply.problem(413, ErrorCode.MALFORMED.name(), "message larger than "
                            + MessageCodec.MAX_BYTES + " bytes");
                }
                List<SignedMessage> replies = gateway.handle(body, certificateHeader);
                return HttpReply.json(200, MessageLists.encode(codec, replies));
            }
            if ("GET".equals(method) && p.startsWith("/outbox/")) {
                SessionId id = new SessionId(p.substring("/outbox/".length()));
                List<SignedMessage> out = overTls ? gateway.outbox(id, after(query), certificateHeader)
                        : gateway.outbox(id, after(query));
                return HttpReply.json(200, MessageLists.encode(codec, out));
            }
            return HttpReply.problem(404, "NOT_FOUND", "no route " + method + " " + p);
        } catch (ProtocolException e) {
            int status = e.code() == ErrorCode.UNKNOWN_SESSION ? 404 : e.code() == ErrorCode.PEER_UNTRUSTED ? 403 : 400;
            return HttpReply.problem(status, e.code().name(), e.getMessage());
        } catch (IllegalArgumentException e) {
            return HttpReply.problem(400, ErrorCode.MALFORMED.name(), e.getMessage());
        } catch (IllegalStateException e) {
            return HttpReply.problem(503, "UNAVAILABLE", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Peer request {} {} failed", method, p, e);
            return HttpReply.problem(500, "INTERNAL", "internal error");
        }
    }

    /**
     * A pay-per-request resource ({@code /iotpay/paid/<offerId>}, {@link PaidServlet}) reached over mutual TLS: the
     * verified TLS client chain is the consumer's certificate.
     */
    public HttpReply paid(String pathInfo, String voucherHeader, String tlsCertificateChain) {
        return PaidServlet.route(gateway, pathInfo, voucherHeader, tlsCertificateChain);
    }

    private static long after(String query) {
        if (query == null) {
            return 0;
        }
        for (String kv : query.split("&")) {
            if (kv.startsWith("after=")) {
                try {
                    return Math.max(0, Long.parseLong(kv.substring(6)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("query after=" + kv.substring(6) + " is not a number");
                }
            }
        }
        return 0;
    }
}
