package io.iotpay.benchmarks;

import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.SettlementScheme;
import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;
import io.iotpay.api.wallet.VoucherDomain;
import io.iotpay.channel.internal.engine.ProviderNode;
import io.iotpay.channel.internal.engine.ProviderSession;
import io.iotpay.channel.internal.engine.VoucherVerifier;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.Envelope;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.MessageSigner;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.Secp256k1;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.sim.PowerProfile;
import io.iotpay.channel.internal.sim.SimulatedPlug;
import io.iotpay.channel.internal.store.JdbcChannelStore;
import io.iotpay.wallet.internal.WalletService;
import io.iotpay.wallet.internal.crypto.Keccak;
import io.iotpay.wallet.internal.crypto.NativeSecp256k1;

/**
 * Load driver for the provider's voucher path (issue 5): one real {@link ProviderNode} with the real SQLite
 * {@link JdbcChannelStore} (WAL, {@code synchronous=FULL}, group commit) in a temporary folder receives pre-signed
 * VOUCHER messages (canonical JSON bytes, exactly what arrives over HTTP) on N channels at once, each channel with one
 * voucher in flight (the next is sent when the previous one was answered, i.e. verified and committed). Prints
 * vouchers/s, p50 and p99 latency (from {@code handle(bytes)} to its answer) per channel count, the raw
 * hash-and-recover ceiling of this JVM on this machine measured in the same run, and heap per idle channel.
 * <p>
 * Not a test. Run: {@code java -cp benchmarks/target/benchmarks.jar io.iotpay.benchmarks.VoucherLoadDriver
 * --channels 1,100,1000 --seconds 10}. Options: {@code --warmup s} (default 3), {@code --workers n} (the node's
 * executor; default as the OSGi component: max(2, cores)), {@code --io n} (threads that hand bytes to the node, as
 * HTTP threads do; default 2), {@code --idle k} (idle channels for the heap figure, default 10000),
 * {@code --dir path} (where the SQLite file goes; default the temp folder), {@code --rate r} (open-loop offered
 * rate in vouchers/s for the second run of each channel count, default 10000; 0 skips it), {@code --envelope-check}
 * (also recover each VOUCHER's message signature: two recoveries per voucher).
 */
public final class VoucherLoadDriver {

    private static final ChainId CHAIN = ChainId.DEVNET;
    private static final Asset ETH = Asset.DEVNET_ETH;
    private static final AccountId CONTRACT = AccountId.of(CHAIN, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    private static final String SCHEME = "iotpay-channels-v1";
    private static final VoucherDomain DOMAIN = VoucherDomain.iotpay(CONTRACT, "1");

    private final NativeSecp256k1 crypto = NativeSecp256k1.load();
    private final MessageCodec codec = new MessageCodec();
    private final Key providerDevice = new Key("provider device");
    private final Key payee = new Key("payee");
    private final Key consumerDevice = new Key("consumer device");
    private final Key payer = new Key("payer");
    private final Offer offer = new Offer("offer-bench", payee.account, "plug-bench",
            Price.parse("0.3 ETH/kWh", ETH), CONTRACT, SCHEME, Amount.zero(ETH), Amount.parse("0.001", ETH),
            Amount.zero(ETH), Duration.ofHours(1), URI.create("http://127.0.0.1:8181/iotpay/v1"), null,
            MessageCodec.VERSION);
    private final Map<ChannelId, Channel> chain = new ConcurrentHashMap<>();
    private final AtomicInteger channelCounter = new AtomicInteger();

    private int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int io = 2;
    private boolean envelopeCheck;
    private Path dir;

    /** A secp256k1 key signing with the wallet's native libsecp256k1 (the driver's own cost, before timing). */
    private final class Key {
        final byte[] priv;
        final byte[] pub;
        final AccountId account;

        Key(String seed) {
            priv = Keccak.keccak256(("iotpay load driver " + seed).getBytes(StandardCharsets.UTF_8));
            pub = crypto.publicKey(priv);
            byte[] h = Keccak.keccak256(Arrays.copyOfRange(pub, 1, 65));
            account = AccountId.of(CHAIN, "0x" + org.bouncycastle.util.encoders.Hex.toHexString(
                    Arrays.copyOfRange(h, 12, 32)));
        }

        Signature sign(byte[] digest) {
            return new Signature(crypto.sign(digest, priv, pub), SignatureScheme.SECP256K1_RECOVERABLE);
        }

        MessageSigner messageSigner() {
            return new MessageSigner() {
                @Override
                public AccountId account() {
                    return account;
                }

                @Override
                public Signature signPersonal(byte[] payload) {
                    return sign(Secp256k1.personalMessageHash(payload));
                }
            };
        }
    }

    /** One provider node over a fresh SQLite file. */
    private final class Node implements AutoCloseable {
        final Path folder;
        final JdbcChannelStore store;
        final ExecutorService pool;
        final ProviderNode node;
        final SimulatedPlug plug = new SimulatedPlug("plug-bench", MeteringUnit.KILOWATT_HOUR,
                PowerProfile.constant(0), Clock.systemUTC());

        Node() throws Exception {
            folder = dir == null ? Files.createTempDirectory("iotpay-voucher-load-")
                    : Files.createTempDirectory(dir, "iotpay-voucher-load-");
            store = JdbcChannelStore.sqlite(folder.resolve("provider.db"));
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "provider-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            ProviderSession.Context ctx = new ProviderSession.Context(codec, providerDevice.messageSigner(),
                    Clock.systemUTC(), store, VoucherVerifier.of(new DigestScheme()),
                    id -> Optional.ofNullable(chain.get(id)), Duration.ofSeconds(1))
                    .withVoucherEnvelopeCheck(envelopeCheck);
            node = new ProviderNode(ctx, pool, (s, m) -> { });
            node.publish(offer, plug);
        }

        /** OPEN_SESSION bytes for a fresh channel (put on the simulated chain). */
        byte[] openMessage() {
            byte[] id = Keccak.keccak256(BigInteger.valueOf(channelCounter.incrementAndGet()).toByteArray());
            ChannelId ch = new ChannelId(id);
            chain.put(ch, new Channel(ch, SCHEME, CONTRACT, payer.account, payee.account, ETH,
                    Amount.parse("1000000", ETH), Amount.zero(ETH), ChannelState.OPEN, null));
            SessionId sid = new SessionId("bench-" + org.bouncycastle.util.encoders.Hex.toHexString(id, 0, 12));
            return codec.encode(codec.sign(new Envelope(MessageCodec.VERSION, MessageType.OPEN_SESSION,
                    consumerDevice.account, sid, 1, Instant.now()), new Body.OpenSession("offer-bench", ch,
                            payer.account, null), consumerDevice.messageSigner()));
        }

        /** Opens a session on a fresh channel (OPEN_SESSION, answered by START). */
        Lane open() throws Exception {
            byte[] id = Keccak.keccak256(BigInteger.valueOf(channelCounter.incrementAndGet()).toByteArray());
            ChannelId ch = new ChannelId(id);
            Amount deposit = Amount.parse("1000000", ETH);
            chain.put(ch, new Channel(ch, SCHEME, CONTRACT, payer.account, payee.account, ETH, deposit,
                    Amount.zero(ETH), ChannelState.OPEN, null));
            SessionId sid = new SessionId("bench-" + org.bouncycastle.util.encoders.Hex.toHexString(id, 0, 12));
            SignedMessage open = codec.sign(new Envelope(MessageCodec.VERSION, MessageType.OPEN_SESSION,
                    consumerDevice.account, sid, 1, Instant.now()), new Body.OpenSession("offer-bench", ch,
                            payer.account, null), consumerDevice.messageSigner());
            List<SignedMessage> r = node.handle(codec.encode(open)).get();
            if (r.size() != 1 || r.get(0).body().type() != MessageType.START) {
                throw new IllegalStateException("open refused: " + r);
            }
            return new Lane(sid, ch);
        }

        @Override
        public void close() throws Exception {
            pool.shutdownNow();
            store.close();
            try (var files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Digest side of IOTPAY's EVM scheme (the wallet's EIP-712 voucher digest); nothing on chain. */
    private static final class DigestScheme implements SettlementScheme {
        @Override
        public String id() {
            return SCHEME;
        }

        @Override
        public AccountId contract() {
            return CONTRACT;
        }

        @Override
        public byte[] voucherDigest(ChannelId id, Amount cumulative) {
            return WalletService.voucherDigest(Voucher.unsigned(id, CONTRACT, cumulative), DOMAIN);
        }

        @Override
        public AccountId recoverSigner(byte[] digest, Signature signature) {
            return AccountId.of(CHAIN, Secp256k1.recoverAddress(digest, signature));
        }

        @Override
        public Optional<Channel> channel(ChannelId id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ChannelId channelId(AccountId a, AccountId b, Asset c, byte[] d) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.iotpay.api.chain.TxHash open(AccountId a, AccountId b, Amount c, byte[] d, Duration e) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.iotpay.api.chain.TxHash topUp(AccountId a, ChannelId b, Amount c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.iotpay.api.chain.TxHash claim(AccountId a, Voucher b) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.iotpay.api.chain.TxHash claimBatch(AccountId a, List<Voucher> b) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.iotpay.api.chain.TxHash cooperativeClose(AccountId a, Voucher b, Signature c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.iotpay.api.chain.TxHash startClose(AccountId a, ChannelId b) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.iotpay.api.chain.TxHash withdraw(AccountId a, ChannelId b) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] closeDigest(ChannelId id, Amount finalCumulative) {
            throw new UnsupportedOperationException();
        }
    }

    /** Pre-signed VOUCHER messages of one session: seq 2, 3, ... with rising cumulative amounts. */
    private byte[][] vouchers(SessionId sid, ChannelId ch, int firstSeq, long firstIndex, int count) {
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            BigInteger amount = BigInteger.valueOf(1_000_000_000L * (firstIndex + i + 1));
            Signature vs = payer.sign(WalletService.voucherDigest(Voucher.unsigned(ch, CONTRACT,
                    Amount.ofUnits(amount, ETH)), DOMAIN));
            SignedMessage m = codec.sign(new Envelope(MessageCodec.VERSION, MessageType.VOUCHER,
                    consumerDevice.account, sid, firstSeq + i, Instant.now()), new Body.VoucherBody(ch, amount, vs,
                            0), consumerDevice.messageSigner());
            out[i] = codec.encode(m);
        }
        return out;
    }

    record Result(int channels, long vouchers, double seconds, long p50, long p90, long p99, long max) {
        double rate() {
            return vouchers / seconds;
        }
    }

    /** Per-session progress across warm-up and measurement. */
    private static final class Lane {
        final SessionId sid;
        final ChannelId ch;
        int nextSeq = 2;
        long nextIndex;

        Lane(SessionId sid, ChannelId ch) {
            this.sid = sid;
            this.ch = ch;
        }
    }

    private Result run(Node node, List<Lane> lanes, int perLane, double seconds) throws Exception {
        int n = lanes.size();
        // pre-sign on all cores before timing
        byte[][][] msgs = new byte[n][][];
        IntStream.range(0, n).parallel().forEach(i -> msgs[i] = vouchers(lanes.get(i).sid, lanes.get(i).ch,
                lanes.get(i).nextSeq, lanes.get(i).nextIndex, perLane));
        int[] sent = new int[n];
        System.gc();
        long[] lat = new long[n * perLane];
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService ioPool = Executors.newFixedThreadPool(io, r -> {
            Thread t = new Thread(r, "transport");
            t.setDaemon(true);
            return t;
        });
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        CountDownLatch finished = new CountDownLatch(n);
        AtomicLong endNanos = new AtomicLong();
        long t0 = System.nanoTime();
        for (int c = 0; c < n; c++) {
            int lane = c;
            ioPool.execute(() -> send(node, msgs[lane], lane, 0, perLane, lat, done, failure, deadline, finished,
                    ioPool, sent));
        }
        finished.await();
        long t1 = System.nanoTime();
        ioPool.shutdownNow();
        for (int c = 0; c < n; c++) {
            lanes.get(c).nextSeq += sent[c];
            lanes.get(c).nextIndex += sent[c];
        }
        if (failure.get() != null) {
            throw new IllegalStateException("voucher refused", failure.get());
        }
        int count = done.get();
        long[] sorted = Arrays.copyOf(Arrays.stream(lat).filter(x -> x > 0).sorted().toArray(), count);
        Arrays.sort(sorted);
        endNanos.set(t1);
        return new Result(n, count, (t1 - t0) / 1e9, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    }

    private void send(Node node, byte[][] msgs, int lane, int i, int perLane, long[] lat, AtomicInteger done,
            AtomicReference<Throwable> failure, long deadline, CountDownLatch finished, ExecutorService ioPool,
            int[] sent) {
        if (i >= msgs.length || System.nanoTime() >= deadline || failure.get() != null) {
            sent[lane] = i;
            finished.countDown();
            return;
        }
        long s = System.nanoTime();
        node.node.handle(msgs[i]).whenComplete((replies, err) -> {
            long e = System.nanoTime();
            if (err != null) {
                failure.compareAndSet(null, err);
            } else if (!replies.isEmpty()) {
                failure.compareAndSet(null, new IllegalStateException(codec.encodePretty(replies.get(0))));
            } else {
                lat[lane * perLane + i] = Math.max(1, e - s);
                done.incrementAndGet();
            }
            // the next voucher of this channel leaves from a transport thread, not from the store's thread
            try {
                ioPool.execute(() -> send(node, msgs, lane, i + 1, perLane, lat, done, failure, deadline, finished,
                        ioPool, sent));
            } catch (java.util.concurrent.RejectedExecutionException x) {
                sent[lane] = i + 1;
                finished.countDown();
            }
        });
    }

    /**
     * Open loop: vouchers leave at a fixed total rate spread evenly over the channels, whatever the node's answers
     * (several may be in flight on one channel; the node keeps each channel's order). Latency counts from the time a
     * voucher was due to leave, so a node falling behind shows as latency (no coordinated omission).
     */
    private Result runOpen(Node node, List<Lane> lanes, double rate, double seconds) throws Exception {
        int n = lanes.size();
        int total = (int) Math.ceil(rate * seconds);
        int perLane = (total + n - 1) / n;
        byte[][][] msgs = new byte[n][][];
        IntStream.range(0, n).parallel().forEach(i -> msgs[i] = vouchers(lanes.get(i).sid, lanes.get(i).ch,
                lanes.get(i).nextSeq, lanes.get(i).nextIndex, perLane));
        System.gc();
        long[] lat = new long[total];
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch all = new CountDownLatch(total);
        int[] sent = new int[n];
        long t0 = System.nanoTime() + 50_000_000L;
        double interval = 1e9 / rate;
        Thread[] pacers = new Thread[io];
        for (int j = 0; j < io; j++) {
            int me = j;
            pacers[j] = new Thread(() -> {
                // voucher k is due at t0 + k * interval and goes to channel k % n; this pacer owns channels j mod io
                for (int k = me; k < total; k++) {
                    int lane = k % n;
                    if (lane % io != me) {
                        continue;
                    }
                    long due = t0 + (long) (k * interval);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(Math.min(wait, 200_000L));
                    }
                    int idx = sent[lane]++;
                    int slot = k;
                    node.node.handle(msgs[lane][idx]).whenComplete((replies, err) -> {
                        if (err != null) {
                            failure.compareAndSet(null, err);
                        } else if (!replies.isEmpty()) {
                            failure.compareAndSet(null, new IllegalStateException(codec.encodePretty(replies
                                    .get(0))));
                        } else {
                            lat[slot] = Math.max(1, System.nanoTime() - due);
                            done.incrementAndGet();
                        }
                        all.countDown();
                    });
                }
            }, "pacer-" + j);
            pacers[j].start();
        }
        for (Thread t : pacers) {
            t.join();
        }
        all.await(120, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        for (int c = 0; c < n; c++) {
            lanes.get(c).nextSeq += sent[c];
            lanes.get(c).nextIndex += sent[c];
        }
        if (failure.get() != null) {
            throw new IllegalStateException("voucher refused", failure.get());
        }
        long[] sorted = Arrays.stream(lat).filter(x -> x > 0).sorted().toArray();
        return new Result(n, done.get(), (t1 - t0) / 1e9, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /**
     * Channels at once: warm-up, then the closed-loop saturation run (one voucher in flight per channel), then the
     * open-loop run at {@code rate} vouchers/s in total (skipped when {@code rate} is 0 or there are fewer than 10
     * channels: one channel is served strictly in order, one durable commit at a time).
     */
    private Result[] measure(int channels, double warmup, double seconds, double rate) throws Exception {
        try (Node node = new Node()) {
            List<Lane> lanes = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                lanes.add(node.open());
            }
            int warmPer = (int) Math.max(50, Math.ceil(25_000 * warmup / channels));
            Result w = run(node, lanes, warmPer, warmup);
            // enough pre-signed vouchers for twice the warm-up rate over the measured time
            int per = (int) Math.max(50, Math.ceil(Math.max(w.rate(), 2_000) * 2 * seconds / channels));
            per = Math.min(per, 2_000_000 / channels);
            Result closed = run(node, lanes, per, seconds);
            Result open = rate > 0 && channels >= 10 ? runOpen(node, lanes, rate, seconds) : null;
            return new Result[] { closed, open };
        }
    }

    /** Raw ceiling: EIP-712 voucher digest + libsecp256k1 recovery + address compare, on {@code threads} threads. */
    private double ceiling(int threads, double seconds) throws Exception {
        ChannelId ch = new ChannelId(Keccak.keccak256(new byte[] { 7 }));
        int k = 256;
        Signature[] sigs = new Signature[k];
        Amount[] amounts = new Amount[k];
        for (int i = 0; i < k; i++) {
            amounts[i] = Amount.ofUnits(BigInteger.valueOf(1_000_000L * (i + 1)), ETH);
            sigs[i] = payer.sign(WalletService.voucherDigest(Voucher.unsigned(ch, CONTRACT, amounts[i]), DOMAIN));
        }
        DigestScheme scheme = new DigestScheme();
        AtomicLong ops = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        Thread[] ts = new Thread[threads];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 64; i++) {
                        int j = (int) (n++ % k);
                        String a = Secp256k1.recoverAddress(scheme.voucherDigest(ch, amounts[j]), sigs[j]);
                        if (!a.equals(payer.account.address())) {
                            throw new IllegalStateException("recovered " + a);
                        }
                    }
                }
                ops.addAndGet(n);
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        return ops.get() / ((System.nanoTime() - t0) / 1e9);
    }

    /** Heap (after GC) with {@code k} idle sessions open on a node minus the same node with none, per session. */
    private double heapPerIdleChannel(int k) throws Exception {
        try (Node node = new Node()) {
            node.open(); // warm code paths
            long before = usedAfterGc();
            // opened 500 at a time (signed just before, so no pre-signed message is still held when measuring)
            for (int done = 0; done < k; done += 500) {
                List<java.util.concurrent.CompletableFuture<List<SignedMessage>>> fs = new ArrayList<>();
                for (int i = done; i < Math.min(k, done + 500); i++) {
                    fs.add(node.node.handle(node.openMessage()));
                }
                for (var f : fs) {
                    List<SignedMessage> r = f.get();
                    if (r.size() != 1 || r.get(0).body().type() != MessageType.START) {
                        throw new IllegalStateException("open refused: " + r);
                    }
                }
            }
            long after = usedAfterGc();
            return (after - before) / (double) k;
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "n/a";
        }
    }

    public static void main(String[] args) throws Exception {
        VoucherLoadDriver d = new VoucherLoadDriver();
        int[] channels = { 1, 100, 1000 };
        double seconds = 10;
        double warmup = 3;
        int idle = 10_000;
        double rate = 10_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--channels" -> channels = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt)
                        .toArray();
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--workers" -> d.workers = Integer.parseInt(args[++i]);
                case "--io" -> d.io = Integer.parseInt(args[++i]);
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--envelope-check" -> d.envelopeCheck = true;
                case "--dir" -> d.dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("IOTPAY voucher load driver: %d cores, Java %s, recovery %s, workers %d, transport "
                + "threads %d, VOUCHER message signature %s%n", cores, System.getProperty("java.version"),
                Secp256k1.implementation(), d.workers, d.io, d.envelopeCheck ? "also recovered (2 recoveries)"
                        : "not recovered (1 recovery)");
        System.out.printf("load average before: %s%n", loadavg());
        d.ceiling(1, 1); // warm-up
        double c1 = d.ceiling(1, 3);
        double cAll = d.ceiling(cores, 3);
        System.out.printf("raw hash+recover ceiling (EIP-712 digest + libsecp256k1 recover): 1 thread %,.0f/s, "
                + "%d threads %,.0f/s%n", c1, cores, cAll);
        List<Result[]> results = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        for (int c : channels) {
            Result[] r = d.measure(c, warmup, seconds, rate);
            results.add(r);
            loads.add(loadavg().split(" ")[0]);
            System.out.printf("  %,d channels: %,d vouchers in %.1f s (closed loop)%s%n", c, r[0].vouchers(),
                    r[0].seconds(), r[1] == null ? "" : String.format(", %,d in %.1f s (open loop)", r[1].vouchers(),
                            r[1].seconds()));
        }
        double heap = d.heapPerIdleChannel(idle);
        System.out.println();
        System.out.println("Saturation (closed loop: each channel sends its next voucher when the previous one is "
                + "answered):");
        System.out.println("| channels | vouchers/s | p50 | p90 | p99 | max | ratio to ceiling (all cores) | load avg |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i)[0];
            System.out.printf("| %,d | %,.0f | %.2f ms | %.2f ms | %.2f ms | %.1f ms | %.2f | %s |%n", r.channels(),
                    r.rate(), r.p50() / 1e6, r.p90() / 1e6, r.p99() / 1e6, r.max() / 1e6, r.rate() / cAll,
                    loads.get(i));
        }
        if (rate > 0) {
            System.out.printf("%nOpen loop at %,.0f vouchers/s offered in total, spread evenly over the channels "
                    + "(latency from when each voucher was due):%n", rate);
            System.out.println("| channels | offered/s | answered/s | p50 | p90 | p99 | max |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (Result[] rr : results) {
                Result r = rr[1];
                if (r == null) {
                    System.out.printf("| %,d | - | - | - | - | - | - |%n", rr[0].channels());
                    continue;
                }
                System.out.printf("| %,d | %,.0f | %,.0f | %.2f ms | %.2f ms | %.2f ms | %.1f ms |%n", r.channels(),
                        rate, r.rate(), r.p50() / 1e6, r.p90() / 1e6, r.p99() / 1e6, r.max() / 1e6);
            }
        }
        System.out.printf("%nraw hash+recover ceiling: %,.0f/s on 1 thread, %,.0f/s on %d threads%n", c1, cAll, cores);
        System.out.printf("heap per idle channel (session open, RUNNING, no traffic; %,d channels): %,.0f bytes%n",
                idle, heap);
        System.out.printf("load average after: %s%n", loadavg());
        System.exit(0);
    }
}
