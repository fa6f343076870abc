package io.iotpay.channel.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.PurchaseRequest;
import io.iotpay.api.channel.SessionEvent;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.Price;

/**
 * End to end between two nodes over loopback HTTP on a real anvil: offer, channel opened on chain, metered session,
 * vouchers, provider claim; the on-chain earnings equal metered energy times price (docs/protocol.md, "Rounding").
 */
class TwoNodesOnAnvilTest {

    private static final Asset ETH = Asset.DEVNET_ETH;
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    TwoNodes n;

    @BeforeEach
    void start() throws Exception {
        n = new TwoNodes(dir, 2000, INTERVAL);
    }

    @AfterEach
    void stop() {
        n.close();
    }

    private Offer publish() {
        return n.provider.publishOffer("plug-1", Price.parse("0.3 ETH/kWh", ETH), Amount.parse("0.02", ETH),
                Amount.parse("0.05", ETH));
    }

    private URI url(Offer o) {
        return URI.create(n.endpoint + "/offers/" + o.offerId());
    }

    private SessionSnapshot buy(Offer o, String budget) {
        return n.consumer.startPurchase(new PurchaseRequest(url(o), Amount.parse(budget, ETH),
                Price.parse("0.5 ETH/kWh", ETH), n.payer));
    }

    @Test
    void tenSimulatedMinutesOfATwoKilowattPlugSettleOnChainAsMeteredEnergyTimesPrice() {
        Offer offer = publish();
        assertEquals(offer, n.consumer.fetchOffer(url(offer)), "the fetched and verified offer is the published one");

        SessionSnapshot started = buy(offer, "0.2");
        assertEquals(SessionState.RUNNING, started.state());
        assertTrue(n.plug.isOn(), "the provider switched the plug on");
        Channel onChain = n.scheme().channel(started.channel()).orElseThrow();
        assertEquals(Amount.parse("0.2", ETH), onChain.deposit(), "channel opened on chain with the budget");
        assertEquals(n.payer, onChain.payer());
        assertEquals(n.payee, onChain.payee());

        for (int i = 0; i < 20; i++) {
            n.step(INTERVAL); // 20 x 30 s = 10 simulated minutes
        }
        SessionSnapshot p = n.provider.stop(started.id());
        assertEquals(SessionState.STOPPED, p.state());
        assertFalse(n.plug.isOn(), "stop switched the plug off");
        n.consumer.tick(); // the consumer picks up the provider's STOP

        BigInteger metered = n.plug.read().cumulativeSubunits();
        assertEquals(BigInteger.valueOf(333_333), metered, "2 kW for 600 s = 333,333.33 mWh, the meter counts whole mWh");
        SessionSnapshot c = n.consumer.session(started.id()).orElseThrow();
        assertEquals(SessionState.STOPPED, c.state());
        assertEquals(SessionRole.CONSUMER, c.role());
        assertEquals(metered, c.deliveredQuantity());
        assertEquals(metered, n.provider.session(started.id()).orElseThrow().deliveredQuantity());

        // floor(0.3 ETH x 333,333 mWh / 1,000,000 mWh) = 0.0999999 ETH
        Amount expected = Amount.ofUnits(new BigInteger("99999900000000000"), ETH);
        assertEquals(expected, c.paid(), "the consumer paid exactly the metered energy times the price");
        assertEquals(expected.units(), n.consumer.latestVoucher(started.channel(), SessionRole.CONSUMER).orElseThrow()
                .cumulative());
        assertEquals(expected.units(), n.provider.latestVoucher(started.channel(), SessionRole.PROVIDER).orElseThrow()
                .cumulative(), "the provider holds the latest voucher durably");

        n.provider.settle(); // stopping also starts a settlement in the background; settle() waits for it
        assertEquals(expected, n.scheme().earnings(n.payee, ETH), "on-chain earnings = energy x price");
        assertEquals(expected, n.scheme().channel(started.channel()).orElseThrow().claimed());
        assertTrue(n.provider.settle().isEmpty(), "nothing left to claim");

        List<SessionEvent.Type> types = n.consumerEvents.stream().map(SessionEvent::type).distinct().toList();
        assertTrue(types.contains(SessionEvent.Type.STARTED) && types.contains(SessionEvent.Type.PAYMENT_RECEIVED)
                && types.contains(SessionEvent.Type.STOPPED), "consumer listeners saw " + types);
        assertTrue(n.providerEvents.stream().anyMatch(e -> e.type() == SessionEvent.Type.STOPPED));
    }

    @Test
    void pauseAndResumeFromBothSidesThenASecondSessionReusesTheChannel() {
        Offer offer = publish();
        SessionSnapshot s = buy(offer, "0.05");
        n.step(INTERVAL);

        assertEquals(SessionState.PAUSED, n.consumer.pause(s.id()).state());
        assertEquals(SessionState.PAUSED, n.provider.session(s.id()).orElseThrow().state(), "the provider followed");
        assertFalse(n.plug.isOn());
        BigInteger atPause = n.plug.read().cumulativeSubunits();
        n.step(INTERVAL);
        assertEquals(atPause, n.plug.read().cumulativeSubunits(), "nothing is delivered while paused");

        assertEquals(SessionState.RUNNING, n.consumer.resume(s.id()).state());
        assertTrue(n.plug.isOn());
        n.step(INTERVAL);

        assertEquals(SessionState.PAUSED, n.provider.pause(s.id()).state());
        n.consumer.tick();
        assertEquals(SessionState.PAUSED, n.consumer.session(s.id()).orElseThrow().state(), "the consumer followed");
        assertEquals(SessionState.RUNNING, n.provider.resume(s.id()).state());
        n.consumer.tick();
        assertEquals(SessionState.RUNNING, n.consumer.session(s.id()).orElseThrow().state());
        n.step(INTERVAL);

        SessionSnapshot stopped = n.consumer.stop(s.id());
        assertEquals(SessionState.STOPPED, stopped.state());
        assertEquals(SessionState.STOPPED, n.provider.session(s.id()).orElseThrow().state());
        BigInteger first = n.consumer.latestVoucher(s.channel(), SessionRole.CONSUMER).orElseThrow().cumulative();
        assertTrue(first.signum() > 0);
        assertEquals(n.provider.session(s.id()).orElseThrow().owed().units(), first,
                "a consumer stop still pays the provider's final receipt");
        assertEquals(first, n.provider.latestVoucher(s.channel(), SessionRole.PROVIDER).orElseThrow().cumulative());

        SessionSnapshot second = buy(offer, "0.01");
        assertEquals(s.channel(), second.channel(), "the second session reuses the open channel");
        assertEquals(SessionState.RUNNING, second.state());
        n.step(INTERVAL);
        n.provider.stop(second.id());
        n.consumer.tick();
        BigInteger total = n.provider.latestVoucher(s.channel(), SessionRole.PROVIDER).orElseThrow().cumulative();
        SessionSnapshot p2 = n.provider.session(second.id()).orElseThrow();
        assertEquals(first.add(p2.owed().units()), total, "channel cumulative = first session + second session");
        n.provider.settle();
        assertEquals(total, n.scheme().earnings(n.payee, ETH).units());
    }

    @Test
    void aPriceAboveTheCapIsRefusedBeforeAnyChannelIsOpened() {
        Offer offer = publish();
        ProtocolException e = assertThrows(ProtocolException.class, () -> n.consumer.startPurchase(
                new PurchaseRequest(url(offer), Amount.parse("0.1", ETH), Price.parse("0.2 ETH/kWh", ETH), n.payer)));
        assertEquals(ErrorCode.PRICE_ABOVE_CAP, e.code());
        assertTrue(n.consumer.channels().isEmpty(), "no channel was opened");
    }

    @Test
    void sessionsKeepRunningWhileTheProvidersConnectorIsGoneOnlySettlementWaits() {
        Offer offer = publish();
        SessionSnapshot s = buy(offer, "0.05");
        n.providerChainUp = false;
        n.step(INTERVAL);
        n.step(INTERVAL);
        SessionSnapshot p = n.provider.session(s.id()).orElseThrow();
        assertEquals(SessionState.RUNNING, p.state());
        assertTrue(p.paid().units().signum() > 0, "vouchers are verified while the connector is away");
        assertTrue(n.provider.settle().isEmpty(), "settlement waits for the connector");
        n.providerChainUp = true;
        assertEquals(1, n.provider.settle().size());
        assertEquals(n.provider.latestVoucher(s.channel(), SessionRole.PROVIDER).orElseThrow().cumulative(),
                n.scheme().earnings(n.payee, ETH).units());
    }

    @Test
    void theLocalVoucherDigestIsTheConnectorsDigest() {
        Offer offer = publish();
        SessionSnapshot s = buy(offer, "0.05");
        for (String units : new String[] { "0", "1", "99999900000000000", "50000000000000000" }) {
            Amount a = Amount.ofUnits(new BigInteger(units), ETH);
            org.junit.jupiter.api.Assertions.assertArrayEquals(n.scheme().voucherDigest(s.channel(), a),
                    LocalVoucherVerifier.digest(n.scheme().contract(), "1", s.channel(), a.units()));
        }
    }

    @Test
    void malformedJsonAnUnknownVersionAndAForeignSessionAreRefusedWithSignedErrors() throws Exception {
        publish();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        io.iotpay.channel.internal.protocol.MessageCodec codec = new io.iotpay.channel.internal.protocol.MessageCodec();
        String[][] cases = {
            { "{not json", "MALFORMED" },
            { "{\"v\":2,\"type\":\"STOP\"}", "UNSUPPORTED_VERSION" },
        };
        for (String[] c : cases) {
            java.net.http.HttpResponse<byte[]> r = http.send(java.net.http.HttpRequest.newBuilder(
                    URI.create(n.endpoint + "/messages")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(c[0]))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), "refusals are signed protocol answers");
            List<io.iotpay.channel.internal.protocol.SignedMessage> replies =
                    io.iotpay.channel.internal.http.MessageLists.decode(codec, r.body());
            assertEquals(1, replies.size());
            codec.verify(replies.get(0), n.provider.providerKey().orElseThrow());
            assertEquals(ErrorCode.valueOf(c[1]),
                    ((io.iotpay.channel.internal.protocol.Body.Error) replies.get(0).body()).code(), c[0]);
        }
        assertTrue(n.provider.sessions().isEmpty(), "no state change");
    }

    @Test
    void theProviderNodeRestartsFiveTimesMidSessionAndNoAcknowledgedVoucherIsLost() {
        Offer offer = publish();
        SessionSnapshot s = buy(offer, "0.2");
        java.util.Random random = new java.util.Random(42);
        BigInteger lastHeld = BigInteger.ZERO;
        for (int restart = 0; restart < 5; restart++) {
            int steps = 1 + random.nextInt(4);
            for (int i = 0; i < steps; i++) {
                n.step(INTERVAL);
            }
            BigInteger held = n.provider.latestVoucher(s.channel(), SessionRole.PROVIDER).orElseThrow().cumulative();
            assertTrue(held.compareTo(lastHeld) >= 0);
            n.restartProvider();
            assertEquals(held, n.provider.latestVoucher(s.channel(), SessionRole.PROVIDER).orElseThrow().cumulative(),
                    "the voucher acknowledged before the restart is still held");
            n.step(INTERVAL); // the new node republishes the offer, restores the session and meters again
            assertEquals(SessionState.RUNNING, n.provider.session(s.id()).orElseThrow().state(),
                    "restart " + (restart + 1) + ": the session runs again");
            lastHeld = held;
        }
        n.provider.stop(s.id());
        n.consumer.tick();
        SessionSnapshot p = n.provider.session(s.id()).orElseThrow();
        SessionSnapshot c = n.consumer.session(s.id()).orElseThrow();
        assertEquals(SessionState.STOPPED, c.state());
        assertEquals(p.deliveredQuantity(), c.deliveredQuantity(), "both sides agree on the delivered energy");
        assertEquals(n.plug.read().cumulativeSubunits(), p.deliveredQuantity(),
                "every mWh the plug metered across the restarts is in the session");
        Amount expected = Price.parse("0.3 ETH/kWh", ETH).costOf(p.deliveredQuantity(), java.math.RoundingMode.FLOOR);
        assertEquals(expected.units(), n.provider.latestVoucher(s.channel(), SessionRole.PROVIDER).orElseThrow()
                .cumulative());
        n.provider.settle();
        assertEquals(expected, n.scheme().earnings(n.payee, ETH), "the latest voucher is claimed");
    }

    @Test
    void aMessageTheProviderCouldNotTakeIsSentAgainInOrderBeforeNewerOnes() {
        Offer offer = publish();
        SessionSnapshot s = buy(offer, "0.2");
        n.step(INTERVAL);
        n.step(INTERVAL);
        BigInteger held = n.provider.latestVoucher(s.channel(), SessionRole.PROVIDER).orElseThrow().cumulative();

        n.providerDown = true; // the consumer's PAUSE cannot be delivered
        n.consumer.pause(s.id());
        n.consumer.tick();
        n.providerDown = false;
        n.consumer.resume(s.id()); // the older PAUSE goes first, then RESUME: no gap for the provider
        assertEquals(SessionState.RUNNING, n.provider.session(s.id()).orElseThrow().state());
        n.step(INTERVAL);
        n.step(INTERVAL);
        assertTrue(n.provider.latestVoucher(s.channel(), SessionRole.PROVIDER).orElseThrow().cumulative()
                .compareTo(held) > 0, "the provider accepts the consumer's later vouchers (no OUT_OF_ORDER)");
        assertEquals(SessionState.RUNNING, n.consumer.session(s.id()).orElseThrow().state());
    }

    @Test
    void theConsumerNodeRestartsMidSessionAndKeepsPaying() {
        Offer offer = publish();
        SessionSnapshot s = buy(offer, "0.2");
        n.step(INTERVAL);
        n.step(INTERVAL);
        BigInteger signed = n.consumer.latestVoucher(s.channel(), SessionRole.CONSUMER).orElseThrow().cumulative();
        n.restartConsumer();
        assertEquals(SessionState.RUNNING, n.consumer.session(s.id()).orElseThrow().state(), "restored from the store");
        assertEquals(signed, n.consumer.latestVoucher(s.channel(), SessionRole.CONSUMER).orElseThrow().cumulative());
        n.step(INTERVAL);
        n.step(INTERVAL);
        assertTrue(n.provider.latestVoucher(s.channel(), SessionRole.PROVIDER).orElseThrow().cumulative()
                .compareTo(signed) > 0, "the restored consumer pays new receipts");
        n.provider.stop(s.id());
        n.consumer.tick();
        SessionSnapshot p = n.provider.session(s.id()).orElseThrow();
        assertEquals(p.owed().units(), n.provider.latestVoucher(s.channel(), SessionRole.PROVIDER).orElseThrow()
                .cumulative(), "paid exactly what was metered");
        assertEquals(SessionState.STOPPED, n.consumer.session(s.id()).orElseThrow().state());
    }

    @Test
    void aConsumerStopWhileAReceiptWaitsInTheOutboxStillPaysEverythingMetered() {
        Offer offer = publish();
        SessionSnapshot s = buy(offer, "0.2");
        n.step(INTERVAL);
        n.step(INTERVAL);
        // the provider meters and sends a receipt that the consumer has not polled yet when it stops; the provider
        // answers the STOP with the final receipt, one sequence number above the unpolled one
        n.plugClock.advance(INTERVAL);
        n.provider.tick();
        n.plugClock.advance(INTERVAL);
        assertEquals(SessionState.STOPPED, n.consumer.stop(s.id()).state());
        for (int i = 0; i < 3; i++) {
            n.consumer.tick();
        }
        assertFinishedAndPaid(s); // the consumer took both receipts and paid everything metered up to the stop
        int polls = n.consumerPolls.get();
        n.consumer.tick();
        n.consumer.tick();
        assertEquals(polls, n.consumerPolls.get(), "a stopped session with nothing outstanding is not polled again");
    }

    @Test
    void aProviderPauseAndResumeCrossingTheConsumersStopDoNotHoldBackTheFinalReceipt() {
        Offer offer = publish();
        SessionSnapshot s = buy(offer, "0.2");
        n.step(INTERVAL);
        n.step(INTERVAL);
        // unpolled in the provider's outbox when the consumer stops: RECEIPT, PAUSE, RESUME, RECEIPT
        n.plugClock.advance(INTERVAL);
        n.provider.tick();
        n.provider.pause(s.id());
        n.provider.resume(s.id());
        n.plugClock.advance(INTERVAL);
        n.provider.tick();
        n.plugClock.advance(INTERVAL);
        n.consumer.stop(s.id()); // answered with the final receipt
        for (int i = 0; i < 3; i++) {
            n.consumer.tick();
        }
        assertEquals(SessionState.STOPPED, n.consumer.session(s.id()).orElseThrow().state(),
                "the provider's PAUSE and RESUME do not reopen the session");
        assertFinishedAndPaid(s); // every receipt taken, everything metered paid, the final voucher held
        int polls = n.consumerPolls.get();
        n.consumer.tick();
        assertEquals(polls, n.consumerPolls.get(), "nothing outstanding: the stopped session is not polled again");
    }

    /**
     * Both sides stopped, agree on the delivered energy (everything the plug metered), the consumer paid it exactly
     * (energy x price rounded down), the provider holds that voucher and claims it on chain.
     */
    private void assertFinishedAndPaid(SessionSnapshot s) {
        SessionSnapshot p = n.provider.session(s.id()).orElseThrow();
        SessionSnapshot c = n.consumer.session(s.id()).orElseThrow();
        assertEquals(SessionState.STOPPED, p.state(), "the provider got the STOP");
        assertEquals(SessionState.STOPPED, c.state());
        assertFalse(n.plug.isOn(), "the plug is off");
        assertEquals(n.plug.read().cumulativeSubunits(), p.deliveredQuantity(), "the provider metered up to the stop");
        assertEquals(p.deliveredQuantity(), c.deliveredQuantity(), "the consumer took the final receipt");
        Amount expected = Price.parse("0.3 ETH/kWh", ETH).costOf(p.deliveredQuantity(), java.math.RoundingMode.FLOOR);
        assertTrue(expected.isGreaterThan(Amount.zero(ETH)));
        assertEquals(expected, p.owed());
        assertEquals(expected, p.paid(), "the provider was paid energy x price rounded down");
        assertEquals(expected, c.paid(), "the consumer paid energy x price rounded down");
        assertEquals(expected.units(), n.provider.latestVoucher(s.channel(), SessionRole.PROVIDER).orElseThrow()
                .cumulative(), "the provider holds the final voucher durably");
        n.provider.settle();
        assertEquals(expected, n.scheme().earnings(n.payee, ETH), "the final voucher is claimed on chain");
    }

    /** The consumer stores its STOP, cannot send it, and is killed: the provider meters on, unaware. */
    private SessionSnapshot stopStoredButNeverSent() {
        Offer offer = publish();
        SessionSnapshot s = buy(offer, "0.2");
        n.step(INTERVAL);
        n.step(INTERVAL);
        n.providerDown = true;
        n.plugClock.advance(INTERVAL);
        n.provider.tick(); // a receipt the consumer does not poll any more
        n.plugClock.advance(INTERVAL);
        assertEquals(SessionState.STOPPED, n.consumer.stop(s.id()).state(), "the STOP is stored, its POST fails");
        n.restartConsumer(); // killed before it could send the STOP again
        n.providerDown = false;
        assertEquals(SessionState.RUNNING, n.provider.session(s.id()).orElseThrow().state(),
                "the provider never heard the STOP");
        assertTrue(n.plug.isOn());
        return s;
    }

    @Test
    void aConsumerKilledAfterStoringItsStopBeforeSendingItFinishesTheSessionAfterARestart() {
        SessionSnapshot s = stopStoredButNeverSent();
        assertEquals(SessionState.STOPPED, n.consumer.session(s.id()).orElseThrow().state());
        for (int i = 0; i < 3; i++) {
            n.consumer.tick(); // the restored session sends its STOP, takes both receipts and pays them
        }
        assertFinishedAndPaid(s);
    }

    @Test
    void aConsumerKilledBeforeTakingTheFinalReceiptOfItsStopPaysItAfterARestart() {
        Offer offer = publish();
        SessionSnapshot s = buy(offer, "0.2");
        n.step(INTERVAL);
        n.step(INTERVAL);
        n.plugClock.advance(INTERVAL);
        n.answersLost = true; // the provider takes the STOP and answers with the final receipt, which is lost
        assertEquals(SessionState.STOPPED, n.consumer.stop(s.id()).state());
        n.answersLost = false;
        SessionSnapshot p = n.provider.session(s.id()).orElseThrow();
        assertEquals(SessionState.STOPPED, p.state(), "the STOP reached the provider");
        assertTrue(p.owed().isGreaterThan(p.paid()), "the final receipt is unpaid");
        n.restartConsumer(); // killed before it polled the final receipt
        for (int i = 0; i < 3; i++) {
            n.consumer.tick(); // STOP sent again (REPLAYED: delivered), final receipt polled and paid
        }
        assertFinishedAndPaid(s);
    }

    @Test
    void aStoppedSessionDrainedAfterARestartIsNotRestoredAgain() {
        SessionSnapshot s = stopStoredButNeverSent();
        int before = n.consumerRequests.get();
        for (int i = 0; i < 3; i++) {
            n.consumer.tick();
        }
        assertTrue(n.consumerRequests.get() > before, "the restored session talked to the provider");
        assertFinishedAndPaid(s);
        int drained = n.consumerRequests.get();
        n.consumer.tick();
        assertEquals(drained, n.consumerRequests.get(), "drained: not polled again");

        n.restartConsumer();
        for (int i = 0; i < 3; i++) {
            n.consumer.tick();
        }
        assertEquals(drained, n.consumerRequests.get(), "nothing restored: no message sent again, no poll");
        SessionSnapshot c = n.consumer.session(s.id()).orElseThrow();
        assertEquals("stored", c.detail(), "shown from the store, not live");
        assertEquals(SessionState.STOPPED, c.state());
        assertEquals(n.provider.session(s.id()).orElseThrow().paid(), c.paid());
    }

    @Test
    void aRestoredStoppedSessionWhoseProviderIsGoneGivesUpAfterTheBoundAndIsNotRestoredAgain() {
        SessionSnapshot s = stopStoredButNeverSent();
        n.providerDown = true; // and it stays away
        int before = n.consumerRequests.get();
        for (int i = 0; i < ChannelNode.MAX_POLLS_AFTER_STOP + 30; i++) {
            n.consumer.tick();
        }
        assertEquals(ChannelNode.MAX_POLLS_AFTER_STOP, n.consumerRequests.get() - before,
                "one attempt per poll (the STOP), then it gives up");
        n.restartConsumer();
        n.consumer.tick();
        n.consumer.tick();
        assertEquals(before + ChannelNode.MAX_POLLS_AFTER_STOP, n.consumerRequests.get(), "not restored again");
        assertEquals(SessionState.STOPPED, n.consumer.session(s.id()).orElseThrow().state());
    }

    @Test
    void aConsumerThatGoesSilentGetsAtMostTheCreditWindowThenThePlugIsOffAndWhatWasPaidIsClaimed() {
        Offer offer = publish();
        SessionSnapshot s = buy(offer, "0.2");
        n.step(INTERVAL);
        n.step(INTERVAL);
        // the consumer stops answering: only the provider keeps metering
        for (int i = 0; i < 20 && n.plug.isOn(); i++) {
            n.plugClock.advance(INTERVAL);
            n.provider.tick();
        }
        SessionSnapshot p = n.provider.session(s.id()).orElseThrow();
        assertEquals(SessionState.PAUSED, p.state());
        assertFalse(n.plug.isOn(), "the provider switched the plug off");
        Amount unpaid = p.owed().minus(p.paid());
        assertFalse(unpaid.isGreaterThan(offer.creditWindow()), "unpaid " + unpaid + " within the credit window");
        BigInteger atPause = n.plug.read().cumulativeSubunits();
        n.plugClock.advance(INTERVAL);
        n.provider.tick();
        assertEquals(atPause, n.plug.read().cumulativeSubunits(), "nothing more is delivered");
        n.provider.settle();
        assertEquals(n.provider.latestVoucher(s.channel(), SessionRole.PROVIDER).orElseThrow().cumulative(),
                n.scheme().earnings(n.payee, ETH).units(), "what was paid is claimed");
    }
}
