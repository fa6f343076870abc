package io.iotpay.channel.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.channel.SessionRole;
import io.iotpay.channel.internal.testing.PostgresServer;

class JdbcChannelStoreTest {

    @TempDir
    Path dir;

    @Test
    void sqliteStore() {
        try (JdbcChannelStore s = JdbcChannelStore.sqlite(dir.resolve("store.db"))) {
            StoreContract.run(s);
        }
    }

    @Test
    void postgresStoreOnARealServer() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            try (JdbcChannelStore s = JdbcChannelStore.postgres(pg.jdbcUrl(), PostgresServer.USER, null)) {
                StoreContract.run(s);
            }
            // reopened: the data survived the connection
            try (JdbcChannelStore s = JdbcChannelStore.postgres(pg.jdbcUrl(), PostgresServer.USER, null)) {
                assertEquals(BigInteger.valueOf(11), s.latestVoucher(StoreContract.channel(1), SessionRole.PROVIDER)
                        .orElseThrow().cumulative());
            }
        }
    }

    /**
     * A child JVM commits vouchers and prints each one after its commit returned; it is SIGKILLed mid-stream. The
     * reopened store holds at least the last acknowledged voucher.
     */
    @Test
    void acknowledgedVouchersSurviveSigkill() throws Exception {
        Path db = dir.resolve("crash.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), db.toString()).redirectErrorStream(true).start();
        long lastAck = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    lastAck = Long.parseLong(line.substring(4));
                    if (lastAck >= 3000) {
                        p.destroyForcibly(); // SIGKILL: no shutdown hook, no close
                        break;
                    }
                }
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        assertTrue(lastAck >= 3000, "child acknowledged " + lastAck);
        try (JdbcChannelStore s = JdbcChannelStore.sqlite(db)) {
            BigInteger stored = s.latestVoucher(StoreContract.channel(7), SessionRole.PROVIDER).orElseThrow()
                    .cumulative();
            assertTrue(stored.compareTo(BigInteger.valueOf(lastAck)) >= 0, "stored " + stored + " < acked "
                    + lastAck);
        }
    }

    /** Child process of {@link #acknowledgedVouchersSurviveSigkill}. */
    public static final class CrashWriter {
        public static void main(String[] args) {
            JdbcChannelStore s = JdbcChannelStore.sqlite(Path.of(args[0]));
            for (long i = 1; i < 1_000_000; i++) {
                s.commitVoucher(StoreContract.voucher(StoreContract.channel(7), SessionRole.PROVIDER,
                        BigInteger.valueOf(i)));
                System.out.println("ACK " + i);
                System.out.flush();
            }
            List.of(s).forEach(JdbcChannelStore::close);
        }
    }
}
