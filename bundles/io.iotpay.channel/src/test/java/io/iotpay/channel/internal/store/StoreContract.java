package io.iotpay.channel.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.channel.internal.testing.Eip712Voucher;
import io.iotpay.channel.internal.testing.TestKey;

/** Behaviour every {@link ChannelStore} must have; run against SQLite and PostgreSQL. */
final class StoreContract {

    static final TestKey PAYER = TestKey.random(ChainId.DEVNET);
    static final AccountId CONTRACT = AccountId.of(ChainId.DEVNET, "0x5fbdb2315678afecb367f032d93f642f64180aa3");

    private StoreContract() {
    }

    static ChannelId channel(int i) {
        byte[] b = new byte[32];
        b[0] = (byte) 0xc1;
        b[28] = (byte) (i >>> 24);
        b[29] = (byte) (i >>> 16);
        b[30] = (byte) (i >>> 8);
        b[31] = (byte) i;
        return new ChannelId(b);
    }

    static StoredVoucher voucher(ChannelId ch, SessionRole role, BigInteger amount) {
        return new StoredVoucher(ch, role, amount, PAYER.signHash(Eip712Voucher.digest(CONTRACT, ch, amount)),
                Instant.ofEpochMilli(1_767_225_600_000L));
    }

    static void run(ChannelStore store) {
        ChannelId a = channel(1);
        // only strictly higher vouchers replace the stored one, compared as numbers (not as strings)
        assertTrue(store.commitVoucher(voucher(a, SessionRole.PROVIDER, BigInteger.valueOf(9))));
        assertTrue(store.commitVoucher(voucher(a, SessionRole.PROVIDER, BigInteger.valueOf(10))));
        assertFalse(store.commitVoucher(voucher(a, SessionRole.PROVIDER, BigInteger.valueOf(10))));
        assertFalse(store.commitVoucher(voucher(a, SessionRole.PROVIDER, BigInteger.valueOf(2))));
        BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        assertTrue(store.commitVoucher(voucher(a, SessionRole.CONSUMER, max)));
        assertEquals(BigInteger.TEN, store.latestVoucher(a, SessionRole.PROVIDER).orElseThrow().cumulative());
        StoredVoucher top = store.latestVoucher(a, SessionRole.CONSUMER).orElseThrow();
        assertEquals(max, top.cumulative());
        assertEquals(voucher(a, SessionRole.CONSUMER, max).signature(), top.signature());
        assertTrue(store.latestVoucher(channel(2), SessionRole.PROVIDER).isEmpty());

        // many concurrent commits (group commit): every caller learns its own result
        List<CompletableFuture<Boolean>> fs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            fs.add(store.commitVoucherAsync(voucher(channel(100 + i % 50), SessionRole.PROVIDER,
                    BigInteger.valueOf(i + 1))));
        }
        for (CompletableFuture<Boolean> f : fs) {
            assertTrue(f.join());
        }
        for (int c = 0; c < 50; c++) {
            assertEquals(BigInteger.valueOf(1950 + c + 1), store.latestVoucher(channel(100 + c),
                    SessionRole.PROVIDER).orElseThrow().cumulative());
        }

        Asset eth = Asset.DEVNET_ETH;
        ChannelRecord ch = new ChannelRecord(a, SessionRole.PROVIDER, "iotpay-channels-v1", CONTRACT,
                PAYER.account(), AccountId.of(ChainId.DEVNET, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"), eth,
                Amount.parse("1.5", eth).units(), ChannelState.OPEN, Instant.ofEpochMilli(1000));
        store.putChannel(ch);
        assertEquals(ch, store.channel(a, SessionRole.PROVIDER).orElseThrow());
        ChannelRecord closing = ch.with(ch.deposit().add(BigInteger.ONE), ChannelState.CLOSING,
                Instant.ofEpochMilli(2000));
        store.putChannel(closing);
        assertEquals(List.of(closing), store.channels());

        SessionRecord s = new SessionRecord(new SessionId("session-0001"), SessionRole.PROVIDER, a, "{\"v\":1}",
                PAYER.account(), SessionState.RUNNING, BigInteger.valueOf(333333), BigInteger.TEN,
                BigInteger.valueOf(777), 5, 4, "{\"last\":1}", Instant.ofEpochMilli(3000));
        store.putSession(s);
        assertEquals(s, store.session(s.id(), SessionRole.PROVIDER).orElseThrow());
        // a voucher and its session state commit together; a voucher that is not higher leaves the session alone
        SessionRecord s6 = new SessionRecord(s.id(), s.role(), a, s.offerJson(), s.peer(), SessionState.PAUSED,
                s.delivered(), s.base(), s.meter(), 6, 6, "", Instant.ofEpochMilli(4000));
        assertFalse(store.commitVoucher(voucher(a, SessionRole.PROVIDER, BigInteger.valueOf(3)), s6));
        assertEquals(s, store.session(s.id(), SessionRole.PROVIDER).orElseThrow());
        assertTrue(store.commitVoucher(voucher(a, SessionRole.PROVIDER, BigInteger.valueOf(11)), s6));
        assertEquals(s6, store.session(s.id(), SessionRole.PROVIDER).orElseThrow());
        assertTrue(store.session(s.id(), SessionRole.CONSUMER).isEmpty());
        assertEquals(1, store.sessions().size());
    }
}
