package io.iotpay.channel.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionState;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.store.JdbcChannelStore;
import io.iotpay.channel.internal.store.SessionRecord;
import io.iotpay.channel.internal.testing.Fixture;

/**
 * The provider process dies (its objects are dropped without any shutdown, the database file is reopened by a new
 * store) and its session is rebuilt from the store; the consumer never notices beyond a duplicate it refuses.
 */
class ProviderRecoveryTest {

    @TempDir
    Path dir;
    Fixture f;
    final List<JdbcChannelStore> reopened = new ArrayList<>();

    @AfterEach
    void close() {
        reopened.forEach(JdbcChannelStore::close);
        if (f != null) {
            f.close();
        }
    }

    private ProviderSession restart(Fixture.Pair p) {
        JdbcChannelStore store = JdbcChannelStore.sqlite(dir.resolve("provider.db"));
        reopened.add(store);
        SessionRecord rec = store.session(p.provider.id(), SessionRole.PROVIDER).orElseThrow();
        ProviderSession.Context old = f.providerContext();
        ProviderSession.Context ctx = new ProviderSession.Context(old.codec(), old.signer(), old.clock(), store,
                old.verifier(), old.chain(), old.meterInterval());
        return ProviderSession.restore(ctx, rec, f.offer, f.plug);
    }

    @Test
    void fiveCrashesLoseNothingAndChargeEverything() {
        f = new Fixture(dir, Fixture.price("0.3"), Fixture.eth("0.001"), Fixture.eth("0"), Fixture.eth("1"),
                2_000_000);
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        for (int crash = 0; crash < 5; crash++) {
            for (int i = 0; i < 10; i++) {
                p.step();
            }
            // crash right after the provider stored a receipt but before it was sent
            f.clock.advance(f.meterInterval);
            List<SignedMessage> lost = p.provider.tick();
            assertEquals(1, lost.size());
            ProviderSession before = p.provider;
            p.provider = restart(p);
            assertEquals(SessionState.RUNNING, p.provider.state());
            assertEquals(before.lastVoucher(), p.provider.lastVoucher());
            assertEquals(before.delivered(), p.provider.delivered());
            assertEquals(before.ourSeq(), p.provider.ourSeq());
            // the stored last message is exactly the lost one; sending it now delivers it once
            SignedMessage again = p.provider.lastSent().orElseThrow();
            assertEquals(lost.get(0).envelope(), again.envelope());
            p.toConsumer(List.of(again));
            // a second copy is refused by the consumer and changes nothing
            SignedMessage dup = f.wire(again);
            ProtocolException e = assertThrows(ProtocolException.class, () -> p.consumer.onMessage(dup));
            assertEquals(ErrorCode.REPLAYED, e.code());
        }
        for (int i = 0; i < 10; i++) {
            p.step();
        }
        p.toProvider(List.of(p.consumer.stop()));
        BigInteger metered = f.plug.read().cumulativeSubunits();
        assertEquals(metered, p.provider.delivered());
        assertEquals(Credit.owed(f.offer.price(), metered), p.provider.lastVoucher());
        assertEquals(p.provider.lastVoucher(), p.consumer.lastSigned());
        assertFalse(f.plug.isOn());
    }

    @Test
    void providerNodeRecoversItsSessionsFromTheStore() throws Exception {
        f = new Fixture(dir, Fixture.price("0.3"), Fixture.eth("0.001"), Fixture.eth("0"), Fixture.eth("1"),
                2_000_000);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<SignedMessage> outbox = java.util.Collections.synchronizedList(new ArrayList<>());
            ProviderNode node = new ProviderNode(f.providerContext(), pool, (id, msgs) -> outbox.addAll(msgs));
            node.publish(f.offer, f.plug);
            ConsumerSession c = ConsumerSession.create(f.consumerContext(f.payerSigner()), f.offerMessage,
                    f.terms(Fixture.eth("1"), Fixture.eth("0")));
            for (SignedMessage m : node.handle(f.codec.encode(c.open(null))).get()) {
                c.onMessage(f.wire(m));
            }
            for (int i = 0; i < 5; i++) {
                f.clock.advance(f.meterInterval);
                node.tickAll().get();
                for (SignedMessage m : new ArrayList<>(outbox)) {
                    for (SignedMessage v : c.onMessage(f.wire(m))) {
                        assertTrue(node.handle(f.codec.encode(v)).get().isEmpty());
                    }
                }
                outbox.clear();
            }
            // a new node on the reopened database: same offer and device published again, then recover
            JdbcChannelStore store = JdbcChannelStore.sqlite(dir.resolve("provider.db"));
            reopened.add(store);
            ProviderSession.Context old = f.providerContext();
            ProviderNode node2 = new ProviderNode(new ProviderSession.Context(old.codec(), old.signer(), old.clock(),
                    store, old.verifier(), old.chain(), old.meterInterval()), pool, (id, msgs) -> outbox.addAll(msgs));
            node2.publish(f.offer, f.plug);
            assertEquals(List.of(c.id()), node2.recover());
            assertEquals(1, outbox.size(), "last message re-sent");
            ProtocolException e = assertThrows(ProtocolException.class, () -> c.onMessage(f.wire(outbox.get(0))));
            assertEquals(ErrorCode.REPLAYED, e.code());
            outbox.clear();
            f.clock.advance(f.meterInterval);
            node2.tickAll().get();
            for (SignedMessage m : new ArrayList<>(outbox)) {
                for (SignedMessage v : c.onMessage(f.wire(m))) {
                    assertTrue(node2.handle(f.codec.encode(v)).get().isEmpty());
                }
            }
            ProviderSession s = node2.session(c.id()).orElseThrow();
            assertEquals(Credit.owed(f.offer.price(), s.delivered()), s.lastVoucher());
            assertEquals(s.lastVoucher(), c.lastSigned());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void consumerRestartsAndKeepsPayingWithoutSigningTwice() {
        f = new Fixture(dir, Fixture.price("0.3"), Fixture.eth("0.001"), Fixture.eth("0"), Fixture.eth("1"),
                2_000_000);
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        for (int crash = 0; crash < 3; crash++) {
            for (int i = 0; i < 5; i++) {
                p.step();
            }
            // the consumer signed and stored a voucher, then died before sending it
            f.clock.advance(f.meterInterval);
            List<SignedMessage> receipt = p.provider.tick();
            List<SignedMessage> lost = p.consumer.onMessage(f.wire(receipt.get(0)));
            assertEquals(1, lost.size());
            JdbcChannelStore store = JdbcChannelStore.sqlite(dir.resolve("consumer.db"));
            reopened.add(store);
            ConsumerSession.Context old = f.consumerContext(f.payerSigner());
            ConsumerSession.Context ctx = new ConsumerSession.Context(old.codec(), old.signer(), old.clock(), store,
                    old.voucherSigner(), old.domainVersion(), old.scheme());
            ConsumerSession before = p.consumer;
            p.consumer = ConsumerSession.restore(ctx, store.session(before.id(), SessionRole.CONSUMER)
                    .orElseThrow(), f.terms(Fixture.eth("1"), Fixture.eth("0")));
            assertEquals(before.lastSigned(), p.consumer.lastSigned());
            assertEquals(before.delivered(), p.consumer.delivered());
            assertEquals(SessionState.RUNNING, p.consumer.state());
            SignedMessage again = p.consumer.lastSent().orElseThrow();
            assertEquals(lost.get(0).envelope(), again.envelope());
            p.toProvider(List.of(again));
            assertEquals(p.consumer.lastSigned(), p.provider.lastVoucher());
        }
        for (int i = 0; i < 5; i++) {
            p.step();
        }
        assertEquals(Credit.owed(f.offer.price(), p.provider.delivered()), p.provider.lastVoucher());
        assertEquals(p.provider.lastVoucher(), p.consumer.lastSigned());
    }

    @Test
    void energyDeliveredWhileTheProviderWasDownIsCountedAndCreditChecked() {
        f = new Fixture(dir, Fixture.price("0.3"), Fixture.eth("0.001"), Fixture.eth("0"), Fixture.eth("1"),
                2_000_000);
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        for (int i = 0; i < 5; i++) {
            p.step();
        }
        BigInteger before = p.provider.delivered();
        // down for 60 s with the relay left on: 33 333 mWh flow, far beyond the 0.001 ETH (~3333 mWh) window
        f.clock.advance(java.time.Duration.ofSeconds(60));
        p.provider = restart(p);
        List<SignedMessage> out = p.provider.tick();
        assertTrue(p.provider.delivered().subtract(before).compareTo(BigInteger.valueOf(33_333)) >= 0);
        assertEquals(SessionState.PAUSED, p.provider.state());
        assertFalse(f.plug.isOn());
        // the consumer is billed for it (receipt), pays, and delivery resumes
        p.toConsumer(out);
        assertEquals(SessionState.RUNNING, p.provider.state());
        assertTrue(f.plug.isOn());
        assertEquals(Credit.owed(f.offer.price(), p.provider.delivered()), p.provider.lastVoucher());
    }
}
