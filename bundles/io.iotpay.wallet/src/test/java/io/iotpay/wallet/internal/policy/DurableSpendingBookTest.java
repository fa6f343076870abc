package io.iotpay.wallet.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.PaymentIntent;
import io.iotpay.api.wallet.SpendingPolicy;

/** The engine's durable book: written before reserve returns, given back on release, reloaded by a new engine. */
class DurableSpendingBookTest {
    static final Asset ETH = Asset.DEVNET_ETH;
    static final AccountId PAYER = AccountId.of(ChainId.DEVNET, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    static final AccountId PAYEE = AccountId.of(ChainId.DEVNET, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T23:30:00Z"));
    final SpendingPolicy policy = new SpendingPolicy(null, Amount.ofUnits(100, ETH), Map.of(), null, Set.of(PAYEE),
            null, ZoneId.of("Europe/Berlin"));

    @Test
    void bookingIsDurableBeforeReserveReturnsAndReleaseGivesItBack() {
        SpendingPolicyEngine e = new SpendingPolicyEngine(clock, dir);
        e.reserve(PaymentIntent.transfer(PAYER, PAYEE, Amount.ofUnits(60, ETH)), policy, null);
        SpendingPolicyEngine.Reservation r = e.reserve(new PaymentIntent(PAYER, PAYEE, Amount.ofUnits(30, ETH),
                Amount.ofUnits(30, ETH), null, "s", null), policy, null, "ab", BigInteger.valueOf(30));
        // a second engine on the same folder (a restart) sees both bookings and the voucher
        SpendingPolicyEngine restarted = new SpendingPolicyEngine(clock, dir);
        assertEquals(Amount.ofUnits(90, ETH), restarted.spentToday(PAYER, policy));
        assertEquals(BigInteger.valueOf(30), restarted.lastVoucher(PAYER, "ab"));
        r.release();
        SpendingPolicyEngine again = new SpendingPolicyEngine(clock, dir);
        assertEquals(Amount.ofUnits(60, ETH), again.spentToday(PAYER, policy));
        assertEquals(BigInteger.ZERO, again.lastVoucher(PAYER, "ab"));
        // the day is the policy's (Berlin: 00:30 on the 11th), and rolls over after a restart too
        assertEquals(Amount.ofUnits(60, ETH), again.spentToday(PAYER, policy));
        clock.advance(java.time.Duration.ofDays(1));
        assertEquals(Amount.zero(ETH), new SpendingPolicyEngine(clock, dir).spentToday(PAYER, policy));
    }

    @Test
    void aBookThatCannotBeWrittenSignsNothing() throws Exception {
        Path blocked = dir.resolve("file-not-folder");
        Files.writeString(blocked, "x");
        SpendingPolicyEngine e = new SpendingPolicyEngine(clock, blocked);
        IllegalStateException x = assertThrows(IllegalStateException.class,
                () -> e.reserve(PaymentIntent.transfer(PAYER, PAYEE, Amount.ofUnits(10, ETH)), policy, null));
        assertTrue(x.getMessage().contains("cannot be stored"), x.getMessage());
        assertEquals(Amount.zero(ETH), e.spentToday(PAYER, policy), "the failed booking was undone in memory");
    }
}
