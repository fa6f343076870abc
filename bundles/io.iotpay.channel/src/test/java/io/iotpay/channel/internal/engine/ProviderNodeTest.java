package io.iotpay.channel.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.sim.PowerProfile;
import io.iotpay.channel.internal.sim.SimulatedPlug;
import io.iotpay.channel.internal.testing.Fixture;
import io.iotpay.channel.internal.testing.TestKey;

/** Many channels in parallel through one provider node, every message through the codec as bytes. */
class ProviderNodeTest {

    @TempDir
    Path dir;
    Fixture f;
    ExecutorService pool;

    @AfterEach
    void close() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (f != null) {
            f.close();
        }
    }

    @Test
    void twentyChannelsInParallelEachPaidExactly() throws Exception {
        f = new Fixture(dir, Fixture.price("0.3"), Fixture.eth("0.001"), Fixture.eth("0"), Fixture.eth("1"),
                2_000_000);
        pool = Executors.newFixedThreadPool(4);
        KeyedSerialExecutor consumerSide = new KeyedSerialExecutor(pool);
        Map<SessionId, ConsumerSession> consumers = new ConcurrentHashMap<>();
        List<SignedMessage> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inFlight = new AtomicInteger();
        ProviderNode[] node = new ProviderNode[1];

        // provider -> consumer: ordered per session on the consumer side; consumer replies go back to the node
        java.util.function.BiConsumer<SessionId, List<SignedMessage>> toConsumer = new java.util.function.BiConsumer<>() {
            @Override
            public void accept(SessionId sid, List<SignedMessage> msgs) {
                for (SignedMessage m : msgs) {
                    if (m.body().type() == MessageType.ERROR) {
                        errors.add(m);
                        continue;
                    }
                    byte[] bytes = f.codec.encode(m);
                    inFlight.incrementAndGet();
                    consumerSide.submit(sid, () -> {
                        try {
                            for (SignedMessage reply : consumers.get(sid).onMessage(f.codec.decode(bytes))) {
                                inFlight.incrementAndGet();
                                node[0].handle(f.codec.encode(reply)).whenComplete((r, t) -> {
                                    if (r != null) {
                                        this.accept(sid, r);
                                    }
                                    inFlight.decrementAndGet();
                                });
                            }
                        } finally {
                            inFlight.decrementAndGet();
                        }
                        return null;
                    });
                }
            }
        };
        node[0] = new ProviderNode(f.providerContext(), pool, toConsumer);

        int n = 20;
        List<SessionId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestKey payer = TestKey.random(Fixture.CHAIN);
            ChannelId ch = new ChannelId(pad(1000 + i));
            SimulatedPlug plug = new SimulatedPlug("plug-" + i, MeteringUnit.KILOWATT_HOUR,
                    PowerProfile.constant(1_000_000L + 100_000L * i), f.clock);
            Offer o = new Offer("offer-" + i, f.payee.account(), "plug-" + i, f.offer.price(), Fixture.CONTRACT,
                    f.scheme.id(), f.offer.minimumDeposit(), f.offer.creditWindow(), f.offer.prepayWindow(),
                    Duration.ofHours(1), f.offer.endpoint(), null, MessageCodec.VERSION);
            SignedMessage offerMsg = node[0].publish(o, plug);
            f.scheme.put(ch, payer.account(), f.payee.account(), Fixture.eth("1"));
            VoucherSigner vs = (intent, voucher, domain) -> payer.signHash(
                    io.iotpay.channel.internal.testing.Eip712Voucher.digest(domain.verifyingContract(),
                            voucher.channel(), voucher.cumulative().units()));
            ConsumerSession c = ConsumerSession.create(f.consumerContext(vs), f.codec.decode(f.codec.encode(offerMsg)),
                    new ConsumerSession.Terms(payer.account(), ch, Fixture.eth("1"), Fixture.eth("1"),
                            f.offer.price(), Fixture.eth("0")));
            consumers.put(c.id(), c);
            ids.add(c.id());
            List<SignedMessage> start = node[0].handle(f.codec.encode(c.open(null))).get(10, TimeUnit.SECONDS);
            toConsumer.accept(c.id(), start);
        }
        for (int step = 0; step < 60; step++) {
            await(inFlight);
            f.clock.advance(f.meterInterval);
            node[0].tickAll().get(10, TimeUnit.SECONDS);
        }
        await(inFlight);
        assertTrue(errors.isEmpty(), "errors: " + errors);
        for (SessionId id : ids) {
            ProviderSession p = node[0].session(id).orElseThrow();
            assertEquals(SessionState.RUNNING, p.state());
            assertTrue(p.delivered().signum() > 0);
            assertEquals(Credit.owed(f.offer.price(), p.delivered()), p.lastVoucher(), id.value());
            assertEquals(p.lastVoucher(), consumers.get(id).lastSigned());
        }
    }

    @Test
    void refusalsComeBackAsSignedErrors() throws Exception {
        f = new Fixture(dir, Fixture.price("0.3"), Fixture.eth("0.001"), Fixture.eth("0"), Fixture.eth("1"),
                2_000_000);
        pool = Executors.newFixedThreadPool(2);
        ProviderNode node = new ProviderNode(f.providerContext(), pool, (s, m) -> { });
        SignedMessage offer = node.publish(f.offer, f.plug);
        assertError(node.handle("{\"v\":1,\"type\":".getBytes(StandardCharsets.UTF_8)).get(), ErrorCode.MALFORMED);
        assertError(node.handle("{\"v\":7}".getBytes(StandardCharsets.UTF_8)).get(), ErrorCode.UNSUPPORTED_VERSION);

        ConsumerSession c = ConsumerSession.create(f.consumerContext(f.payerSigner()), offer,
                f.terms(Fixture.eth("1"), Fixture.eth("0")));
        SignedMessage open = c.open(null);
        List<SignedMessage> start = node.handle(f.codec.encode(open)).get();
        assertEquals(MessageType.START, start.get(0).body().type());
        // the same OPEN_SESSION again
        assertError(node.handle(f.codec.encode(open)).get(), ErrorCode.REPLAYED);
        // a second session on the same channel while the first runs
        ConsumerSession c2 = ConsumerSession.create(f.consumerContext(f.payerSigner()), offer,
                f.terms(Fixture.eth("1"), Fixture.eth("0")));
        assertError(node.handle(f.codec.encode(c2.open(null))).get(), ErrorCode.INVALID_STATE);
        // a session the node does not know
        SignedMessage stray = c2.stop();
        assertError(node.handle(f.codec.encode(stray)).get(), ErrorCode.UNKNOWN_SESSION);
    }

    private void assertError(List<SignedMessage> replies, ErrorCode code) {
        assertEquals(1, replies.size());
        SignedMessage m = f.codec.decode(f.codec.encode(replies.get(0)));
        f.codec.verify(m, f.providerDevice.account());
        assertEquals(code, ((Body.Error) m.body()).code(), ((Body.Error) m.body()).message());
    }

    private static byte[] pad(int i) {
        byte[] b = new byte[32];
        b[30] = (byte) (i >>> 8);
        b[31] = (byte) i;
        return b;
    }

    private static void await(AtomicInteger inFlight) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() != 0) {
            if (System.nanoTime() > end) {
                throw new AssertionError("messages still in flight: " + inFlight.get());
            }
            Thread.sleep(1);
        }
    }
}
