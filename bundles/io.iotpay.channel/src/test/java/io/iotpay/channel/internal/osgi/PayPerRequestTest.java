package io.iotpay.channel.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.Price;
import io.iotpay.channel.internal.http.HttpPeerClient;
import io.iotpay.channel.internal.http.HttpReply;
import io.iotpay.channel.internal.http.PaidVoucherHeader;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.store.StoredVoucher;

/** A forecast bought per request over real HTTP: 402 with the offer, paid retry, replay refused, claim on anvil. */
class PayPerRequestTest {

    private static final Asset ETH = Asset.DEVNET_ETH;

    @TempDir
    Path dir;

    TwoNodes n;
    Offer offer;
    URI resource;

    @BeforeEach
    void start() throws Exception {
        n = new TwoNodes(dir, 2000, Duration.ofSeconds(30));
        offer = n.provider.publishOffer("forecast", Price.parse("0.001 ETH/request", ETH), Amount.parse("0", ETH),
                Amount.parse("0.01", ETH));
        resource = URI.create(n.endpoint.toString().replace("/iotpay/peer", "/iotpay/paid/") + offer.offerId());
    }

    @AfterEach
    void stop() {
        n.close();
    }

    @Test
    void withoutAVoucherTheAnswerIs402WithTheSignedOffer() throws Exception {
        HttpReply r = new HttpPeerClient(new MessageCodec(), Duration.ofSeconds(5)).get(resource, Map.of());
        assertEquals(402, r.status());
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertEquals("OFFER", body.path("offer").path("type").asText());
        assertEquals(PaidVoucherHeader.NAME, body.path("header").asText());
        assertEquals("1000000000000000", body.path("cost").asText());
    }

    @Test
    void threePaidRequestsAreServedAndClaimedOnChain() {
        ChannelNode.PaidResponse last = null;
        for (int i = 1; i <= 3; i++) {
            last = n.consumer.buyRequest(resource, n.payer, Amount.parse("0.01", ETH),
                    Price.parse("0.002 ETH/request", ETH));
            assertEquals(200, last.status(), "request " + i);
            assertEquals("{\"forecast\":\"sunny\"}", new String(last.body(), StandardCharsets.UTF_8));
            assertEquals(BigInteger.valueOf(i).multiply(new BigInteger("1000000000000000")), last.cumulative().units());
        }
        assertEquals(BigInteger.valueOf(3), n.forecast.read().cumulativeSubunits(), "three requests served");
        n.provider.settle();
        assertEquals(Amount.parse("0.003", ETH), n.scheme().earnings(n.payee, ETH));
    }

    @Test
    void aReplayedOrUnderpayingOrForgedVoucherGets402WithTheReason() throws Exception {
        ChannelNode.PaidResponse first = n.consumer.buyRequest(resource, n.payer, Amount.parse("0.01", ETH),
                Price.parse("0.001 ETH/request", ETH));
        assertEquals(200, first.status());
        StoredVoucher v = n.consumer.latestVoucher(first.channel(), SessionRole.CONSUMER).orElseThrow();
        HttpPeerClient http = new HttpPeerClient(new MessageCodec(), Duration.ofSeconds(5));
        String replay = new PaidVoucherHeader(first.channel(), v.cumulative(), n.payer, v.signature()).encode();
        assertRefused(http.get(resource, Map.of(PaidVoucherHeader.NAME, replay)), ErrorCode.REPLAYED);

        // a signature over another amount does not recover to the payer
        String forged = new PaidVoucherHeader(first.channel(), v.cumulative().multiply(BigInteger.TWO), n.payer,
                v.signature()).encode();
        assertRefused(http.get(resource, Map.of(PaidVoucherHeader.NAME, forged)), ErrorCode.BAD_SIGNATURE);
        assertRefused(http.get(resource, Map.of(PaidVoucherHeader.NAME, "not-base64!")), ErrorCode.MALFORMED);
        assertEquals(BigInteger.ONE, n.forecast.read().cumulativeSubunits(), "nothing served for refused vouchers");
        assertEquals(v.cumulative(), n.provider.latestVoucher(first.channel(), SessionRole.PROVIDER).orElseThrow()
                .cumulative(), "no state change");
    }

    @Test
    void aPriceAboveTheCapIsRefused() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> n.consumer.buyRequest(resource, n.payer,
                Amount.parse("0.01", ETH), Price.parse("0.0005 ETH/request", ETH)));
        assertEquals(ErrorCode.PRICE_ABOVE_CAP, e.code());
        assertTrue(n.consumer.channels().isEmpty());
    }

    private static void assertRefused(HttpReply r, ErrorCode code) throws Exception {
        assertEquals(402, r.status());
        assertEquals(code.name(), new ObjectMapper().readTree(r.body()).path("code").asText());
    }
}
