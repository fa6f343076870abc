package io.iotpay.channel.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Price;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.Envelope;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.store.JdbcChannelStore;
import io.iotpay.channel.internal.testing.Eip712Voucher;
import io.iotpay.channel.internal.testing.FakeScheme;
import io.iotpay.channel.internal.testing.Fixture;
import io.iotpay.channel.internal.testing.MutableClock;
import io.iotpay.channel.internal.testing.TestKey;

class PayPerRequestGateTest {

    @TempDir
    Path dir;
    final MessageCodec codec = new MessageCodec();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeScheme scheme = new FakeScheme(Fixture.CONTRACT);
    final TestKey provider = TestKey.random(Fixture.CHAIN);
    final TestKey payee = TestKey.random(Fixture.CHAIN);
    final TestKey payer = TestKey.random(Fixture.CHAIN);
    final ChannelId channel = ChannelId.parse("0x" + "5a".repeat(32));
    final Amount price = Fixture.eth("0.0001");
    JdbcChannelStore store;
    PayPerRequestGate gate;
    SignedMessage offerMessage;
    long seq;

    @BeforeEach
    void setUp() {
        store = JdbcChannelStore.sqlite(dir.resolve("ppr.db"));
        scheme.put(channel, payer.account(), payee.account(), Fixture.eth("0.001"));
        Offer offer = new Offer("api-weather", payee.account(), "weather-api", Price.parse("0.0001 ETH/request",
                Fixture.ETH), Fixture.CONTRACT, scheme.id(), Fixture.eth("0.0005"), Amount.zero(Fixture.ETH),
                Amount.zero(Fixture.ETH), Duration.ofHours(1), URI.create("http://127.0.0.1:8181/weather"), null, 1);
        offerMessage = codec.sign(new Envelope(1, MessageType.OFFER, provider.account(), null, 0, clock.instant()),
                new Body.OfferBody(offer), provider.messageSigner());
        gate = newGate(store);
    }

    PayPerRequestGate newGate(JdbcChannelStore s) {
        return new PayPerRequestGate(codec, clock, s, VoucherVerifier.of(scheme), scheme::channel, offerMessage);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    String header(TestKey signer, Amount cumulative) {
        return header(signer, cumulative, payer, ++seq, clock.instant());
    }

    /** A header whose voucher is signed by {@code signer} and whose message is signed by {@code sender}. */
    String header(TestKey signer, Amount cumulative, TestKey sender, long requestSeq, Instant at) {
        BigInteger units = cumulative.units();
        Body.VoucherBody vb = new Body.VoucherBody(channel, units,
                signer.signHash(Eip712Voucher.digest(Fixture.CONTRACT, channel, units)), 0);
        SignedMessage m = codec.sign(new Envelope(1, MessageType.VOUCHER, sender.account(),
                new SessionId("ppr-client-1"), requestSeq, at), vb, sender.messageSigner());
        return PayPerRequestGate.headerValue(codec, m);
    }

    /** The store's served count on the channel (0 before the first request). */
    long served() {
        return store.session(new SessionId(channel.toHex().substring(2)), SessionRole.PROVIDER)
                .map(r -> r.delivered().longValueExact()).orElse(0L);
    }

    /** Security review H2: a payer prepays four requests and uses one; what others can do with what they see. */
    @Test
    void prepaidCreditCannotBeSpentByReplayingOrReSigningAHeader() {
        String prepaid = header(payer, price.times(4));
        assertEquals(1, assertInstanceOf(PayPerRequestGate.Serve.class, gate.check(prepaid)).served());
        // the same header again (a proxy, a log, the LAN): refused, nothing served
        assertEquals(ErrorCode.REPLAYED, refused(gate.check(prepaid)));
        assertEquals(1, served());
        // the payer's voucher re-wrapped in a message signed by a third party, with a fresh seq and time
        TestKey thief = TestKey.random(Fixture.CHAIN);
        assertEquals(ErrorCode.BAD_SIGNATURE, refused(gate.check(header(payer, price.times(4), thief, seq + 100,
                clock.instant()))));
        assertEquals(1, served());
        // an older, unserved header of the payer (lower seq than one already served): refused
        assertEquals(ErrorCode.REPLAYED, refused(gate.check(header(payer, price.times(4), payer, seq - 1,
                clock.instant()))));
        // a header from too long ago, or from the future, even with a new seq
        assertEquals(ErrorCode.REPLAYED, refused(gate.check(header(payer, price.times(4), payer, seq + 10,
                clock.instant().minus(PayPerRequestGate.FRESHNESS).minusSeconds(1)))));
        assertEquals(ErrorCode.REPLAYED, refused(gate.check(header(payer, price.times(4), payer, seq + 11,
                clock.instant().plus(PayPerRequestGate.FRESHNESS).plusSeconds(1)))));
        assertEquals(1, served());
        // the legitimate next request (next seq, prepaid voucher) is served
        clock.advance(Duration.ofSeconds(30));
        assertEquals(2, assertInstanceOf(PayPerRequestGate.Serve.class, gate.check(header(payer, price.times(4))))
                .served());
        // the request seq is stored with the served count: a reopened store still refuses the served header
        store.close();
        store = JdbcChannelStore.sqlite(dir.resolve("ppr.db"));
        assertEquals(ErrorCode.REPLAYED, refused(newGate(store).check(prepaid)));
        assertEquals(3, assertInstanceOf(PayPerRequestGate.Serve.class, newGate(store).check(header(payer,
                price.times(4)))).served());
    }

    ErrorCode refused(PayPerRequestGate.Decision d) {
        return assertInstanceOf(PayPerRequestGate.Refused.class, d).error().code();
    }

    @Test
    void noVoucherGetsTheSignedOffer() {
        PayPerRequestGate.PaymentRequired pr = assertInstanceOf(PayPerRequestGate.PaymentRequired.class,
                gate.check(null));
        codec.verify(codec.decode(codec.encode(pr.offer())), provider.account());
    }

    @Test
    void eachVoucherPaysForWhatItAddsAndIsNeverSpentTwice() {
        String one = header(payer, price);
        PayPerRequestGate.Serve s = assertInstanceOf(PayPerRequestGate.Serve.class, gate.check(one));
        assertEquals(1, s.served());
        assertEquals(ErrorCode.REPLAYED, refused(gate.check(one)));
        // prepay three more in one voucher: three requests (each its own message, next seq), then no credit left
        String four = header(payer, price.times(4));
        for (int i = 2; i <= 4; i++) {
            assertEquals(i, assertInstanceOf(PayPerRequestGate.Serve.class,
                    gate.check(i == 2 ? four : header(payer, price.times(4)))).served());
        }
        assertEquals(ErrorCode.REPLAYED, refused(gate.check(header(payer, price.times(4)))));
        // a voucher that adds less than a request
        assertEquals(ErrorCode.CREDIT_EXHAUSTED, refused(gate.check(header(payer,
                price.times(4).plus(Amount.ofUnits(1, Fixture.ETH))))));
        // after a restart the served count is still there
        try (JdbcChannelStore reopened = JdbcChannelStore.sqlite(dir.resolve("ppr.db"))) {
            assertEquals(ErrorCode.REPLAYED, refused(newGate(reopened).check(four)));
            assertEquals(5, assertInstanceOf(PayPerRequestGate.Serve.class,
                    newGate(reopened).check(header(payer, price.times(5)))).served());
        }
    }

    @Test
    void badVouchersAreRefusedAndChangeNothing() {
        assertEquals(ErrorCode.BAD_SIGNATURE, refused(gate.check(header(TestKey.random(Fixture.CHAIN), price))));
        assertEquals(ErrorCode.ABOVE_DEPOSIT, refused(gate.check(header(payer, Fixture.eth("0.0011")))));
        PayPerRequestGate.Refused bad = assertInstanceOf(PayPerRequestGate.Refused.class, gate.check("%%%"));
        assertEquals(ErrorCode.MALFORMED, bad.error().code());
        assertEquals(400, bad.httpStatus());
        String v2 = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"v\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, refused(gate.check(v2)));
        assertEquals(true, store.latestVoucher(channel, SessionRole.PROVIDER).isEmpty());
        assertEquals(1, assertInstanceOf(PayPerRequestGate.Serve.class, gate.check(header(payer, price))).served());
    }

    /** Review M2 (gate side): a session record written under the channel's id must not reset the served value. */
    @Test
    void aServedRecordOverwrittenByASessionStopsServingInsteadOfGrantingCreditAgain() {
        String prepaid = header(payer, price.times(4));
        assertEquals(1, assertInstanceOf(PayPerRequestGate.Serve.class, gate.check(prepaid)).served());
        // what ProviderSession writes for an OPEN_SESSION whose consumer chose the channel's hex as session id
        store.putSession(new io.iotpay.channel.internal.store.SessionRecord(new SessionId(channel.toHex()
                .substring(2)), SessionRole.PROVIDER, channel, "{}", payer.account(),
                io.iotpay.api.channel.SessionState.RUNNING, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, 1, 1,
                "{\"type\":\"START\"}", clock.instant()));
        assertEquals(ErrorCode.INVALID_STATE, refused(gate.check(header(payer, price.times(4)))));
        assertEquals(ErrorCode.INVALID_STATE, refused(gate.check(header(payer, price.times(8)))));
        assertEquals(0, served(), "nothing served on the overwritten record");
    }
}
