package io.iotpay.channel.internal.engine;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.Signature;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.Envelope;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.store.JdbcChannelStore;
import io.iotpay.channel.internal.store.StoredVoucher;
import io.iotpay.channel.internal.testing.Eip712Voucher;
import io.iotpay.channel.internal.testing.FakeScheme;
import io.iotpay.channel.internal.testing.Fixture;
import io.iotpay.channel.internal.testing.TestKey;

/**
 * The provider's voucher path without the network: decode the JSON, verify the message signature (EIP-191 recovery),
 * verify the voucher (EIP-712 digest + recovery), commit durably to SQLite (group commit). Not a unit test; run by
 * hand: {@code VoucherPathBenchmark <threads> <vouchersPerThread>}. Messages are signed in advance.
 */
public final class VoucherPathBenchmark {

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int per = Integer.parseInt(args[1]);
        MessageCodec codec = new MessageCodec();
        FakeScheme scheme = new FakeScheme(Fixture.CONTRACT);
        VoucherVerifier verifier = VoucherVerifier.of(scheme);
        TestKey device = TestKey.random(Fixture.CHAIN);
        TestKey payer = TestKey.random(Fixture.CHAIN);
        Asset eth = Fixture.ETH;
        byte[][][] msgs = new byte[threads][per][];
        for (int t = 0; t < threads; t++) {
            byte[] id = new byte[32];
            id[0] = (byte) 0xbe;
            id[31] = (byte) t;
            id[30] = (byte) (t >>> 8);
            ChannelId ch = new ChannelId(id);
            SessionId sid = new SessionId("bench-session-" + t);
            for (int i = 0; i < per; i++) {
                BigInteger amount = BigInteger.valueOf(1_000_000L * (i + 1));
                Signature vs = payer.signHash(Eip712Voucher.digest(Fixture.CONTRACT, ch, amount));
                SignedMessage m = codec.sign(new Envelope(1, MessageType.VOUCHER, device.account(), sid, i + 1,
                        Instant.now()), new Body.VoucherBody(ch, amount, vs, i), device.messageSigner());
                msgs[t][i] = codec.encode(m);
            }
        }
        System.out.println("prepared " + threads * per + " signed voucher messages");
        Path dir = Files.createTempDirectory("iotpay-vbench-");
        try (JdbcChannelStore store = JdbcChannelStore.sqlite(dir.resolve("v.db"))) {
            long[][] lat = new long[threads][per];
            AtomicInteger done = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int tid = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < per; i++) {
                        long s = System.nanoTime();
                        SignedMessage m = codec.decode(msgs[tid][i]);
                        codec.verify(m, device.account());
                        Body.VoucherBody v = (Body.VoucherBody) m.body();
                        verifier.verify(v.channel(), Amount.ofUnits(v.cumulativeAmount(), eth), v.signature(),
                                payer.account());
                        if (!store.commitVoucher(new StoredVoucher(v.channel(), SessionRole.PROVIDER,
                                v.cumulativeAmount(), v.signature(), m.envelope().at()))) {
                            throw new IllegalStateException("not stored");
                        }
                        lat[tid][i] = System.nanoTime() - s;
                        done.incrementAndGet();
                    }
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) {
                th.join();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).sorted().toArray();
            System.out.printf("threads=%d  %,d vouchers in %.1f s = %,.0f verified+committed/s  p50=%.2f ms"
                    + "  p99=%.2f ms%n", threads, done.get(), secs, done.get() / secs, all[all.length / 2] / 1e6,
                    all[(int) (all.length * 0.99)] / 1e6);
        }
    }
}
