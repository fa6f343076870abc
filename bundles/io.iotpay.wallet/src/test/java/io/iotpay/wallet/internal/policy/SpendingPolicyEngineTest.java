package io.iotpay.wallet.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;
import io.iotpay.api.wallet.PaymentIntent;
import io.iotpay.api.wallet.PendingApproval;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.api.wallet.SpendingRefusedException.Reason;

class SpendingPolicyEngineTest {
    static final Asset ETH = Asset.DEVNET_ETH;
    static final AccountId PAYER = AccountId.of(ChainId.DEVNET, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    static final AccountId PAYEE = AccountId.of(ChainId.DEVNET, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    static final AccountId OTHER = AccountId.of(ChainId.DEVNET, "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
    final SpendingPolicyEngine engine = new SpendingPolicyEngine(clock);

    static Amount units(long u) {
        return Amount.ofUnits(u, ETH);
    }

    static PaymentIntent pay(AccountId payee, long inc, String session) {
        return new PaymentIntent(PAYER, payee, units(inc), units(inc), null, session, null);
    }

    static SpendingPolicy dayLimit(long limit) {
        return new SpendingPolicy(null, units(limit), Map.of(), null, Set.of(), null, BERLIN);
    }

    SpendingRefusedException refused(PaymentIntent i, SpendingPolicy p) {
        return assertThrows(SpendingRefusedException.class, () -> engine.reserve(i, p, null));
    }

    @Test
    void dayLimitIsReachableExactlyAndNotOneUnitMore() {
        SpendingPolicy p = dayLimit(100);
        engine.reserve(pay(PAYEE, 60, null), p, null);
        engine.reserve(pay(PAYEE, 40, null), p, null);
        assertEquals(units(100), engine.spentToday(PAYER, p));
        SpendingRefusedException e = refused(pay(PAYEE, 1, null), p);
        assertEquals(Reason.DAY_LIMIT, e.reason());
        assertEquals(units(100), e.limit());
        assertEquals(units(101), e.attemptedTotal());
        assertTrue(e.getMessage().contains("DAY_LIMIT"), e.getMessage());
        // zero increments (re-signing the same cumulative) still pass at the limit
        engine.reserve(pay(PAYEE, 0, null), p, null);
    }

    @Test
    void releasedReservationsGiveTheAmountBack() {
        SpendingPolicy p = dayLimit(100);
        SpendingPolicyEngine.Reservation r = engine.reserve(pay(PAYEE, 100, "s1"), p, null);
        assertEquals(Reason.DAY_LIMIT, refused(pay(PAYEE, 1, null), p).reason());
        r.release();
        r.release(); // idempotent
        assertEquals(units(0), engine.spentToday(PAYER, p));
        engine.reserve(pay(PAYEE, 100, null), p, null);
    }

    @Test
    void dayRollsOverAtMidnightInThePolicyZone() {
        SpendingPolicy p = dayLimit(100);
        // 22:30 UTC on 10 March = 23:30 in Berlin (CET, UTC+1)
        clock.advance(Duration.ofHours(10).plusMinutes(30));
        engine.reserve(pay(PAYEE, 100, null), p, null);
        clock.advance(Duration.ofMinutes(29)); // 23:59 Berlin: same day
        assertEquals(Reason.DAY_LIMIT, refused(pay(PAYEE, 1, null), p).reason());
        clock.advance(Duration.ofMinutes(1)); // 00:00 Berlin, 23:00 UTC: new day in Berlin though not in UTC
        engine.reserve(pay(PAYEE, 100, null), p, null);
        assertEquals(Reason.DAY_LIMIT, refused(pay(PAYEE, 1, null), p).reason());
        // a UTC policy on the same clock has not rolled over yet: day totals are per account, the zone decides
        SpendingPolicyEngine utcEngine = new SpendingPolicyEngine(clock);
        SpendingPolicy utc = new SpendingPolicy(null, units(100), Map.of(), null, Set.of(), null, ZoneId.of("UTC"));
        utcEngine.reserve(pay(PAYEE, 100, null), utc, null);
        clock.advance(Duration.ofMinutes(59)); // 23:59 UTC
        assertThrows(SpendingRefusedException.class, () -> utcEngine.reserve(pay(PAYEE, 1, null), utc, null));
        clock.advance(Duration.ofMinutes(1)); // 00:00 UTC
        utcEngine.reserve(pay(PAYEE, 100, null), utc, null);
    }

    @Test
    void changingTheDayZoneDoesNotResetADayInProgress(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder) {
        SpendingPolicyEngine durable = new SpendingPolicyEngine(clock, folder);
        SpendingPolicy berlin = dayLimit(100);
        durable.reserve(pay(PAYEE, 100, null), berlin, null); // 12:00 UTC, 13:00 Berlin, 10 March
        // at 12:00 UTC it is already 02:00 on 11 March in Kiritimati (UTC+14): a new date, not a new day
        ZoneId kiritimati = ZoneId.of("Pacific/Kiritimati");
        SpendingPolicy moved = new SpendingPolicy(null, units(100), Map.of(), null, Set.of(), null, kiritimati);
        assertEquals(units(100), durable.spentToday(PAYER, moved));
        assertThrows(SpendingRefusedException.class, () -> durable.reserve(pay(PAYEE, 1, null), moved, null));
        // nor after a restart (the day's end is stored with the book)
        SpendingPolicyEngine restarted = new SpendingPolicyEngine(clock, folder);
        assertEquals(Reason.DAY_LIMIT, assertThrows(SpendingRefusedException.class,
                () -> restarted.reserve(pay(PAYEE, 1, null), moved, null)).reason());
        // the day ends where it began: midnight in Berlin (23:00 UTC); the new zone applies from then on
        clock.advance(Duration.ofHours(10).plusMinutes(59));
        assertThrows(SpendingRefusedException.class, () -> restarted.reserve(pay(PAYEE, 1, null), moved, null));
        clock.advance(Duration.ofMinutes(1));
        restarted.reserve(pay(PAYEE, 100, null), moved, null);
        assertEquals(Reason.DAY_LIMIT, assertThrows(SpendingRefusedException.class,
                () -> restarted.reserve(pay(PAYEE, 1, null), moved, null)).reason());
        // that day (11 March in Kiritimati) ends at 10:00 UTC on 11 March
        clock.advance(Duration.ofHours(10).plusMinutes(59));
        assertThrows(SpendingRefusedException.class, () -> restarted.reserve(pay(PAYEE, 1, null), moved, null));
        clock.advance(Duration.ofMinutes(1));
        restarted.reserve(pay(PAYEE, 100, null), moved, null);
    }

    @Test
    void pendingApprovalsAndUnusedDecisionsLapse() {
        SpendingPolicy p = new SpendingPolicy(null, units(1000), Map.of(), null, Set.of(), units(10), BERLIN);
        PaymentIntent big = pay(PAYEE, 11, null);
        assertEquals(Reason.APPROVAL_REQUIRED, refused(big, p).reason());
        String first = engine.pendingApprovals().get(0).id();
        clock.advance(SpendingPolicyEngine.PENDING_TTL);
        assertEquals(List.of(), engine.pendingApprovals(), "an undecided request lapses");
        assertThrows(IllegalArgumentException.class, () -> engine.approve(first));
        assertEquals(Reason.APPROVAL_REQUIRED, refused(big, p).reason());
        String second = engine.pendingApprovals().get(0).id();
        assertTrue(!second.equals(first));

        // an approval used within its time passes once
        engine.approve(second);
        clock.advance(SpendingPolicyEngine.DECISION_TTL.minusSeconds(1));
        engine.reserve(big, p, null);

        // an approval not used in time lapses: the identical intent needs a new approval
        assertEquals(Reason.APPROVAL_REQUIRED, refused(big, p).reason());
        String third = engine.pendingApprovals().get(0).id();
        engine.approve(third);
        clock.advance(SpendingPolicyEngine.DECISION_TTL);
        assertEquals(Reason.APPROVAL_REQUIRED, refused(big, p).reason());
        assertEquals(1, engine.pendingApprovals().size());
        assertTrue(!engine.pendingApprovals().get(0).id().equals(third));

        // a denial lapses the same way (the request is asked again rather than refused for ever)
        String fourth = engine.pendingApprovals().get(0).id();
        engine.deny(fourth);
        clock.advance(SpendingPolicyEngine.DECISION_TTL);
        assertEquals(Reason.APPROVAL_REQUIRED, refused(big, p).reason());
    }

    @Test
    void sessionLimitAppliesPerSession() {
        SpendingPolicy p = new SpendingPolicy(units(50), units(1000), Map.of(), null, Set.of(), null, BERLIN);
        engine.reserve(pay(PAYEE, 50, "session-a"), p, null);
        SpendingRefusedException e = refused(pay(PAYEE, 1, "session-a"), p);
        assertEquals(Reason.SESSION_LIMIT, e.reason());
        assertEquals(units(51), e.attemptedTotal());
        engine.reserve(pay(PAYEE, 50, "session-b"), p, null);
        // sessions do not roll over at midnight
        clock.advance(Duration.ofDays(1));
        assertEquals(Reason.SESSION_LIMIT, refused(pay(PAYEE, 1, "session-a"), p).reason());
    }

    @Test
    void perPayeeDailyLimitAndAllowList() {
        SpendingPolicy p = new SpendingPolicy(null, units(1000), Map.of(PAYEE, units(30)), null,
                Set.of(PAYEE, OTHER), null, BERLIN);
        engine.reserve(pay(PAYEE, 30, null), p, null);
        assertEquals(Reason.PAYEE_DAY_LIMIT, refused(pay(PAYEE, 1, null), p).reason());
        engine.reserve(pay(OTHER, 500, null), p, null); // no per-payee limit for OTHER
        AccountId stranger = AccountId.of(ChainId.DEVNET, "0x90f79bf6eb2c4f870365e785982e1f101e93b906");
        assertEquals(Reason.PAYEE_NOT_ALLOWED, refused(pay(stranger, 1, null), p).reason());
        clock.advance(Duration.ofDays(1));
        engine.reserve(pay(PAYEE, 30, null), p, null);
    }

    @Test
    void unitPriceCapAndAssetMismatch() {
        Price cap = Price.of(Amount.ofUnits(1000, ETH), MeteringUnit.KILOWATT_HOUR);
        SpendingPolicy p = new SpendingPolicy(null, units(10_000), Map.of(), cap, Set.of(), null, BERLIN);
        engine.reserve(new PaymentIntent(PAYER, PAYEE, units(5), units(5), cap, null, null), p, null);
        Price dear = Price.of(Amount.ofUnits(1001, ETH), MeteringUnit.KILOWATT_HOUR);
        SpendingRefusedException e = refused(new PaymentIntent(PAYER, PAYEE, units(5), units(5), dear, null, null), p);
        assertEquals(Reason.UNIT_PRICE_TOO_HIGH, e.reason());
        Price perMinute = Price.of(Amount.ofUnits(1, ETH), MeteringUnit.MINUTE);
        assertEquals(Reason.UNIT_PRICE_TOO_HIGH,
                refused(new PaymentIntent(PAYER, PAYEE, units(5), units(5), perMinute, null, null), p).reason());
        Asset token = Asset.token(ChainId.DEVNET, "0x5fbdb2315678afecb367f032d93f642f64180aa3", 6, "USDC");
        PaymentIntent inToken = new PaymentIntent(PAYER, PAYEE, Amount.ofUnits(1, token), Amount.ofUnits(1, token),
                null, null, null);
        assertEquals(Reason.ASSET_NOT_ALLOWED, refused(inToken, p).reason());
    }

    @Test
    void denyAllRefusesEverythingButZero() {
        SpendingPolicy p = SpendingPolicy.denyAll(ETH);
        assertEquals(Reason.DAY_LIMIT, refused(pay(PAYEE, 1, null), p).reason());
    }

    @Test
    void approvalThresholdQueuesApprovesOnceAndDenies() {
        SpendingPolicy p = new SpendingPolicy(null, units(1000), Map.of(), null, Set.of(), units(10), BERLIN);
        List<PendingApproval> notified = new ArrayList<>();
        engine.reserve(pay(PAYEE, 10, null), p, notified::add); // at the threshold: no approval needed
        PaymentIntent big = pay(PAYEE, 11, null);
        SpendingRefusedException e = assertThrows(SpendingRefusedException.class,
                () -> engine.reserve(big, p, notified::add));
        assertEquals(Reason.APPROVAL_REQUIRED, e.reason());
        // a retry before a decision does not queue a second approval
        assertThrows(SpendingRefusedException.class, () -> engine.reserve(big, p, notified::add));
        assertEquals(1, engine.pendingApprovals().size());
        assertEquals(1, notified.size());
        String id = engine.pendingApprovals().get(0).id();
        assertTrue(e.getMessage().contains(id));
        assertEquals(units(10), engine.spentToday(PAYER, p), "nothing booked while waiting");

        // another intent is not covered by this approval
        engine.approve(id);
        assertEquals(Reason.APPROVAL_REQUIRED,
                assertThrows(SpendingRefusedException.class, () -> engine.reserve(pay(PAYEE, 12, null), p, null))
                        .reason());
        engine.reserve(big, p, null); // the approved identical intent passes once
        assertEquals(units(21), engine.spentToday(PAYER, p));
        assertEquals(Reason.APPROVAL_REQUIRED, refused(big, p).reason()); // and only once

        String second = engine.pendingApprovals().stream().filter(a -> a.intent().equals(big)).findFirst()
                .orElseThrow().id();
        engine.deny(second);
        assertEquals(Reason.APPROVAL_DENIED, refused(big, p).reason());
        assertThrows(IllegalArgumentException.class, () -> engine.approve("no-such-id"));
    }

    @Test
    void concurrentSignersNeverExceedTheLimit() throws Exception {
        long limit = 1000;
        long inc = 7;
        SpendingPolicy p = new SpendingPolicy(units(limit), units(limit), Map.of(PAYEE, units(limit)), null,
                Set.of(), null, BERLIN);
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refusedCount = new AtomicInteger();
        AtomicLong signedTotal = new AtomicLong();
        List<Reason> reasons = new CopyOnWriteArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 50; i++) {
                    try {
                        engine.reserve(pay(PAYEE, inc, "race"), p, null);
                        signedTotal.addAndGet(inc); // "signed"
                        ok.incrementAndGet();
                    } catch (SpendingRefusedException e) {
                        refusedCount.incrementAndGet();
                        reasons.add(e.reason());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(limit / inc, ok.get(), "exactly floor(limit / increment) signatures");
        assertEquals(threads * 50 - limit / inc, refusedCount.get());
        assertTrue(signedTotal.get() <= limit);
        assertEquals(BigInteger.valueOf(limit / inc * inc), engine.spentToday(PAYER, p).units());
        assertTrue(reasons.stream().allMatch(r -> r == Reason.SESSION_LIMIT), reasons.toString());
    }
}
