package io.iotpay.channel.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionId;
import io.iotpay.channel.internal.http.HttpReply;
import io.iotpay.channel.internal.http.PeerGateway;
import io.iotpay.channel.internal.http.PeerRoutes;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.SignedMessage;

/** HTTP status mapping of the peer routes (the protocol itself is exercised over real HTTP in TwoNodesOnAnvilTest). */
class PeerRoutesTest {

    private final MessageCodec codec = new MessageCodec();
    private long lastAfter = -1;

    private final PeerGateway gateway = new PeerGateway() {
        @Override
        public MessageCodec codec() {
            return codec;
        }

        @Override
        public Optional<SignedMessage> signedOffer(String offerId) {
            return Optional.empty();
        }

        @Override
        public List<SignedMessage> signedOffers() {
            return List.of();
        }

        @Override
        public List<SignedMessage> handle(byte[] json) {
            throw new IllegalStateException("no chain connector for eip155:31337");
        }

        @Override
        public List<SignedMessage> outbox(SessionId session, long after) {
            lastAfter = after;
            if (session.value().equals("unknown-1")) {
                throw new ProtocolException(ErrorCode.UNKNOWN_SESSION, "no session " + session);
            }
            return List.of();
        }

        @Override
        public HttpReply paid(String offerId, String voucherHeader, String certificateHeader) {
            throw new UnsupportedOperationException();
        }
    };

    private final PeerRoutes routes = new PeerRoutes(gateway);

    private static String body(HttpReply r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void routesAnswerWithTheRightStatus() {
        assertEquals("[]", body(routes.handle("GET", "/offers", null, new byte[0])));
        assertEquals(404, routes.handle("GET", "/offers/offer-x", null, new byte[0]).status());
        assertEquals(200, routes.handle("GET", "/outbox/session-1", "after=7", new byte[0]).status());
        assertEquals(7, lastAfter, "the consumer's acknowledged sequence number reaches the outbox");
        HttpReply unknown = routes.handle("GET", "/outbox/unknown-1", null, new byte[0]);
        assertEquals(404, unknown.status());
        assertTrue(body(unknown).contains("UNKNOWN_SESSION"));
        assertEquals(400, routes.handle("GET", "/outbox/bad id!", null, new byte[0]).status());
        assertEquals(400, routes.handle("GET", "/outbox/session-1", "after=x", new byte[0]).status());
        assertEquals(413, routes.handle("POST", "/messages", null, new byte[MessageCodec.MAX_BYTES + 1]).status());
        HttpReply noChain = routes.handle("POST", "/messages", null, "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(503, noChain.status(), "chain work that cannot be done now is a 503, not a refusal");
        assertEquals(404, routes.handle("DELETE", "/messages", null, new byte[0]).status());
    }
}
