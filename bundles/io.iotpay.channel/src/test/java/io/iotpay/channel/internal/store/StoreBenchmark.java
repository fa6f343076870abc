package io.iotpay.channel.internal.store;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.channel.internal.testing.PostgresServer;

/**
 * Voucher-commit throughput of the store on SQLite, H2 and PostgreSQL (not a unit test; run by hand, figures in
 * docs/benchmarks.md "Store"). {@code threads} callers each commit increasing vouchers on their own channel and wait
 * for durability every time, exactly as the provider does before acknowledging a voucher. Signatures are prepared in
 * advance, so only the store is measured.
 * <p>
 * Usage: {@code java -cp ... StoreBenchmark <threads> <seconds> [sqlite|h2|postgres ...]}
 */
public final class StoreBenchmark {

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        List<String> dbs = args.length > 2 ? Arrays.asList(args).subList(2, args.length)
                : List.of("sqlite", "h2");
        for (String db : dbs) {
            Path dir = Files.createTempDirectory("iotpay-bench-");
            PostgresServer pg = null;
            JdbcChannelStore store;
            switch (db) {
                case "sqlite" -> store = JdbcChannelStore.sqlite(dir.resolve("b.db"));
                case "h2" -> {
                    String url = "jdbc:h2:file:" + dir.resolve("b") + ";WRITE_DELAY=0";
                    store = new JdbcChannelStore(JdbcChannelStore.Dialect.H2, () -> DriverManager.getConnection(url));
                }
                case "postgres" -> {
                    pg = PostgresServer.start();
                    store = JdbcChannelStore.postgres(pg.jdbcUrl(), PostgresServer.USER, null);
                }
                default -> throw new IllegalArgumentException(db);
            }
            try {
                run(db, store, threads, 3, false);
                run(db, store, threads, seconds, true);
            } finally {
                store.close();
                if (pg != null) {
                    pg.close();
                }
            }
        }
    }

    private static void run(String db, JdbcChannelStore store, int threads, int seconds, boolean report)
            throws InterruptedException {
        // one pre-signed voucher template per thread; the amount must grow, the signature is not re-checked here
        StoredVoucher[] templates = new StoredVoucher[threads];
        for (int t = 0; t < threads; t++) {
            templates[t] = StoreContract.voucher(StoreContract.channel(10_000 + t), SessionRole.PROVIDER,
                    BigInteger.ONE);
        }
        AtomicBoolean stop = new AtomicBoolean();
        long[][] lat = new long[threads][];
        int[] counts = new int[threads];
        List<Thread> ts = new ArrayList<>();
        long base = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                long[] l = new long[1 << 20];
                int n = 0;
                ChannelId ch = templates[id].channel();
                BigInteger amount = BigInteger.valueOf(base + id); // higher than any earlier run's
                while (!stop.get()) {
                    amount = amount.add(BigInteger.ONE);
                    long t0 = System.nanoTime();
                    store.commitVoucher(new StoredVoucher(ch, SessionRole.PROVIDER, amount,
                            templates[id].signature(), templates[id].at()));
                    if (n < l.length) {
                        l[n] = System.nanoTime() - t0;
                    }
                    n++;
                }
                lat[id] = Arrays.copyOf(l, Math.min(n, l.length));
                counts[id] = n;
            });
            ts.add(th);
            th.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread th : ts) {
            th.join();
        }
        if (!report) {
            return;
        }
        long total = Arrays.stream(counts).sum();
        long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("%-8s threads=%d  %,d vouchers in %d s = %,.0f commits/s  p50=%.2f ms  p99=%.2f ms%n", db,
                threads, total, seconds, total / (double) seconds, all[all.length / 2] / 1e6,
                all[(int) (all.length * 0.99)] / 1e6);
    }
}
