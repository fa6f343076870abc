package io.iotpay.channel.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.channel.internal.store.ChannelRecord;
import io.iotpay.channel.internal.store.JdbcChannelStore;
import io.iotpay.channel.internal.store.StoredVoucher;
import io.iotpay.channel.internal.testing.Eip712Voucher;
import io.iotpay.channel.internal.testing.FakeScheme;
import io.iotpay.channel.internal.testing.Fixture;
import io.iotpay.channel.internal.testing.MutableClock;
import io.iotpay.channel.internal.testing.TestKey;

class SettlementWatcherTest {

    @TempDir
    Path dir;
    JdbcChannelStore store;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeScheme scheme = new FakeScheme(Fixture.CONTRACT);
    final TestKey payee = TestKey.random(Fixture.CHAIN);
    final List<TestKey> payers = new ArrayList<>();
    final List<ChannelId> channels = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = JdbcChannelStore.sqlite(dir.resolve("w.db"));
        for (int i = 0; i < 5; i++) {
            TestKey payer = TestKey.random(Fixture.CHAIN);
            byte[] b = new byte[32];
            b[0] = (byte) 0x77;
            b[31] = (byte) i;
            ChannelId id = new ChannelId(b);
            scheme.put(id, payer.account(), payee.account(), Fixture.eth("1"));
            store.putChannel(new ChannelRecord(id, SessionRole.PROVIDER, scheme.id(), Fixture.CONTRACT,
                    payer.account(), payee.account(), Fixture.ETH, Fixture.eth("1").units(), ChannelState.OPEN,
                    clock.instant()));
            payers.add(payer);
            channels.add(id);
        }
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private void voucher(int i, String eth) {
        BigInteger units = Fixture.eth(eth).units();
        store.commitVoucher(new StoredVoucher(channels.get(i), SessionRole.PROVIDER, units,
                payers.get(i).signHash(Eip712Voucher.digest(Fixture.CONTRACT, channels.get(i), units)),
                clock.instant()));
    }

    private Amount claimed(int i) {
        return scheme.channel(channels.get(i)).orElseThrow().claimed();
    }

    @Test
    void closingChannelIsClaimedAtOnceAndOpenOnesInOneBatchAtTheThreshold() {
        SettlementWatcher w = new SettlementWatcher(store, scheme, clock, Fixture.eth("0.01"), null);
        for (int i = 0; i < 5; i++) {
            voucher(i, "0.001");
        }
        assertTrue(w.due().isEmpty(), "below threshold, nothing closing");
        assertTrue(w.runOnce().isEmpty());

        scheme.startClose(channels.get(2), clock.instant().plus(Duration.ofHours(1)));
        assertEquals(1, w.runOnce().size());
        assertEquals(Fixture.eth("0.001"), claimed(2));
        assertEquals(ChannelState.CLOSING, store.channel(channels.get(2), SessionRole.PROVIDER).orElseThrow()
                .state());
        assertTrue(w.due().isEmpty(), "nothing new on the closing channel");

        for (int i = 0; i < 5; i++) {
            voucher(i, "0.02");
        }
        int before = scheme.claimTxs.size();
        assertEquals(1, w.runOnce().size(), "one transaction");
        List<Voucher> batch = scheme.claimTxs.get(scheme.claimTxs.size() - 1);
        assertEquals(before + 1, scheme.claimTxs.size());
        assertEquals(5, batch.size(), "all five channels in the batch");
        for (int i = 0; i < 5; i++) {
            assertEquals(Fixture.eth("0.02"), claimed(i));
        }
    }

    @Test
    void failedClaimIsRetriedAtTheNextRun() {
        SettlementWatcher w = new SettlementWatcher(store, scheme, clock, Fixture.eth("0.01"), null);
        voucher(0, "0.5");
        scheme.failClaims = true;
        assertTrue(w.runOnce().isEmpty());
        assertEquals(Fixture.eth("0"), claimed(0));
        assertEquals(ChannelState.OPEN, store.channel(channels.get(0), SessionRole.PROVIDER).orElseThrow().state());
        scheme.failClaims = false;
        assertEquals(1, w.runOnce().size());
        assertEquals(Fixture.eth("0.5"), claimed(0));
    }

    @Test
    void smallAmountsAreClaimedOnceTheyAreOldEnough() {
        SettlementWatcher w = new SettlementWatcher(store, scheme, clock, null, Duration.ofHours(6));
        voucher(1, "0.000001");
        assertTrue(w.due().isEmpty());
        clock.advance(Duration.ofHours(6));
        assertEquals(1, w.due().size());
        w.runOnce();
        assertEquals(Fixture.eth("0.000001"), claimed(1));
    }

    /** Review M3: one voucher the contract refuses must not keep the others (a closing channel above all) unclaimed. */
    @Test
    void oneRefusedVoucherDoesNotBlockTheRestOfTheBatch() {
        SettlementWatcher w = new SettlementWatcher(store, scheme, clock, Fixture.eth("0.01"), null);
        for (int i = 0; i < 5; i++) {
            voucher(i, "0.02");
        }
        // channel 3's stored voucher is not signed by its payer: the contract would revert the whole batch
        BigInteger units = Fixture.eth("0.03").units();
        store.commitVoucher(new StoredVoucher(channels.get(3), SessionRole.PROVIDER, units,
                TestKey.random(Fixture.CHAIN).signHash(Eip712Voucher.digest(Fixture.CONTRACT, channels.get(3), units)),
                clock.instant()));
        scheme.startClose(channels.get(4), clock.instant().plus(Duration.ofHours(1)));

        List<io.iotpay.api.chain.TxHash> sent = w.runOnce();
        assertTrue(sent.size() >= 2, "the batch was retried in parts: " + sent.size());
        for (int i : new int[] { 0, 1, 2, 4 }) {
            assertEquals(Fixture.eth("0.02"), claimed(i), "channel " + i);
        }
        assertEquals(Fixture.eth("0"), claimed(3));
        // the closing channel went out in the first transaction that landed
        assertTrue(scheme.claimTxs.get(0).stream().anyMatch(v -> v.channel().equals(channels.get(4))));
        assertTrue(scheme.claimTxs.stream().flatMap(List::stream).noneMatch(v -> v.channel().equals(channels.get(3))));
        assertEquals(ChannelState.CLOSING, store.channel(channels.get(4), SessionRole.PROVIDER).orElseThrow()
                .state());
        // the bad item stays due and is tried (alone) again next time, without blocking anything
        assertEquals(1, w.due().size());
        assertTrue(w.runOnce().isEmpty());
    }
}
