package io.iotpay.channel.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionState;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.store.JdbcChannelStore;
import io.iotpay.channel.internal.testing.Fixture;
import io.iotpay.channel.internal.testing.MutableClock;

/**
 * Security review M2: the provider restarts (a new node on the reopened database, nothing in memory) and an attacker
 * replays a captured OPEN_SESSION. It must be refused as REPLAYED whatever state the stored session is in, without
 * writing anything and without switching the device on; an OPEN_SESSION whose {@code at} is older than the offer's
 * validity or too far in the future is refused too.
 */
class ReplayAfterRestartTest {

    @TempDir
    Path dir;
    Fixture f;
    ExecutorService pool;
    final List<JdbcChannelStore> reopened = new ArrayList<>();
    final List<SignedMessage> outbox = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        f = new Fixture(dir, Fixture.price("0.3"), Fixture.eth("0.001"), Fixture.eth("0"), Fixture.eth("1"),
                2_000_000);
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        reopened.forEach(JdbcChannelStore::close);
        f.close();
    }

    /** A new provider node on the reopened database file, its offer published again (no recovery yet). */
    private ProviderNode restartedNode(JdbcChannelStore[] storeOut) {
        JdbcChannelStore store = JdbcChannelStore.sqlite(dir.resolve("provider.db"));
        reopened.add(store);
        storeOut[0] = store;
        ProviderSession.Context old = f.providerContext();
        ProviderNode node = new ProviderNode(new ProviderSession.Context(old.codec(), old.signer(), old.clock(),
                store, old.verifier(), old.chain(), old.meterInterval()), pool, (id, msgs) -> outbox.addAll(msgs));
        node.publish(f.offer, f.plug);
        return node;
    }

    /** Opens a session through a first node, pays a few intervals; returns the captured OPEN_SESSION bytes. */
    private byte[] openAndRun(ProviderNode node, ConsumerSession c) throws Exception {
        byte[] open = f.codec.encode(c.open(null));
        for (SignedMessage m : node.handle(open).get()) {
            assertEquals(MessageType.START, m.body().type());
            c.onMessage(f.wire(m));
        }
        for (int i = 0; i < 3; i++) {
            f.clock.advance(f.meterInterval);
            node.tickAll().get();
            for (SignedMessage m : new ArrayList<>(outbox)) {
                for (SignedMessage v : c.onMessage(f.wire(m))) {
                    assertTrue(node.handle(f.codec.encode(v)).get().isEmpty());
                }
            }
            outbox.clear();
        }
        return open;
    }

    private ConsumerSession consumer() {
        return ConsumerSession.create(f.consumerContext(f.payerSigner()), f.offerMessage,
                f.terms(Fixture.eth("1"), Fixture.eth("0")));
    }

    private void assertRefused(List<SignedMessage> replies, ErrorCode code, String messagePart) {
        assertEquals(1, replies.size());
        SignedMessage m = f.codec.decode(f.codec.encode(replies.get(0)));
        f.codec.verify(m, f.providerDevice.account());
        Body.Error e = assertInstanceOf(Body.Error.class, m.body(), "expected a refusal, got " + m.body().type());
        assertEquals(code, e.code(), e.message());
        assertTrue(e.message().contains(messagePart), e.message());
    }

    @Test
    void replayOfAStoppedSessionAfterRestartIsRefusedAndChangesNothing() throws Exception {
        ProviderNode node = new ProviderNode(f.providerContext(), pool, (id, msgs) -> outbox.addAll(msgs));
        node.publish(f.offer, f.plug);
        ConsumerSession c = consumer();
        byte[] open = openAndRun(node, c);
        node.handle(f.codec.encode(c.stop())).get();
        assertFalse(f.plug.isOn());

        JdbcChannelStore[] store = new JdbcChannelStore[1];
        ProviderNode node2 = restartedNode(store);
        assertEquals(List.of(), node2.recover(), "a stopped session is not rebuilt");
        var sessionsBefore = store[0].sessions();
        var channelsBefore = store[0].channels();
        var voucherBefore = store[0].latestVoucher(f.channel, SessionRole.PROVIDER);
        assertEquals(SessionState.STOPPED, store[0].session(c.id(), SessionRole.PROVIDER).orElseThrow().state());

        f.clock.advance(f.meterInterval);
        assertRefused(node2.handle(open).get(), ErrorCode.REPLAYED, "already exists");

        assertFalse(f.plug.isOn(), "device stays off");
        assertTrue(node2.session(c.id()).isEmpty(), "no session registered");
        assertEquals(sessionsBefore, store[0].sessions());
        assertEquals(channelsBefore, store[0].channels());
        assertEquals(voucherBefore, store[0].latestVoucher(f.channel, SessionRole.PROVIDER));
        assertTrue(outbox.isEmpty());
    }

    @Test
    void replayBeforeRecoveryOfARunningSessionIsRefusedAndChangesNothing() throws Exception {
        ProviderNode node = new ProviderNode(f.providerContext(), pool, (id, msgs) -> outbox.addAll(msgs));
        node.publish(f.offer, f.plug);
        ConsumerSession c = consumer();
        byte[] open = openAndRun(node, c);
        // the provider process dies; the plug loses power with it
        f.plug.switchOff();

        JdbcChannelStore[] store = new JdbcChannelStore[1];
        ProviderNode node2 = restartedNode(store);
        var sessionsBefore = store[0].sessions();
        var channelsBefore = store[0].channels();
        assertEquals(SessionState.RUNNING, store[0].session(c.id(), SessionRole.PROVIDER).orElseThrow().state());

        assertRefused(node2.handle(open).get(), ErrorCode.REPLAYED, "already exists");

        assertFalse(f.plug.isOn(), "the replay does not switch the device on");
        assertTrue(node2.session(c.id()).isEmpty());
        assertEquals(sessionsBefore, store[0].sessions());
        assertEquals(channelsBefore, store[0].channels());
        // recovery still works afterwards and a replay then is refused as well
        assertEquals(List.of(c.id()), node2.recover());
        outbox.clear();
        assertRefused(node2.handle(open).get(), ErrorCode.REPLAYED, "already exists");
    }

    @Test
    void openSessionOlderThanTheOfferValidityIsRefused() throws Exception {
        ProviderNode node = new ProviderNode(f.providerContext(), pool, (id, msgs) -> outbox.addAll(msgs));
        node.publish(f.offer, f.plug);
        ConsumerSession c = consumer();
        byte[] open = f.codec.encode(c.open(null));
        f.clock.advance(f.offer.validity().plusSeconds(1));

        assertRefused(node.handle(open).get(), ErrorCode.REPLAYED, "older than the offer validity");
        assertFalse(f.plug.isOn());
        assertTrue(f.providerStore.session(c.id(), SessionRole.PROVIDER).isEmpty());
        assertTrue(f.providerStore.channel(f.channel, SessionRole.PROVIDER).isEmpty());
    }

    @Test
    void openSessionTooFarInTheFutureIsRefusedButSmallSkewIsAccepted() throws Exception {
        ProviderNode node = new ProviderNode(f.providerContext(), pool, (id, msgs) -> outbox.addAll(msgs));
        node.publish(f.offer, f.plug);
        ConsumerSession.Context cc = f.consumerContext(f.payerSigner());
        MutableClock ahead = new MutableClock(f.clock.instant().plus(Duration.ofMinutes(3)));
        ConsumerSession early = ConsumerSession.create(new ConsumerSession.Context(cc.codec(), cc.signer(), ahead,
                cc.store(), cc.voucherSigner(), cc.domainVersion(), cc.scheme()), f.offerMessage,
                f.terms(Fixture.eth("1"), Fixture.eth("0")));

        assertRefused(node.handle(f.codec.encode(early.open(null))).get(), ErrorCode.REPLAYED,
                "ahead of the provider clock");
        assertFalse(f.plug.isOn());
        assertTrue(f.providerStore.session(early.id(), SessionRole.PROVIDER).isEmpty());

        // one minute of skew is normal and accepted
        MutableClock slightly = new MutableClock(f.clock.instant().plus(Duration.ofMinutes(1)));
        ConsumerSession ok = ConsumerSession.create(new ConsumerSession.Context(cc.codec(), cc.signer(), slightly,
                cc.store(), cc.voucherSigner(), cc.domainVersion(), cc.scheme()), f.offerMessage,
                f.terms(Fixture.eth("1"), Fixture.eth("0")));
        List<SignedMessage> replies = node.handle(f.codec.encode(ok.open(null))).get();
        assertEquals(MessageType.START, replies.get(0).body().type());
        assertTrue(f.plug.isOn());
    }
}
