package io.iotpay.itests;

import static io.iotpay.itests.TwoNodes.claimed;
import static io.iotpay.itests.TwoNodes.owed;
import static io.iotpay.itests.TwoNodes.paid;
import static io.iotpay.itests.TwoNodes.row;
import static io.iotpay.itests.TwoNodes.rowOrNull;
import static io.iotpay.itests.TwoNodes.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider runtime is killed with SIGKILL mid-session five times at random points (seeded; the seed is printed and
 * {@code -Diotpay.itest.seed=<seed>} replays it). After each restart it recovers the session from its store, keeps
 * every voucher it had acknowledged and is paid again; after the last round the session is stopped and the provider's
 * claim on chain equals its latest voucher. The consumer hosts the devnet, so killing the provider never touches the
 * chain.
 */
class ProviderCrashIT {

    private static final int ROUNDS = 5;

    private static TwoNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        // clock speed 10: 2 kW cost 0.3 ETH/kWh x 20 kW-equivalent, about 0.0017 ETH per real second
        nodes = TwoNodes.start(TwoNodes.ChainHost.CONSUMER, 10, "");
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void providerKilledFiveTimesMidSessionLosesNoAcknowledgedVoucherAndClaimsTheLatest() throws Exception {
        long seed = Long.getLong("iotpay.itest.seed", System.nanoTime());
        System.out.println("ProviderCrashIT: seed " + seed + " (replay with -Diotpay.itest.seed=" + seed + ")");
        Random random = new Random(seed);
        IotpayRuntime provider = nodes.provider;
        IotpayRuntime consumer = nodes.consumer;
        String offer = nodes.publishOffer("0.3 ETH/kWh", "0.005", "0.05");
        String[] started = nodes.startSession(offer, "0.2", "0.5 ETH/kWh");
        String session = started[0];
        String channel = started[1];

        BigInteger acknowledged = BigInteger.ZERO;
        for (int round = 1; round <= ROUNDS; round++) {
            BigInteger floor = acknowledged;
            provider.await("round " + round + ": the provider is paid beyond " + floor, Duration.ofSeconds(60), () -> {
                List<String> r = rowOrNull(provider, session);
                return r != null && state(r).equals("RUNNING") && paid(r).compareTo(floor) > 0;
            });
            Thread.sleep(random.nextInt(2500));
            acknowledged = paid(row(provider, session));
            Thread.sleep(random.nextInt(600)); // the kill may land while a later voucher is being committed
            provider.sigkill();
            System.out.println("ProviderCrashIT: round " + round + ": killed with " + acknowledged
                    + " acknowledged");

            provider.restart();
            BigInteger before = acknowledged;
            provider.await("round " + round + ": the restarted provider lists the session", Duration.ofSeconds(60),
                    () -> rowOrNull(provider, session) != null);
            List<String> recovered = row(provider, session);
            System.out.println("ProviderCrashIT: round " + round + ": after restart " + recovered);
            assertTrue(paid(recovered).compareTo(before) >= 0, "round " + round + ": acknowledged " + before
                    + " before the kill, " + paid(recovered) + " after the restart: " + recovered);
            acknowledged = paid(recovered);
        }

        BigInteger beforeStop = acknowledged;
        provider.await("the recovered provider is paid again", Duration.ofSeconds(60), () -> {
            List<String> r = rowOrNull(provider, session);
            return r != null && state(r).equals("RUNNING") && paid(r).compareTo(beforeStop) > 0;
        });
        provider.execute("iotpay:session-stop " + session);
        consumer.await("the consumer saw the stop", Duration.ofSeconds(30),
                () -> state(row(consumer, session)).equals("STOPPED"));
        provider.await("the consumer paid the final receipt", Duration.ofSeconds(30), () -> {
            List<String> r = row(provider, session);
            return paid(r).equals(owed(r));
        });
        List<String> last = row(provider, session);
        BigInteger latest = paid(last);
        System.out.println("ProviderCrashIT: stopped " + last);
        assertEquals("STOPPED", state(last));
        assertTrue(latest.compareTo(beforeStop) > 0, "paid after the last restart");
        try {
            provider.await("the provider's claim of its latest voucher is mined", Duration.ofSeconds(60),
                    () -> claimed(provider, channel).equals(latest));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "; expected " + latest + " in:\n"
                    + provider.execute("iotpay:channel-list"), e);
        }
        assertEquals(latest, claimed(consumer, channel), "the consumer's node reads the same claim on chain");
    }
}
