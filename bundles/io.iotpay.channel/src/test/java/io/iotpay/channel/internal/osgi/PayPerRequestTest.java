package io.iotpay.channel.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.Price;
import io.iotpay.channel.internal.engine.PayPerRequestGate;
import io.iotpay.channel.internal.http.HttpPeerClient;
import io.iotpay.channel.internal.http.HttpReply;
import io.iotpay.channel.internal.http.MessageLists;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.Envelope;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.store.StoredVoucher;
import io.iotpay.channel.internal.testing.Eip712Voucher;

/**
 * A forecast bought per request over real HTTP on anvil, through the servlet routing and the core's
 * {@link PayPerRequestGate}: 402 with the signed offer, paid retry, refusals with a signed ERROR, claim on chain.
 */
class PayPerRequestTest {

    private static final Asset ETH = Asset.DEVNET_ETH;

    @TempDir
    Path dir;

    TwoNodes n;
    Offer offer;
    URI resource;
    final MessageCodec codec = new MessageCodec();
    HttpPeerClient http;

    @BeforeEach
    void start() throws Exception {
        n = new TwoNodes(dir, 2000, Duration.ofSeconds(30));
        offer = n.provider.publishOffer("forecast", Price.parse("0.001 ETH/request", ETH), Amount.parse("0", ETH),
                Amount.parse("0.01", ETH));
        resource = URI.create(n.endpoint.toString().replace("/iotpay/peer", "/iotpay/paid/") + offer.offerId());
        http = new HttpPeerClient(codec, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        n.close();
    }

    @Test
    void withoutAVoucherTheAnswerIs402WithTheSignedOffer() {
        HttpReply r = http.get(resource, Map.of());
        assertEquals(402, r.status());
        SignedMessage m = codec.decode(r.body());
        codec.verify(m, null);
        assertEquals(offer, ((Body.OfferBody) m.body()).offer());
        assertEquals(404, http.get(URI.create(resource + "-unknown"), Map.of()).status());
    }

    @Test
    void threePaidRequestsAreServedAndClaimedOnChain() {
        for (int i = 1; i <= 3; i++) {
            ChannelNode.PaidResponse r = n.consumer.buyRequest(resource, n.payer, Amount.parse("0.01", ETH),
                    Price.parse("0.002 ETH/request", ETH));
            assertEquals(200, r.status(), "request " + i + ": " + new String(r.body(), StandardCharsets.UTF_8));
            assertEquals("{\"forecast\":\"sunny\"}", new String(r.body(), StandardCharsets.UTF_8));
            assertEquals(BigInteger.valueOf(i).multiply(new BigInteger("1000000000000000")), r.cumulative().units());
        }
        assertEquals(BigInteger.valueOf(3), n.forecast.read().cumulativeSubunits(), "three requests served");
        assertEquals(1, n.consumer.channels().size(), "one channel for all requests");
        n.provider.settle();
        assertEquals(Amount.parse("0.003", ETH), n.scheme().earnings(n.payee, ETH));
    }

    @Test
    void aReplayedForgedOrMalformedVoucherIsRefusedWithASignedErrorAndNothingIsServed() {
        ChannelNode.PaidResponse first = n.consumer.buyRequest(resource, n.payer, Amount.parse("0.01", ETH),
                Price.parse("0.001 ETH/request", ETH));
        assertEquals(200, first.status());
        StoredVoucher held = n.provider.latestVoucher(first.channel(), SessionRole.PROVIDER).orElseThrow();

        assertRefused(http.get(resource, Map.of(PayPerRequestGate.HEADER, first.header())), 402, ErrorCode.REPLAYED);

        // a well-formed message from the payer whose voucher signature is for another amount
        BigInteger more = held.cumulative().add(new BigInteger("1000000000000000"));
        SignedMessage forged = codec.sign(new Envelope(MessageCodec.VERSION, MessageType.VOUCHER, n.payer,
                SessionId.random(), 1, Instant.now()), new Body.VoucherBody(first.channel(), more,
                        n.consumerWallet.key(n.payer).signHash(Eip712Voucher.digest(n.scheme().contract(),
                                first.channel(), held.cumulative())), 0),
                n.consumerWallet.key(n.payer).messageSigner());
        assertRefused(http.get(resource, Map.of(PayPerRequestGate.HEADER, PayPerRequestGate.headerValue(codec,
                forged))), 402, ErrorCode.BAD_SIGNATURE);
        assertRefused(http.get(resource, Map.of(PayPerRequestGate.HEADER, "not-base64!")), 400, ErrorCode.MALFORMED);

        assertEquals(BigInteger.ONE, n.forecast.read().cumulativeSubunits(), "nothing served for refused vouchers");
        assertEquals(held.cumulative(), n.provider.latestVoucher(first.channel(), SessionRole.PROVIDER).orElseThrow()
                .cumulative(), "no state change");
    }

    @Test
    void aPriceAboveTheCapIsRefusedBeforeAnyChannelIsOpened() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> n.consumer.buyRequest(resource, n.payer,
                Amount.parse("0.01", ETH), Price.parse("0.0005 ETH/request", ETH)));
        assertEquals(ErrorCode.PRICE_ABOVE_CAP, e.code());
        assertTrue(n.consumer.channels().isEmpty());
    }

    private void assertRefused(HttpReply r, int status, ErrorCode code) {
        assertEquals(status, r.status());
        List<SignedMessage> ms = MessageLists.decode(codec, r.body());
        assertEquals(MessageType.OFFER, ms.get(0).body().type());
        SignedMessage error = ms.get(1);
        codec.verify(error, n.provider.providerKey().orElseThrow());
        assertEquals(code, ((Body.Error) error.body()).code());
    }
}
