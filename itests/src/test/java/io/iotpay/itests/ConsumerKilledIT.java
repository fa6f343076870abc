package io.iotpay.itests;

import static io.iotpay.itests.TwoNodes.DEVICE;
import static io.iotpay.itests.TwoNodes.claimed;
import static io.iotpay.itests.TwoNodes.delivered;
import static io.iotpay.itests.TwoNodes.detail;
import static io.iotpay.itests.TwoNodes.owed;
import static io.iotpay.itests.TwoNodes.paid;
import static io.iotpay.itests.TwoNodes.row;
import static io.iotpay.itests.TwoNodes.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer stops paying because it is killed (SIGKILL, mid-session): the provider pauses within the credit window
 * and switches the plug off, the unpaid delivered value never exceeds the credit window, and the provider claims on
 * chain exactly the last voucher it acknowledged. The provider hosts the devnet, so the kill does not touch the chain;
 * its settlement runs every 5 s, so the claim needs no operator.
 */
class ConsumerKilledIT {

    /** 0.02 ETH: at 0.3 ETH/kWh and a 2 kW plug at clock speed 60 (0.01 ETH per real second), about 2 s. */
    private static final BigInteger CREDIT_WEI = new BigInteger("20000000000000000");

    private static TwoNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = TwoNodes.start(TwoNodes.ChainHost.PROVIDER, 60, "settleIntervalSeconds=5\n");
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void providerPausesWithinTheCreditWindowSwitchesThePlugOffAndClaimsWhatWasPaid() throws Exception {
        IotpayRuntime provider = nodes.provider;
        String offer = nodes.publishOffer("0.3 ETH/kWh", "0.02", "0.05");
        String[] started = nodes.startSession(offer, "0.2", "0.5 ETH/kWh");
        String session = started[0];
        String channel = started[1];

        // vouchers flow and the plug is on
        provider.await("the provider holds a voucher while the plug is on", Duration.ofSeconds(60), () -> {
            List<String> r = row(provider, session);
            return state(r).equals("RUNNING") && paid(r).signum() > 0 && provider.relayOn(DEVICE);
        });
        BigInteger paidBeforeKill = paid(row(provider, session));
        provider.await("a few more vouchers", Duration.ofSeconds(30),
                () -> paid(row(provider, session)).compareTo(paidBeforeKill) > 0);

        nodes.consumer.sigkill();
        long killedAt = System.nanoTime();

        // the provider pauses for lack of payment; the unpaid value stays within the window at every look
        BigInteger[] worstUnpaid = {BigInteger.ZERO};
        provider.await("the provider pauses for lack of payment", Duration.ofSeconds(30), () -> {
            List<String> r = row(provider, session);
            BigInteger unpaid = owed(r).subtract(paid(r));
            worstUnpaid[0] = worstUnpaid[0].max(unpaid);
            assertTrue(unpaid.compareTo(CREDIT_WEI) <= 0, "unpaid " + unpaid + " above the credit window: " + r);
            return state(r).equals("PAUSED");
        });
        long pausedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        List<String> paused = row(provider, session);
        System.out.println("ConsumerKilledIT: paused " + pausedAfterMs + " ms after the kill: " + paused);
        assertEquals("credit window reached", detail(paused), "paused for lack of payment: " + paused);

        // the plug is off and stays off: nothing more is metered or delivered
        String reading = provider.meterReading(DEVICE);
        assertFalse(provider.relayOn(DEVICE), "the relay is off: " + reading);
        Thread.sleep(1500); // three meter ticks: the last fraction metered before the relay opened is receipted
        List<String> settled = row(provider, session);
        BigInteger counter = counter(provider.meterReading(DEVICE));
        Thread.sleep(3000);
        List<String> later = row(provider, session);
        String laterReading = provider.meterReading(DEVICE);
        assertEquals(counter, counter(laterReading), "the meter does not move with the relay off: " + laterReading);
        assertTrue(laterReading.contains("powerMilliwatts=0,"), laterReading);
        assertEquals(delivered(settled), delivered(later), "nothing more delivered while paused");
        assertEquals("PAUSED", state(later));
        BigInteger unpaid = owed(later).subtract(paid(later));
        System.out.println("ConsumerKilledIT: delivered " + delivered(later) + " mWh, owed " + owed(later)
                + ", paid " + paid(later) + ", unpaid " + unpaid + " (credit window " + CREDIT_WEI + ")");
        assertTrue(unpaid.signum() >= 0, "the consumer never paid for more than it received here: " + later);
        assertTrue(unpaid.compareTo(CREDIT_WEI) <= 0, "unpaid " + unpaid + " within the credit window " + CREDIT_WEI);
        assertTrue(worstUnpaid[0].compareTo(CREDIT_WEI) <= 0);

        // the provider claims on chain exactly the last voucher it acknowledged
        BigInteger acknowledged = paid(later);
        assertTrue(acknowledged.compareTo(paidBeforeKill) > 0, "vouchers were acknowledged before the kill");
        try {
            provider.await("the provider's claim of the last voucher is mined", Duration.ofSeconds(60),
                    () -> claimed(provider, channel).equals(acknowledged));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "; expected " + acknowledged + " in:\n"
                    + provider.execute("iotpay:channel-list"), e);
        }
        assertEquals(acknowledged, paid(row(provider, session)), "no voucher arrived after the kill");
    }

    private static BigInteger counter(String reading) {
        Matcher m = Pattern.compile("cumulativeSubunits=(\\d+)").matcher(reading);
        assertTrue(m.find(), reading);
        return new BigInteger(m.group(1));
    }
}
