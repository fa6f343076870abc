package io.iotpay.itests;

import static io.iotpay.itests.TwoNodes.DEVICE;
import static io.iotpay.itests.TwoNodes.claimed;
import static io.iotpay.itests.TwoNodes.delivered;
import static io.iotpay.itests.TwoNodes.detail;
import static io.iotpay.itests.TwoNodes.owed;
import static io.iotpay.itests.TwoNodes.paid;
import static io.iotpay.itests.TwoNodes.row;
import static io.iotpay.itests.TwoNodes.rowOrNull;
import static io.iotpay.itests.TwoNodes.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The consumer runtime is killed with SIGKILL mid-session, at a random point after a voucher was acknowledged (seeded;
 * the seed is printed and {@code -Diotpay.itest.seed=<seed>} replays it); it pays after delivery (its own prepay
 * window is zero).
 * While it is down the provider pauses within the credit window and switches the plug off. The consumer runtime is
 * started again in the same folder: it restores the session from its store and node.json, continues from the
 * voucher it had signed (never a lower one), pays what was delivered while it was down, the provider resumes and the
 * plug delivers again; the consumer then stops the restored session and both sides agree on the delivered energy and
 * the paid amount, which the provider claims on chain as energy x price rounded down (docs/protocol.md, "Rounding").
 * <p>
 * What the dead consumer had committed is read from its own files between the kill and the restart (a copy of its
 * SQLite channel store and its wallet's spending book): the provider never acknowledged more than the consumer had
 * committed (the consumer commits what it signed before sending it). The provider hosts the devnet, so the kill does
 * not touch the chain.
 */
class ConsumerCrashIT {

    private static final BigInteger PRICE_WEI_PER_KWH = new BigInteger("300000000000000000"); // 0.3 ETH/kWh
    private static final BigInteger MWH_PER_KWH = BigInteger.valueOf(1_000_000);
    /** 0.02 ETH: at 0.3 ETH/kWh and a 2 kW plug at clock speed 60 (0.01 ETH per real second), about 2 s. */
    private static final BigInteger CREDIT_WEI = new BigInteger("20000000000000000");
    /** About 2 real seconds of the 2 kW plug at clock speed 60 (33,333 mWh per real second). */
    private static final BigInteger TWO_SECONDS_MWH = BigInteger.valueOf(66_000);

    private static TwoNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = TwoNodes.start(TwoNodes.ChainHost.PROVIDER, 60, "");
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void consumerKilledMidSessionRestoresItsSessionPaysWhatWasDeliveredAndTheClaimIsEnergyTimesPrice()
            throws Exception {
        IotpayRuntime provider = nodes.provider;
        IotpayRuntime consumer = nodes.consumer;
        long t0 = System.nanoTime();
        long seed = Long.getLong("iotpay.itest.seed", System.nanoTime());
        System.out.println("ConsumerCrashIT: seed " + seed + " (replay with -Diotpay.itest.seed=" + seed + ")");
        java.util.Random random = new java.util.Random(seed);
        String offer = nodes.publishOffer("0.3 ETH/kWh", "0.02", "0.05");
        String[] started = nodes.startSession(offer, "0.2", "0.5 ETH/kWh");
        String session = started[0];
        String channel = started[1];

        // the session runs: the plug is on and the provider holds vouchers
        provider.await("the provider holds a voucher while the plug is on", Duration.ofSeconds(60), () -> {
            List<String> r = row(provider, session);
            return state(r).equals("RUNNING") && paid(r).signum() > 0 && provider.relayOn(DEVICE);
        });
        BigInteger firstPaid = paid(row(provider, session));
        provider.await("a few more vouchers", Duration.ofSeconds(30),
                () -> paid(row(provider, session)).compareTo(firstPaid) > 0);
        BigInteger consumerSignedSeen = paid(row(consumer, session));
        BigInteger ackBeforeKill = paid(row(provider, session));
        Thread.sleep(random.nextInt(500)); // the kill may land while the next voucher is being signed or committed
        consumer.sigkill();
        long killedAt = System.nanoTime();

        // what the dead consumer had committed: its channel store and its wallet's book of signed vouchers
        Committed committed = committed(consumer.home(), session, channel);
        BigInteger walletSigned = walletLastVoucher(consumer.home(), channel);
        System.out.println("ConsumerCrashIT: killed; consumer had shown " + consumerSignedSeen + " paid, provider "
                + "acknowledged " + ackBeforeKill + "; consumer store " + committed + ", wallet book " + walletSigned);
        assertEquals(BigInteger.ZERO, committed.base, "a fresh channel: the session's base is zero");
        assertEquals("RUNNING", committed.state, "the consumer's stored session was running");
        assertTrue(committed.voucher.compareTo(consumerSignedSeen) >= 0, "the consumer's store holds at least the "
                + "voucher it showed before the kill: " + committed + " < " + consumerSignedSeen);
        assertTrue(committed.lastOut.contains("\"type\":\"VOUCHER\"") && committed.lastOut.contains(
                "\"cumulativeAmount\":\"" + committed.voucher + "\""), "its last stored message is the latest "
                + "voucher, to be re-sent: " + committed.lastOut);
        assertTrue(walletSigned.compareTo(committed.voucher) >= 0, "the wallet booked " + walletSigned
                + " before signing, the store holds " + committed.voucher);

        // the provider pauses for lack of payment; it never acknowledged more than the consumer had committed
        BigInteger[] worstUnpaid = {BigInteger.ZERO};
        provider.await("the provider pauses for lack of payment", Duration.ofSeconds(30), () -> {
            List<String> r = row(provider, session);
            BigInteger unpaid = owed(r).subtract(paid(r));
            worstUnpaid[0] = worstUnpaid[0].max(unpaid);
            assertTrue(unpaid.compareTo(CREDIT_WEI) <= 0, "unpaid " + unpaid + " above the credit window: " + r);
            assertTrue(paid(r).compareTo(committed.voucher) <= 0, "the provider acknowledged " + paid(r)
                    + ", more than the consumer had committed (" + committed.voucher + ")");
            return state(r).equals("PAUSED");
        });
        long pausedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertEquals("credit window reached", detail(row(provider, session)));
        assertFalse(provider.relayOn(DEVICE), "the provider switched the plug off");
        Thread.sleep(1500); // three meter ticks: the last fraction metered before the relay opened is receipted
        List<String> paused = row(provider, session);
        BigInteger deliveredAtPause = delivered(paused);
        BigInteger ackAtPause = paid(paused);
        System.out.println("ConsumerCrashIT: provider paused " + pausedAfterMs + " ms after the kill: " + paused);
        assertEquals("PAUSED", state(paused));
        assertTrue(ackAtPause.compareTo(ackBeforeKill) >= 0, "nothing acknowledged before the kill is lost");
        assertTrue(ackAtPause.compareTo(committed.voucher) <= 0, "acknowledged " + ackAtPause + " <= committed "
                + committed.voucher);
        assertTrue(owed(paused).subtract(ackAtPause).compareTo(CREDIT_WEI) <= 0, "unpaid within the credit window: "
                + paused);
        assertTrue(owed(paused).compareTo(ackAtPause) > 0, "energy was delivered that the dead consumer did not pay");

        // the consumer runtime comes back in the same folder and restores the session
        long restartAt = System.nanoTime();
        consumer.restart();
        long restartMs = (System.nanoTime() - restartAt) / 1_000_000;
        consumer.await("the consumer logs the restored session", Duration.ofSeconds(60),
                () -> consumer.log().contains("Restored consumer session " + session));
        List<String> restored = rowOrNull(consumer, session);
        assertNotNull(restored, "the restarted consumer lists the session");
        System.out.println("ConsumerCrashIT: consumer restarted in " + restartMs + " ms: " + restored);
        assertTrue(paid(restored).compareTo(committed.voucher) >= 0, "the restored session continues from the "
                + "voucher it had signed (" + committed.voucher + "): " + restored);
        assertTrue(List.of("RUNNING", "PAUSED").contains(state(restored)), "restored live, not as stored: " + restored);

        // it pays for what was delivered while it was down; the provider resumes and the plug delivers again
        BigInteger[] lastAck = {ackAtPause};
        BigInteger[] firstAfterRestart = {null};
        provider.await("the provider is paid, resumes and delivers again", Duration.ofSeconds(60), () -> {
            List<String> r = row(provider, session);
            BigInteger p = paid(r);
            assertTrue(p.compareTo(lastAck[0]) >= 0, "acknowledged went down from " + lastAck[0] + ": " + r);
            if (p.compareTo(ackAtPause) > 0 && firstAfterRestart[0] == null) {
                firstAfterRestart[0] = p;
                assertTrue(p.compareTo(committed.voucher) >= 0, "the first voucher after the restart (" + p
                        + ") is below the one the consumer had signed before the kill (" + committed.voucher + ")");
            }
            assertTrue(p.compareTo(owed(r)) <= 0, "paid more than delivered (own prepay window 0): " + r);
            assertTrue(owed(r).subtract(p).compareTo(CREDIT_WEI) <= 0, "unpaid above the credit window: " + r);
            lastAck[0] = p;
            return state(r).equals("RUNNING") && p.compareTo(ackAtPause) > 0
                    && delivered(r).compareTo(deliveredAtPause) > 0 && provider.relayOn(DEVICE);
        });
        long resumedAfterRestartMs = (System.nanoTime() - restartAt) / 1_000_000 - restartMs;
        System.out.println("ConsumerCrashIT: provider resumed " + resumedAfterRestartMs + " ms after the consumer "
                + "was up; first voucher acknowledged after the restart " + firstAfterRestart[0]);
        provider.await("delivery continues and is paid", Duration.ofSeconds(60), () -> {
            List<String> r = row(provider, session);
            List<String> c = row(consumer, session);
            assertTrue(paid(r).compareTo(lastAck[0]) >= 0, "acknowledged went down: " + r);
            assertTrue(paid(c).compareTo(owed(c)) <= 0, "the consumer paid more than it received: " + c);
            lastAck[0] = paid(r);
            return delivered(r).compareTo(deliveredAtPause.add(TWO_SECONDS_MWH)) >= 0
                    && paid(r).compareTo(owed(paused)) > 0;
        });

        // the consumer stops the restored session; the final voucher pays exactly what was metered
        consumer.execute("iotpay:session-stop " + session);
        try {
            provider.await("the provider saw the stop and holds the final voucher", Duration.ofSeconds(30), () -> {
                List<String> r = row(provider, session);
                return state(r).equals("STOPPED") && paid(r).equals(owed(r));
            });
            consumer.await("the consumer paid the final receipt", Duration.ofSeconds(30), () -> {
                List<String> c = row(consumer, session);
                return state(c).equals("STOPPED") && delivered(c).equals(delivered(row(provider, session)));
            });
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "; provider " + row(provider, session) + ", consumer "
                    + row(consumer, session), e);
        }
        List<String> p = row(provider, session);
        List<String> c = row(consumer, session);
        System.out.println("ConsumerCrashIT: stopped; provider " + p + "; consumer " + c);
        BigInteger metered = delivered(p);
        BigInteger expected = PRICE_WEI_PER_KWH.multiply(metered).divide(MWH_PER_KWH); // floor
        assertEquals(metered, delivered(c), "both sides agree on the delivered energy");
        assertEquals(expected, paid(p), "the provider was paid energy x price: " + p);
        assertEquals(expected, paid(c), "the consumer paid energy x price: " + c);
        assertTrue(expected.compareTo(committed.voucher) > 0, "paid beyond what was signed before the kill");
        assertFalse(provider.relayOn(DEVICE), "the plug is off after the stop");
        try {
            provider.await("the provider's claim of the final voucher is mined", Duration.ofSeconds(60),
                    () -> claimed(provider, channel).equals(expected));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "; expected " + expected + " in:\n"
                    + provider.execute("iotpay:channel-list"), e);
        }
        assertEquals(expected, claimed(consumer, channel), "the consumer's node reads the same claim on chain");
        assertEquals(expected, walletLastVoucher(consumer.home(), channel),
                "the consumer's wallet never signed more than it finally paid");
        System.out.println("ConsumerCrashIT: test time " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /** What the consumer's channel store holds for the session and its channel. */
    private record Committed(BigInteger voucher, String state, BigInteger base, BigInteger delivered, long ourSeq,
            long peerSeq, String lastOut) {
        @Override
        public String toString() {
            return "voucher " + voucher + ", session " + state + " base " + base + " delivered " + delivered
                    + " ourSeq " + ourSeq + " peerSeq " + peerSeq;
        }
    }

    /**
     * Reads a copy of the (dead) runtime's SQLite channel store, WAL included, so the runtime's own files are not
     * touched before it restarts.
     */
    private static Committed committed(Path home, String session, String channel) throws IOException, SQLException {
        Path dir = home.resolve("data/iotpay/channel");
        Path copy = Files.createTempDirectory(home.getParent(), "consumer-store-");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().startsWith("channels.db")) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + copy.resolve("channels.db"))) {
            BigInteger voucher;
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT cumulative FROM iotpay_voucher WHERE channel_id = ? AND role = 'CONSUMER'")) {
                ps.setString(1, channel);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "the consumer's store holds a voucher on " + channel);
                    voucher = new BigInteger(rs.getString(1));
                }
            }
            try (PreparedStatement ps = db.prepareStatement("SELECT state, base, delivered, our_seq, peer_seq, last_out"
                    + " FROM iotpay_session WHERE session_id = ? AND role = 'CONSUMER'")) {
                ps.setString(1, session);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "the consumer's store holds session " + session);
                    return new Committed(voucher, rs.getString(1), new BigInteger(rs.getString(2)),
                            new BigInteger(rs.getString(3)), rs.getLong(4), rs.getLong(5), rs.getString(6));
                }
            }
        }
    }

    /**
     * The highest voucher the runtime's wallet booked on a channel (its spending book, {@code spending-*.json}, which
     * the wallet writes before it signs), zero if none.
     */
    private static BigInteger walletLastVoucher(Path home, String channel) throws IOException {
        BigInteger highest = BigInteger.ZERO;
        List<Path> books;
        try (Stream<Path> files = Files.walk(home)) {
            books = files.filter(f -> f.getFileName().toString().startsWith("spending-")
                    && f.getFileName().toString().endsWith(".json")).toList();
        }
        assertFalse(books.isEmpty(), "the consumer's wallet has a spending book");
        for (Path book : books) {
            JsonNode last = new ObjectMapper().readTree(book.toFile()).path("lastVoucher");
            for (String key : (Iterable<String>) last::fieldNames) {
                if (key.equalsIgnoreCase(channel)) {
                    highest = highest.max(new BigInteger(last.get(key).asText()));
                }
            }
        }
        return highest;
    }
}
