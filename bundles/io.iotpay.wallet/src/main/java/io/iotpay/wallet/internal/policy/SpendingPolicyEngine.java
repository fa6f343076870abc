package io.iotpay.wallet.internal.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.PaymentIntent;
import io.iotpay.api.wallet.PendingApproval;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.api.wallet.SpendingRefusedException.Reason;
import io.iotpay.wallet.internal.keystore.KeystoreError;
import io.iotpay.wallet.internal.keystore.KeystoreV3;

/**
 * Enforces {@link SpendingPolicy} on payment intents. Thread-safe. Callers use <em>reserve, then sign</em>:
 * {@link #reserve} checks every limit and books the increment under the payer's lock, so concurrent signers can never
 * exceed a limit together; if signing then fails, {@link Reservation#release()} gives the amount back.
 * <p>
 * Day totals roll over at midnight in the policy's {@link SpendingPolicy#dayZone()}, read from the injected
 * {@link Clock}. The end of the current day is fixed (as an instant) when the day begins, so changing the zone
 * (policy or the wallet's {@code dayZone}) takes effect at the next rollover and cannot reset a day in progress.
 * Session totals (keyed by {@link PaymentIntent#sessionKey()}) do not roll over. Above the approval
 * threshold a {@link PendingApproval} is queued and {@link Reason#APPROVAL_REQUIRED} thrown (non-blocking); once
 * {@link #approve approved}, the identical intent passes exactly once (limits still apply); once
 * {@link #deny denied}, the identical intent is refused once with {@link Reason#APPROVAL_DENIED}. A pending approval
 * lapses after {@link #PENDING_TTL}, an approval or denial not used within {@link #DECISION_TTL} lapses too (the
 * request then queues a new approval).
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
        /** When the current day ends (start of the next day in the zone the day began in); null in old books. */
        Instant dayEnd;
        Amount daySpent;
        final Map<AccountId, Amount> payeeDaySpent = new HashMap<>();
        final Map<String, Amount> sessionSpent = new HashMap<>();
        /** Highest voucher cumulative signed per channel (channel id hex). */
        final Map<String, BigInteger> lastVoucher = new HashMap<>();
    }

    private static final Logger LOG = LoggerFactory.getLogger(SpendingPolicyEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE_PREFIX = "spending-";
    /** A pending approval not decided within this time is dropped; the request must be made again. */
    public static final Duration PENDING_TTL = Duration.ofHours(24);
    /** An approval (or denial) not used by an identical request within this time lapses. */
    public static final Duration DECISION_TTL = Duration.ofHours(1);

    private final Clock clock;
    /** Folder of the durable books ({@code spending-<account>.json}), or null for memory only. */
    private final Path folder;
    private final Map<AccountId, AccountBook> books = new ConcurrentHashMap<>();
    private final Object approvalLock = new Object();
    private final Map<String, PendingApproval> pending = new LinkedHashMap<>();
    private final Map<String, Decision> decided = new LinkedHashMap<>();
    private final Map<String, PaymentIntent> decidedIntents = new LinkedHashMap<>();
    private final Map<String, Instant> decidedAt = new HashMap<>();

    /** An engine whose books live in memory only (tests). */
    public SpendingPolicyEngine(Clock clock) {
        this(clock, null);
    }

    /**
     * An engine whose books are durable: each booking is written (atomically, fsync'd, owner-only) to
     * {@code folder/spending-<account>.json} before {@link #reserve} returns, and the books found there are loaded
     * now, so a restart or a configuration update does not reset the day.
     *
     * @throws IllegalStateException if a stored book cannot be read (rather than start with an empty day)
     */
    public SpendingPolicyEngine(Clock clock, Path folder) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.folder = folder;
        if (folder != null) {
            load();
        }
    }

    /**
     * Checks {@code intent} against {@code policy} and books its increment.
     *
     * @throws SpendingRefusedException with the reason, the limit and the attempted total
     */
    public Reservation reserve(PaymentIntent intent, SpendingPolicy policy, ApprovalSink sink) {
        return reserve(intent, policy, sink, null, null);
    }

    /**
     * Like {@link #reserve(PaymentIntent, SpendingPolicy, ApprovalSink)} for a voucher: also records
     * {@code voucherCumulative} as the highest voucher signed on {@code voucherChannel}, in the same durable write as
     * the booking (released with it).
     */
    public Reservation reserve(PaymentIntent intent, SpendingPolicy policy, ApprovalSink sink, String voucherChannel,
            BigInteger voucherCumulative) {
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
            return book(book, intent, policy, created, voucherChannel, voucherCumulative);
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
            PendingApproval[] created, String voucherChannel, BigInteger voucherCumulative) {
        Amount inc = intent.increment();
        synchronized (book) {
            Instant now = clock.instant();
            if (!isCurrentDay(book, now, policy.dayZone()) || book.daySpent == null
                    || !book.daySpent.isSameAsset(inc)) {
                book.day = LocalDate.ofInstant(now, policy.dayZone());
                book.dayEnd = nextMidnight(book.day, policy.dayZone());
                book.daySpent = Amount.zero(inc.asset());
                book.payeeDaySpent.clear();
            } else if (book.dayEnd == null) {
                book.dayEnd = nextMidnight(book.day, policy.dayZone()); // a book written before dayEnd existed
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
            Instant bookedDayEnd = book.dayEnd;
            book.daySpent = dayTotal;
            book.payeeDaySpent.put(intent.payee(), payeeSpent.plus(inc));
            if (session != null) {
                book.sessionSpent.put(session, sessionSpent.plus(inc));
            }
            BigInteger previousVoucher = voucherChannel == null ? null : book.lastVoucher.get(voucherChannel);
            if (voucherChannel != null) {
                book.lastVoucher.merge(voucherChannel, voucherCumulative, BigInteger::max);
            }
            final class Booked implements Reservation {
                private boolean released;

                @Override
                public void release() {
                    synchronized (book) {
                        if (undo()) {
                            try {
                                persist(intent.payer(), book);
                            } catch (RuntimeException e) {
                                // the stored book keeps the amount: over-counted, never under-counted
                                LOG.warn("IOTPAY wallet: released amount not written back: {}", e.getMessage());
                            }
                        }
                    }
                }

                /** Undoes the booking in memory; false if already released. */
                boolean undo() {
                    if (released) {
                        return false;
                    }
                    released = true;
                    if (bookedDayEnd.equals(book.dayEnd)) {
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
                    if (voucherChannel != null && voucherCumulative.equals(book.lastVoucher.get(voucherChannel))) {
                        if (previousVoucher == null) {
                            book.lastVoucher.remove(voucherChannel);
                        } else {
                            book.lastVoucher.put(voucherChannel, previousVoucher);
                        }
                    }
                    return true;
                }
            }
            Booked r = new Booked();
            // durable before the caller may sign: a crash after this point over-counts, never under-counts
            try {
                persist(intent.payer(), book);
            } catch (RuntimeException e) {
                r.undo(); // nothing will be signed: the memory book matches the stored one again
                throw new IllegalStateException("the spending book of " + intent.payer() + " cannot be stored, so "
                        + "nothing is signed: " + e.getMessage(), e);
            }
            return r;
        }
    }

    /** Whether {@code now} is still in the book's current day. */
    private static boolean isCurrentDay(AccountBook book, Instant now, ZoneId zone) {
        if (book.day == null) {
            return false;
        }
        if (book.dayEnd != null) {
            return now.isBefore(book.dayEnd);
        }
        return book.day.equals(LocalDate.ofInstant(now, zone)); // old book: the day as the zone sees it
    }

    private static Instant nextMidnight(LocalDate day, ZoneId zone) {
        return day.plusDays(1).atStartOfDay(zone).toInstant();
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
            expire();
            for (Iterator<Map.Entry<String, PaymentIntent>> it = decidedIntents.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, PaymentIntent> e = it.next();
                if (e.getValue().equals(intent)) {
                    Decision d = decided.remove(e.getKey());
                    decidedAt.remove(e.getKey());
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

    /** Drops pending approvals older than {@link #PENDING_TTL} and decisions older than {@link #DECISION_TTL}. */
    private void expire() {
        Instant now = clock.instant();
        pending.values().removeIf(p -> !now.isBefore(p.requestedAt().plus(PENDING_TTL)));
        for (Iterator<Map.Entry<String, Instant>> it = decidedAt.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Instant> e = it.next();
            if (!now.isBefore(e.getValue().plus(DECISION_TTL))) {
                decided.remove(e.getKey());
                decidedIntents.remove(e.getKey());
                it.remove();
            }
        }
    }

    /** Pending approvals, oldest first. */
    public List<PendingApproval> pendingApprovals() {
        synchronized (approvalLock) {
            expire();
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
            expire();
            PendingApproval p = pending.remove(id);
            if (p == null) {
                throw new IllegalArgumentException("no pending approval with id \"" + id + "\" (approvals lapse "
                        + PENDING_TTL.toHours() + " h after the request)");
            }
            decided.put(id, d);
            decidedIntents.put(id, p.intent());
            decidedAt.put(id, clock.instant());
        }
    }

    /** Highest voucher cumulative this wallet signed on a channel (zero if none). */
    public BigInteger lastVoucher(AccountId payer, String channel) {
        AccountBook book = books.get(payer);
        if (book == null) {
            return BigInteger.ZERO;
        }
        synchronized (book) {
            return book.lastVoucher.getOrDefault(channel, BigInteger.ZERO);
        }
    }

    // ------------------------------------------------------------------------------------------------ durability

    static String fileName(AccountId account) {
        return FILE_PREFIX + account.toString().replaceAll("[^A-Za-z0-9]", "_") + ".json";
    }

    /** Writes one account's book (the caller holds the book's lock). */
    private void persist(AccountId account, AccountBook book) {
        if (folder == null) {
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("account", account.toString());
        List<Asset> assets = new ArrayList<>();
        root.put("day", book.day == null ? null : book.day.toString());
        root.put("dayEnd", book.dayEnd == null ? null : book.dayEnd.toString());
        root.put("daySpent", amount(book.daySpent, assets));
        ObjectNode payees = root.putObject("payeeDaySpent");
        book.payeeDaySpent.forEach((k, v) -> payees.put(k.toString(), amount(v, assets)));
        ObjectNode sessions = root.putObject("sessionSpent");
        book.sessionSpent.forEach((k, v) -> sessions.put(k, amount(v, assets)));
        ObjectNode vouchers = root.putObject("lastVoucher");
        book.lastVoucher.forEach((k, v) -> vouchers.put(k, v.toString()));
        ArrayNode table = root.putArray("assets");
        for (Asset a : assets) {
            ObjectNode n = table.addObject();
            n.put("chain", a.chain().toString());
            n.put("token", a.token());
            n.put("decimals", a.decimals());
            n.put("symbol", a.symbol());
        }
        try {
            KeystoreV3.replaceAtomically(folder.resolve(fileName(account)), JSON.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (KeystoreError e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** {@code <asset index>:<units>}, or null. */
    private static String amount(Amount a, List<Asset> assets) {
        if (a == null) {
            return null;
        }
        int i = assets.indexOf(a.asset());
        if (i < 0) {
            assets.add(a.asset());
            i = assets.size() - 1;
        }
        return i + ":" + a.units();
    }

    private static Amount amount(JsonNode n, List<Asset> assets) {
        if (n == null || n.isNull()) {
            return null;
        }
        String s = n.asText();
        int colon = s.indexOf(':');
        return Amount.ofUnits(new BigInteger(s.substring(colon + 1)), assets.get(Integer.parseInt(s.substring(0, colon))));
    }

    private void load() {
        if (!Files.isDirectory(folder)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(FILE_PREFIX) && n.endsWith(".json");
            }).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the spending books in " + folder + ": " + e, e);
        }
        for (Path f : files) {
            try {
                JsonNode root = JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
                AccountId account = AccountId.parse(root.get("account").asText());
                List<Asset> assets = new ArrayList<>();
                for (JsonNode a : root.get("assets")) {
                    assets.add(new Asset(ChainId.parse(a.get("chain").asText()),
                            a.hasNonNull("token") ? a.get("token").asText() : null, a.get("decimals").asInt(),
                            a.get("symbol").asText()));
                }
                AccountBook book = new AccountBook();
                book.day = root.hasNonNull("day") ? LocalDate.parse(root.get("day").asText()) : null;
                book.dayEnd = root.hasNonNull("dayEnd") ? Instant.parse(root.get("dayEnd").asText()) : null;
                book.daySpent = amount(root.get("daySpent"), assets);
                root.get("payeeDaySpent").fields().forEachRemaining(
                        e -> book.payeeDaySpent.put(AccountId.parse(e.getKey()), amount(e.getValue(), assets)));
                root.get("sessionSpent").fields().forEachRemaining(
                        e -> book.sessionSpent.put(e.getKey(), amount(e.getValue(), assets)));
                root.get("lastVoucher").fields().forEachRemaining(
                        e -> book.lastVoucher.put(e.getKey(), new BigInteger(e.getValue().asText())));
                books.put(account, book);
            } catch (IOException | RuntimeException e) {
                // refuse to start with an empty day rather than let a damaged file reset the limits
                throw new IllegalStateException("cannot read the spending book " + f + ": " + e.getMessage(), e);
            }
        }
    }

    /** Amount booked today for a payer (for tests and the shell). */
    public Amount spentToday(AccountId payer, SpendingPolicy policy) {
        AccountBook book = books.get(payer);
        if (book == null) {
            return Amount.zero(policy.asset());
        }
        synchronized (book) {
            return isCurrentDay(book, clock.instant(), policy.dayZone()) && book.daySpent != null
                    && book.daySpent.isSameAsset(Amount.zero(policy.asset()))
                    ? book.daySpent
                    : Amount.zero(policy.asset());
        }
    }
}
