package io.iotpay.wallet.internal.policy;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.wallet.PaymentIntent;
import io.iotpay.api.wallet.PendingApproval;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.api.wallet.SpendingRefusedException.Reason;

/**
 * Enforces {@link SpendingPolicy} on payment intents. Thread-safe. Callers use <em>reserve, then sign</em>:
 * {@link #reserve} checks every limit and books the increment under the payer's lock, so concurrent signers can never
 * exceed a limit together; if signing then fails, {@link Reservation#release()} gives the amount back.
 * <p>
 * Day totals roll over at midnight in the policy's {@link SpendingPolicy#dayZone()}, read from the injected
 * {@link Clock}. Session totals (keyed by {@link PaymentIntent#sessionKey()}) do not roll over. Above the approval
 * threshold a {@link PendingApproval} is queued and {@link Reason#APPROVAL_REQUIRED} thrown (non-blocking); once
 * {@link #approve approved}, the identical intent passes exactly once (limits still apply); once
 * {@link #deny denied}, the identical intent is refused once with {@link Reason#APPROVAL_DENIED}.
 */
public final class SpendingPolicyEngine {

    /** A booked amount; release it if the signature is not produced. */
    public interface Reservation {
        /** Gives the reserved amount back (idempotent). */
        void release();
    }

    /** Listener for queued approvals (the wallet forwards them to its whiteboard listeners). */
    public interface ApprovalSink {
        void approvalRequested(PendingApproval approval);
    }

    private enum Decision {
        APPROVED, DENIED
    }

    private static final class AccountBook {
        LocalDate day;
        Amount daySpent;
        final Map<AccountId, Amount> payeeDaySpent = new HashMap<>();
        final Map<String, Amount> sessionSpent = new HashMap<>();
    }

    private final Clock clock;
    private final Map<AccountId, AccountBook> books = new ConcurrentHashMap<>();
    private final Object approvalLock = new Object();
    private final Map<String, PendingApproval> pending = new LinkedHashMap<>();
    private final Map<String, Decision> decided = new LinkedHashMap<>();
    private final Map<String, PaymentIntent> decidedIntents = new LinkedHashMap<>();

    public SpendingPolicyEngine(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Checks {@code intent} against {@code policy} and books its increment.
     *
     * @throws SpendingRefusedException with the reason, the limit and the attempted total
     */
    public Reservation reserve(PaymentIntent intent, SpendingPolicy policy, ApprovalSink sink) {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(policy, "policy");
        Amount inc = intent.increment();
        if (!inc.asset().equals(policy.asset())) {
            throw new SpendingRefusedException(Reason.ASSET_NOT_ALLOWED, intent, "the policy of " + intent.payer()
                    + " covers " + policy.asset() + " only, the payment is in " + inc.asset());
        }
        if (!policy.allowsPayee(intent.payee())) {
            throw new SpendingRefusedException(Reason.PAYEE_NOT_ALLOWED, intent, "payee " + intent.payee()
                    + " is not on the allow-list");
        }
        if (policy.maxUnitPrice() != null && intent.unitPrice() != null) {
            boolean ok;
            try {
                ok = intent.unitPrice().isAtMost(policy.maxUnitPrice());
            } catch (IllegalArgumentException e) {
                throw new SpendingRefusedException(Reason.UNIT_PRICE_TOO_HIGH, intent, "unit price "
                        + intent.unitPrice() + " cannot be compared with the cap " + policy.maxUnitPrice());
            }
            if (!ok) {
                throw new SpendingRefusedException(Reason.UNIT_PRICE_TOO_HIGH, intent, policy.maxUnitPrice().amount(),
                        intent.unitPrice().amount());
            }
        }
        AccountBook book = books.computeIfAbsent(intent.payer(), k -> new AccountBook());
        PendingApproval[] created = new PendingApproval[1];
        try {
            return book(book, intent, policy, created);
        } catch (ArithmeticException e) {
            // a total above 2^256-1 (e.g. approve(spender, MAX) after some spending) is over any limit
            throw new SpendingRefusedException(Reason.DAY_LIMIT, intent, "the total would exceed 2^256-1 base units");
        } finally {
            // listeners are called outside every lock, so they may call back into the wallet
            if (created[0] != null && sink != null) {
                sink.approvalRequested(created[0]);
            }
        }
    }

    private Reservation book(AccountBook book, PaymentIntent intent, SpendingPolicy policy,
            PendingApproval[] created) {
        Amount inc = intent.increment();
        synchronized (book) {
            LocalDate today = LocalDate.now(clock.withZone(policy.dayZone()));
            if (!today.equals(book.day) || book.daySpent == null || !book.daySpent.isSameAsset(inc)) {
                book.day = today;
                book.daySpent = Amount.zero(inc.asset());
                book.payeeDaySpent.clear();
            }
            String session = intent.sessionKey();
            Amount sessionSpent = session == null ? null
                    : book.sessionSpent.getOrDefault(session, Amount.zero(inc.asset()));
            if (policy.perSessionLimit() != null && session != null) {
                Amount total = sessionSpent.plus(inc);
                if (total.isGreaterThan(policy.perSessionLimit())) {
                    throw new SpendingRefusedException(Reason.SESSION_LIMIT, intent, policy.perSessionLimit(), total);
                }
            }
            Amount dayTotal = book.daySpent.plus(inc);
            if (dayTotal.isGreaterThan(policy.perDayLimit())) {
                throw new SpendingRefusedException(Reason.DAY_LIMIT, intent, policy.perDayLimit(), dayTotal);
            }
            Amount payeeLimit = policy.perPayeeDailyLimit().get(intent.payee());
            Amount payeeSpent = book.payeeDaySpent.getOrDefault(intent.payee(), Amount.zero(inc.asset()));
            if (payeeLimit != null && payeeSpent.plus(inc).isGreaterThan(payeeLimit)) {
                throw new SpendingRefusedException(Reason.PAYEE_DAY_LIMIT, intent, payeeLimit, payeeSpent.plus(inc));
            }
            if (policy.approvalThreshold() != null && inc.isGreaterThan(policy.approvalThreshold())) {
                checkApproval(intent, policy, created);
            }
            // book
            LocalDate bookedDay = book.day;
            book.daySpent = dayTotal;
            book.payeeDaySpent.put(intent.payee(), payeeSpent.plus(inc));
            if (session != null) {
                book.sessionSpent.put(session, sessionSpent.plus(inc));
            }
            return new Reservation() {
                private boolean released;

                @Override
                public void release() {
                    synchronized (book) {
                        if (released) {
                            return;
                        }
                        released = true;
                        if (bookedDay.equals(book.day)) {
                            book.daySpent = book.daySpent.minus(inc.min(book.daySpent));
                            Amount p = book.payeeDaySpent.get(intent.payee());
                            if (p != null) {
                                book.payeeDaySpent.put(intent.payee(), p.minus(inc.min(p)));
                            }
                        }
                        if (session != null) {
                            Amount s = book.sessionSpent.get(session);
                            if (s != null) {
                                book.sessionSpent.put(session, s.minus(inc.min(s)));
                            }
                        }
                    }
                }
            };
        }
    }

    private void checkApproval(PaymentIntent intent, SpendingPolicy policy, PendingApproval[] created) {
        consumeOrQueue(intent, created, id -> "increment " + intent.increment().toDecimalString() + " "
                + intent.increment().asset().symbol() + " is above the approval threshold "
                + policy.approvalThreshold().toDecimalString() + "; pending approval id " + id);
    }

    /**
     * Owner approval for a signature the policy cannot price (foreign typed data, a contract call the wallet does not
     * know). {@code key} identifies the exact request (its session key carries the digest); the first call queues a
     * {@link PendingApproval} and throws {@link Reason#APPROVAL_REQUIRED}; after {@link #approve} the identical request
     * passes exactly once; after {@link #deny} it is refused once with {@link Reason#APPROVAL_DENIED}.
     *
     * @param key the request, as an intent (typically zero increment, session key naming the digest)
     * @param what what is to be signed, for people (never secret)
     * @param sink told about a newly queued approval (outside every lock)
     */
    public void requireOwnerApproval(PaymentIntent key, String what, ApprovalSink sink) {
        Objects.requireNonNull(key, "key");
        PendingApproval[] created = new PendingApproval[1];
        try {
            consumeOrQueue(key, created, id -> what + "; the owner must approve it with "
                    + "'iotpay:wallet-approvals --approve " + id + "'; pending approval id " + id);
        } finally {
            if (created[0] != null && sink != null) {
                sink.approvalRequested(created[0]);
            }
        }
    }

    /** Consumes a decision on an identical intent, or queues (or finds) a pending approval and throws. */
    private void consumeOrQueue(PaymentIntent intent, PendingApproval[] created,
            java.util.function.Function<String, String> detail) {
        synchronized (approvalLock) {
            for (Iterator<Map.Entry<String, PaymentIntent>> it = decidedIntents.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, PaymentIntent> e = it.next();
                if (e.getValue().equals(intent)) {
                    Decision d = decided.remove(e.getKey());
                    it.remove();
                    if (d == Decision.APPROVED) {
                        return; // passes once
                    }
                    throw new SpendingRefusedException(Reason.APPROVAL_DENIED, intent, "the owner denied approval "
                            + e.getKey());
                }
            }
            String existing = null;
            for (PendingApproval p : pending.values()) {
                if (p.intent().equals(intent)) {
                    existing = p.id();
                    break;
                }
            }
            if (existing == null) {
                created[0] = new PendingApproval(UUID.randomUUID().toString(), intent, clock.instant());
                pending.put(created[0].id(), created[0]);
                existing = created[0].id();
            }
            // approval id in the refusal so callers (binding, shell) can show which approval to give
            throw new SpendingRefusedException(Reason.APPROVAL_REQUIRED, intent, detail.apply(existing));
        }
    }

    /** Pending approvals, oldest first. */
    public List<PendingApproval> pendingApprovals() {
        synchronized (approvalLock) {
            return new ArrayList<>(pending.values());
        }
    }

    public void approve(String id) {
        decide(id, Decision.APPROVED);
    }

    public void deny(String id) {
        decide(id, Decision.DENIED);
    }

    private void decide(String id, Decision d) {
        synchronized (approvalLock) {
            PendingApproval p = pending.remove(id);
            if (p == null) {
                throw new IllegalArgumentException("no pending approval with id \"" + id + "\"");
            }
            decided.put(id, d);
            decidedIntents.put(id, p.intent());
        }
    }

    /** Amount booked today for a payer (for tests and the shell). */
    public Amount spentToday(AccountId payer, SpendingPolicy policy) {
        AccountBook book = books.get(payer);
        if (book == null) {
            return Amount.zero(policy.asset());
        }
        synchronized (book) {
            LocalDate today = LocalDate.now(clock.withZone(policy.dayZone()));
            return today.equals(book.day) && book.daySpent != null && book.daySpent.isSameAsset(Amount.zero(policy.asset()))
                    ? book.daySpent
                    : Amount.zero(policy.asset());
        }
    }
}
