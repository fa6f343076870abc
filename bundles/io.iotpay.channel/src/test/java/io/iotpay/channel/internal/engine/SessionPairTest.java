package io.iotpay.channel.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Price;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.Envelope;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.store.JdbcChannelStore;
import io.iotpay.channel.internal.testing.Eip712Voucher;
import io.iotpay.channel.internal.testing.Fixture;
import io.iotpay.channel.internal.testing.TestKey;

class SessionPairTest {

    private static final long TWO_KW = 2_000_000L; // mW

    @TempDir
    Path dir;
    Fixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private Fixture fixture(String pricePerKwh, String credit, String prepay, String deposit) {
        f = new Fixture(dir, Fixture.price(pricePerKwh), Fixture.eth(credit), Fixture.eth(prepay),
                Fixture.eth(deposit), TWO_KW);
        return f;
    }

    /** A message from the consumer's device key with the next consumer sequence number. */
    private SignedMessage fromConsumer(Fixture.Pair p, Body body) {
        return f.codec.sign(new Envelope(MessageCodec.VERSION, body.type(), f.consumerDevice.account(),
                p.consumer.id(), p.consumer.ourSeq() + 1, f.clock.instant()), body, f.consumerDevice.messageSigner());
    }

    private Body.VoucherBody voucher(TestKey signer, Amount amount) {
        Signature sig = signer.signHash(Eip712Voucher.digest(Fixture.CONTRACT, f.channel, amount.units()));
        return new Body.VoucherBody(f.channel, amount.units(), sig, 0);
    }

    private static void refused(ErrorCode code, Runnable r) {
        ProtocolException e = assertThrows(ProtocolException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void tenMinutesOfATwoKilowattPlugArePaidExactlyAsMeteredTimesPrice() {
        fixture("0.3", "0.001", "0", "1");
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        assertEquals(SessionState.RUNNING, p.provider.state());
        assertEquals(SessionState.RUNNING, p.consumer.state());
        for (int i = 0; i < 600; i++) {
            p.step();
            assertEquals(SessionState.RUNNING, p.provider.state(), "step " + i);
        }
        p.toProvider(List.of(p.consumer.stop()));
        assertEquals(SessionState.STOPPED, p.provider.state());
        assertEquals(SessionState.STOPPED, p.consumer.state());
        assertFalse(f.plug.isOn());

        // 2 kW for 600 s = 333 333.33 mWh; the meter counts whole mWh
        BigInteger metered = f.plug.read().cumulativeSubunits();
        assertEquals(BigInteger.valueOf(333_333), metered);
        assertEquals(metered, p.provider.delivered());
        // owed = floor(0.3 ETH * 333333 mWh / 1e6 mWh per kWh) = 0.0999999 ETH exactly
        Amount owed = Fixture.eth("0.0999999");
        assertEquals(owed, Credit.owed(f.offer.price(), metered));
        assertEquals(owed, p.provider.lastVoucher());
        assertEquals(owed, p.consumer.lastSigned());
        // the durable copies agree
        assertEquals(owed.units(), f.providerStore.latestVoucher(f.channel, SessionRole.PROVIDER).orElseThrow()
                .cumulative());
        assertEquals(owed.units(), f.consumerStore.latestVoucher(f.channel, SessionRole.CONSUMER).orElseThrow()
                .cumulative());
        // against the exact energy (mW*ms), the consumer pays less by under one mWh's price (meter floor) + 1 unit
        BigInteger exact = f.offer.price().amount().units().multiply(f.plug.energyMilliwattMillis())
                .divide(BigInteger.valueOf(3_600_000L * 1_000_000L));
        BigInteger diff = exact.subtract(owed.units());
        assertTrue(diff.signum() >= 0 && diff.compareTo(f.offer.price().amount().units()
                .divide(BigInteger.valueOf(1_000_000)).add(BigInteger.ONE)) <= 0, "diff " + diff);
    }

    @Test
    void silentConsumerIsCutOffWithinTheCreditWindow() {
        // 0.3 ETH/kWh, 2 kW: one second = 555 mWh (or 556) = 0.0001665 ETH; credit window 0.001 ETH (~6 s)
        fixture("0.3", "0.001", "0", "1");
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        for (int i = 0; i < 10; i++) {
            p.step();
        }
        p.consumerAlive = false; // consumer killed
        int steps = 0;
        while (p.provider.state() == SessionState.RUNNING && steps < 100) {
            p.step();
            steps++;
        }
        assertEquals(SessionState.PAUSED, p.provider.state());
        assertEquals(ProviderSession.PauseCause.CREDIT, p.provider.pauseCause());
        assertFalse(f.plug.isOn(), "device switched off");
        Amount unpaid = Credit.unpaid(f.offer.price(), p.provider.delivered(),
                p.provider.lastVoucher().minus(p.provider.base()));
        assertFalse(unpaid.isGreaterThan(f.offer.creditWindow()), "unpaid " + unpaid + " within the window");
        // nothing more is delivered while paused
        BigInteger delivered = p.provider.delivered();
        for (int i = 0; i < 20; i++) {
            p.step();
        }
        assertEquals(delivered, p.provider.delivered());
        assertEquals(5, steps, "5 more seconds fit the window, the 6th would not");
    }

    @Test
    void creditWindowBoundaryEqualIsAllowedOneUnitMoreIsNot() {
        Price price = Fixture.price("1");
        Amount window = Fixture.eth("0.000001"); // 1 mWh costs 1e-6 ETH at 1 ETH/kWh
        Amount paid = Amount.zero(Fixture.ETH);
        assertTrue(Credit.withinCredit(price, BigInteger.ONE, BigInteger.ZERO, paid, window));
        assertFalse(Credit.withinCredit(price, BigInteger.TWO, BigInteger.ZERO, paid, window));
        assertTrue(Credit.withinCredit(price, BigInteger.ONE, BigInteger.ONE, Fixture.eth("0.000001"), window));
        assertFalse(Credit.withinCredit(price, BigInteger.ONE, BigInteger.TWO, Fixture.eth("0.000001"), window));
    }

    @Test
    void creditPauseResumesAutomaticallyWhenPaid() {
        fixture("0.3", "0.001", "0", "1");
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        p.consumerAlive = false;
        List<SignedMessage> held = new java.util.ArrayList<>();
        while (p.provider.state() == SessionState.RUNNING) {
            f.clock.advance(f.meterInterval);
            held.addAll(p.provider.tick());
        }
        assertFalse(f.plug.isOn());
        p.consumerAlive = true;
        p.toConsumer(held); // late delivery of the receipts and the pause: the consumer pays, provider resumes
        assertEquals(SessionState.RUNNING, p.provider.state());
        assertTrue(f.plug.isOn());
        assertEquals(Credit.owed(f.offer.price(), p.provider.delivered()), p.provider.lastVoucher());
    }

    @Test
    void pauseAndResumeFromEitherSide() {
        fixture("0.3", "0.001", "0", "1");
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        p.step();
        p.toProvider(List.of(p.consumer.pause()));
        assertEquals(SessionState.PAUSED, p.provider.state());
        assertFalse(f.plug.isOn());
        BigInteger d = p.provider.delivered();
        p.step();
        assertEquals(d, p.provider.delivered());
        p.toProvider(List.of(p.consumer.resume()));
        assertEquals(SessionState.RUNNING, p.provider.state());
        assertTrue(f.plug.isOn());

        p.toConsumer(List.of(p.provider.pause()));
        assertEquals(SessionState.PAUSED, p.consumer.state());
        assertFalse(f.plug.isOn());
        p.toConsumer(List.of(p.provider.resume()));
        assertEquals(SessionState.RUNNING, p.consumer.state());
        assertTrue(f.plug.isOn());
        p.step();
        p.toConsumer(p.provider.stop());
        assertEquals(SessionState.STOPPED, p.consumer.state());
        assertFalse(f.plug.isOn());
        assertEquals(Credit.owed(f.offer.price(), p.provider.delivered()), p.provider.lastVoucher());
    }

    @Test
    void illegalTransitionsAreRefusedWithoutChange() {
        fixture("0.3", "0.001", "0", "1");
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        long seq = p.provider.peerSeq();
        refused(ErrorCode.INVALID_STATE, () -> p.provider.onMessage(fromConsumer(p, new Body.Resume())));
        assertEquals(seq, p.provider.peerSeq());
        assertEquals(SessionState.RUNNING, p.provider.state());
        refused(ErrorCode.INVALID_STATE, () -> p.provider.onMessage(fromConsumer(p,
                new Body.ReceiptBody(BigInteger.TEN))));
        refused(ErrorCode.INVALID_STATE, p.consumer::resume);
        refused(ErrorCode.INVALID_STATE, p.provider::start);
    }

    @Test
    void forgedReplayedAndAboveDepositVouchersAreRefusedWithNoStateChange() {
        fixture("0.3", "0.001", "0", "0.01");
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        for (int i = 0; i < 3; i++) {
            p.step();
        }
        Amount last = p.provider.lastVoucher();
        long seq = p.provider.peerSeq();
        BigInteger stored = f.providerStore.latestVoucher(f.channel, SessionRole.PROVIDER).orElseThrow().cumulative();

        // forged: signed by a key that is not the payer
        refused(ErrorCode.BAD_SIGNATURE, () -> p.provider.onMessage(fromConsumer(p,
                voucher(TestKey.random(Fixture.CHAIN), last.plus(Fixture.eth("0.0001"))))));
        // replayed message (same bytes again)
        SignedMessage lastVoucherMsg = f.consumerSent.get(f.consumerSent.size() - 1);
        refused(ErrorCode.REPLAYED, () -> p.provider.onMessage(f.wire(lastVoucherMsg)));
        // replayed amount in a fresh message
        refused(ErrorCode.REPLAYED, () -> p.provider.onMessage(fromConsumer(p, voucher(f.payer, last))));
        // above the deposit, validly signed by the payer
        refused(ErrorCode.ABOVE_DEPOSIT, () -> p.provider.onMessage(fromConsumer(p,
                voucher(f.payer, Fixture.eth("0.0100001")))));
        // message signed by another device key than the session's consumer
        TestKey stranger = TestKey.random(Fixture.CHAIN);
        Body.VoucherBody vb = voucher(f.payer, last.plus(Fixture.eth("0.0001")));
        SignedMessage strangerMsg = f.codec.sign(new Envelope(1, vb.type(), stranger.account(), p.consumer.id(),
                p.consumer.ourSeq() + 1, f.clock.instant()), vb, stranger.messageSigner());
        refused(ErrorCode.BAD_SIGNATURE, () -> p.provider.onMessage(strangerMsg));
        // tampered after signing: amount changed in the JSON
        SignedMessage good = fromConsumer(p, vb);
        String json = f.json(good).replace("\"cumulativeAmount\":\"" + vb.cumulativeAmount() + "\"",
                "\"cumulativeAmount\":\"" + vb.cumulativeAmount().add(BigInteger.ONE) + "\"");
        refused(ErrorCode.BAD_SIGNATURE, () -> p.provider.onMessage(f.codec.decode(json.getBytes(
                StandardCharsets.UTF_8))));
        // sequence number skipping ahead
        SignedMessage skip = f.codec.sign(new Envelope(1, vb.type(), f.consumerDevice.account(), p.consumer.id(),
                p.consumer.ourSeq() + 5, f.clock.instant()), vb, f.consumerDevice.messageSigner());
        refused(ErrorCode.OUT_OF_ORDER, () -> p.provider.onMessage(skip));

        assertEquals(last, p.provider.lastVoucher());
        assertEquals(seq, p.provider.peerSeq());
        assertEquals(stored, f.providerStore.latestVoucher(f.channel, SessionRole.PROVIDER).orElseThrow()
                .cumulative());
        // and the untampered message is still accepted afterwards
        p.provider.onMessage(f.wire(good));
        assertEquals(Amount.ofUnits(vb.cumulativeAmount(), Fixture.ETH), p.provider.lastVoucher());
    }

    @Test
    void outOfOrderReceiptsAreRefusedByTheConsumer() {
        fixture("0.3", "0.001", "0", "1");
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        p.step();
        p.step();
        Amount signed = p.consumer.lastSigned();
        long seq = p.consumer.peerSeq();
        BigInteger delivered = p.consumer.delivered();
        // lower quantity with the right next seq
        SignedMessage lower = f.codec.sign(new Envelope(1, io.iotpay.channel.internal.protocol.MessageType.RECEIPT,
                f.providerDevice.account(), p.consumer.id(), seq + 1, f.clock.instant()),
                new Body.ReceiptBody(delivered.subtract(BigInteger.ONE)), f.providerDevice.messageSigner());
        refused(ErrorCode.OUT_OF_ORDER, () -> p.consumer.onMessage(f.wire(lower)));
        // skipped sequence number
        SignedMessage skipped = f.codec.sign(new Envelope(1, io.iotpay.channel.internal.protocol.MessageType.RECEIPT,
                f.providerDevice.account(), p.consumer.id(), seq + 2, f.clock.instant()),
                new Body.ReceiptBody(delivered.add(BigInteger.TEN)), f.providerDevice.messageSigner());
        refused(ErrorCode.OUT_OF_ORDER, () -> p.consumer.onMessage(f.wire(skipped)));
        assertEquals(signed, p.consumer.lastSigned());
        assertEquals(seq, p.consumer.peerSeq());
        assertEquals(delivered, p.consumer.delivered());
    }

    @Test
    void consumerPrepaysOnlyItsWindowAndNeverAboveDeposit() {
        fixture("0.3", "0.001", "0.0005", "0.002");
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0.0005"));
        // prepay signed right after START, before any delivery
        assertEquals(Fixture.eth("0.0005"), p.consumer.lastSigned());
        for (int i = 0; i < 100 && p.consumer.state() == SessionState.RUNNING; i++) {
            p.step();
            Amount owed = Credit.owed(f.offer.price(), p.consumer.delivered());
            assertFalse(p.consumer.lastSigned().isGreaterThan(owed.plus(Fixture.eth("0.0005"))));
            assertFalse(p.consumer.lastSigned().isGreaterThan(f.deposit));
        }
        // the deposit ran out: both sides paused, the plug is off, the last voucher is the whole deposit at most
        assertEquals(SessionState.PAUSED, p.provider.state());
        assertFalse(f.plug.isOn());
        assertFalse(p.provider.lastVoucher().isGreaterThan(f.deposit));
    }

    @Test
    void walletPolicyRefusalPausesTheSession() {
        fixture("0.3", "0.001", "0", "1");
        VoucherSigner real = f.payerSigner();
        int[] calls = {0};
        VoucherSigner limited = (intent, voucher, domain) -> {
            if (++calls[0] > 3) {
                throw new SpendingRefusedException(SpendingRefusedException.Reason.SESSION_LIMIT, intent,
                        intent.cumulative(), intent.cumulative());
            }
            return real.sign(intent, voucher, domain);
        };
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"), limited);
        for (int i = 0; i < 5; i++) {
            p.step();
        }
        assertEquals(SessionState.PAUSED, p.consumer.state());
        assertEquals(SessionState.PAUSED, p.provider.state());
        assertFalse(f.plug.isOn());
    }

    @Test
    void budgetExhaustedStopsTheSession() {
        fixture("0.3", "0.01", "0", "1");
        Fixture.Pair p = f.pair(Fixture.eth("0.0005"), Fixture.eth("0"));
        for (int i = 0; i < 10 && p.consumer.state() == SessionState.RUNNING; i++) {
            p.step();
        }
        assertEquals(SessionState.STOPPED, p.consumer.state());
        assertEquals(SessionState.STOPPED, p.provider.state());
        assertFalse(f.plug.isOn());
        assertEquals(Fixture.eth("0.0005"), p.consumer.lastSigned());
    }

    @Test
    void cooperativeCloseAfterStopGivesTheConsumerThePayeesCloseSignature() {
        fixture("0.3", "0.001", "0", "1");
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        for (int i = 0; i < 5; i++) {
            p.step();
        }
        // not before STOP
        refused(ErrorCode.INVALID_STATE, p.consumer::close);
        refused(ErrorCode.INVALID_STATE, () -> p.provider.onMessage(fromConsumer(p,
                new Body.Close(f.channel, p.provider.lastVoucher().units(), null))));
        p.toProvider(List.of(p.consumer.stop()));
        // a final amount below the latest voucher is refused
        refused(ErrorCode.REPLAYED, () -> p.provider.onMessage(fromConsumer(p,
                new Body.Close(f.channel, BigInteger.ONE, null))));
        p.toProvider(List.of(p.consumer.close()));
        Signature sig = p.consumer.closeSignature().orElseThrow();
        assertEquals(f.payee.account(), f.scheme.recoverSigner(f.scheme.closeDigest(f.channel,
                p.consumer.lastSigned()), sig));
        assertEquals(io.iotpay.api.channel.ChannelState.CLOSING, f.providerStore.channel(f.channel,
                SessionRole.PROVIDER).orElseThrow().state());
        // no new session on a channel the provider agreed to close
        refused(ErrorCode.INVALID_STATE, () -> f.pair(Fixture.eth("1"), Fixture.eth("0")));
    }

    @Test
    void priceAboveCapIsRefused() {
        fixture("0.3", "0.001", "0", "1");
        ConsumerSession.Terms terms = new ConsumerSession.Terms(f.payer.account(), f.channel, f.deposit,
                Fixture.eth("1"), Fixture.price("0.29"), Fixture.eth("0"));
        refused(ErrorCode.PRICE_ABOVE_CAP, () -> ConsumerSession.create(f.consumerContext(f.payerSigner()),
                f.offerMessage, terms));
    }

    @Test
    void channelIsReusedByASecondSession() {
        fixture("0.3", "0.001", "0", "1");
        Fixture.Pair first = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        for (int i = 0; i < 30; i++) {
            first.step();
        }
        first.toProvider(List.of(first.consumer.stop()));
        Amount afterFirst = first.provider.lastVoucher();
        assertTrue(afterFirst.isGreaterThan(Amount.zero(Fixture.ETH)));

        Fixture.Pair second = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        assertEquals(afterFirst, second.provider.base());
        assertEquals(afterFirst, second.consumer.base());
        for (int i = 0; i < 30; i++) {
            second.step();
        }
        second.toProvider(List.of(second.consumer.stop()));
        BigInteger total = f.plug.read().cumulativeSubunits();
        // cumulative over the channel: both sessions, each rounded down on its own
        assertEquals(afterFirst.plus(Credit.owed(f.offer.price(), second.provider.delivered())),
                second.provider.lastVoucher());
        assertEquals(total, first.provider.delivered().add(second.provider.delivered()));
    }

    @Test
    void providerRecoversTheLatestVoucherAfterRestart() {
        fixture("0.3", "0.001", "0", "1");
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        for (int i = 0; i < 20; i++) {
            p.step();
        }
        Amount last = p.provider.lastVoucher();
        // reopen the provider's database file while the first store is still open (no orderly shutdown)
        try (JdbcChannelStore reopened = JdbcChannelStore.sqlite(dir.resolve("provider.db"))) {
            assertEquals(last.units(), reopened.latestVoucher(f.channel, SessionRole.PROVIDER).orElseThrow()
                    .cumulative());
            assertEquals(SessionState.RUNNING, reopened.session(p.provider.id(), SessionRole.PROVIDER).orElseThrow()
                    .state());
        }
    }

    @Test
    void unknownChannelAndInsufficientDepositAreRefusedAtOpen() {
        fixture("0.3", "0.001", "0", "1");
        ConsumerSession c = ConsumerSession.create(f.consumerContext(f.payerSigner()), f.offerMessage,
                new ConsumerSession.Terms(f.payer.account(), new io.iotpay.api.channel.ChannelId(new byte[32]),
                        f.deposit, Fixture.eth("1"), f.offer.price(), Fixture.eth("0")));
        SignedMessage open = c.open(null);
        refused(ErrorCode.UNKNOWN_CHANNEL, () -> ProviderSession.accept(f.providerContext(), f.offer, "{}", f.plug,
                f.wire(open)));
        assertTrue(f.providerStore.sessions().isEmpty());
    }
}
