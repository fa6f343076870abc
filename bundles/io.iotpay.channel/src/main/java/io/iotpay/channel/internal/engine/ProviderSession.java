package io.iotpay.channel.internal.engine;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.device.MeterReading;
import io.iotpay.api.device.MeteredDevice;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.MessageSigner;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.store.ChannelRecord;
import io.iotpay.channel.internal.store.ChannelStore;
import io.iotpay.channel.internal.store.SessionRecord;
import io.iotpay.channel.internal.store.StoredVoucher;

/**
 * Provider side of a metered session. Meters the device, sends signed receipts, accepts vouchers (verified and
 * committed durably before anything else happens) and keeps delivery within the credit window: before the value not
 * covered by a voucher could exceed the window within the next meter interval, it switches the device off and pauses.
 */
public final class ProviderSession extends SessionBase {

    /** Why the provider paused. */
    public enum PauseCause {
        NONE, PEER, LOCAL, CREDIT, DEPOSIT
    }

    /**
     * Collaborators of a provider session. {@code closeSigner} signs cooperative closes as the payee (null: CLOSE is
     * refused with INVALID_STATE). {@code verifyVoucherEnvelope}: also recover the message signature of every VOUCHER
     * (two recoveries per voucher instead of one; closes the sequence-desynchronisation risk described in
     * docs/protocol.md, "VOUCHER authentication"); false by default.
     */
    public record Context(MessageCodec codec, MessageSigner signer, Clock clock, ChannelStore store,
            VoucherVerifier verifier, Function<ChannelId, Optional<Channel>> chain, Duration meterInterval,
            CloseSigner closeSigner, boolean verifyVoucherEnvelope) {

        /** Context checking VOUCHER messages by the voucher signature alone. */
        public Context(MessageCodec codec, MessageSigner signer, Clock clock, ChannelStore store,
                VoucherVerifier verifier, Function<ChannelId, Optional<Channel>> chain, Duration meterInterval,
                CloseSigner closeSigner) {
            this(codec, signer, clock, store, verifier, chain, meterInterval, closeSigner, false);
        }

        /** The same context, with or without the message signature check of VOUCHER messages. */
        public Context withVoucherEnvelopeCheck(boolean verify) {
            return new Context(codec, signer, clock, store, verifier, chain, meterInterval, closeSigner, verify);
        }

        /** Context without cooperative close. */
        public Context(MessageCodec codec, MessageSigner signer, Clock clock, ChannelStore store,
                VoucherVerifier verifier, Function<ChannelId, Optional<Channel>> chain, Duration meterInterval) {
            this(codec, signer, clock, store, verifier, chain, meterInterval, null);
        }
    }

    private final Context ctx;
    private final Offer offer;
    private final String offerJson;
    private final MeteredDevice device;
    private final ChannelRecord channelRecord;
    private final Amount base;
    private Amount deposit;
    private Amount lastVoucher;
    private BigInteger lastCounter = BigInteger.ZERO;
    private BigInteger delivered = BigInteger.ZERO;
    private BigInteger receipted = BigInteger.ZERO;
    private PauseCause pauseCause = PauseCause.NONE;

    private ProviderSession(Context ctx, Offer offer, String offerJson, MeteredDevice device, SignedMessage open,
            ChannelRecord channel, Amount base) {
        super(ctx.codec(), ctx.signer(), ctx.clock(), open.envelope().session());
        this.ctx = ctx;
        this.offer = offer;
        this.offerJson = offerJson;
        this.device = device;
        this.peer = open.envelope().from();
        this.channelRecord = channel;
        this.base = base;
        this.lastVoucher = base;
        this.deposit = Amount.ofUnits(channel.deposit(), offer.price().asset());
        this.peerSeq = open.envelope().seq();
    }

    /**
     * Checks an OPEN_SESSION against the offer and the channel on chain and creates the session (NEGOTIATING).
     *
     * @throws ProtocolException with the refusal code; nothing is stored then
     */
    public static ProviderSession accept(Context ctx, Offer offer, String offerJson, MeteredDevice device,
            SignedMessage open) {
        if (open.body().type() != MessageType.OPEN_SESSION) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, open.body().type() + " cannot open a session");
        }
        Body.OpenSession os = (Body.OpenSession) open.body();
        ctx.codec().verify(open, null);
        if (open.envelope().seq() != 1) {
            throw new ProtocolException(ErrorCode.OUT_OF_ORDER, "OPEN_SESSION must have seq 1, got "
                    + open.envelope().seq());
        }
        if (!offer.offerId().equals(os.offerId())) {
            throw new ProtocolException(ErrorCode.MALFORMED, "field body.offerId: unknown offer " + os.offerId());
        }
        checkFresh(ctx.clock().instant(), open.envelope().at(), offer.validity());
        // after a restart the in-memory session table is empty: the store is what remembers used session ids
        if (ctx.store().session(open.envelope().session(), SessionRole.PROVIDER).isPresent()) {
            throw new ProtocolException(ErrorCode.REPLAYED, "session " + open.envelope().session()
                    + " already exists");
        }
        Channel ch = ctx.chain().apply(os.channel()).orElseThrow(() -> new ProtocolException(
                ErrorCode.UNKNOWN_CHANNEL, "channel " + os.channel() + " does not exist on chain"));
        if (!ch.payee().equals(offer.payee()) || !ch.payer().equals(os.payer())
                || !ch.asset().equals(offer.price().asset()) || !ch.contract().equals(offer.contract())) {
            throw new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, "channel " + os.channel()
                    + " is not a channel from " + os.payer() + " to " + offer.payee() + " in "
                    + offer.price().asset().symbol() + " on " + offer.contract());
        }
        if (ch.state() != ChannelState.OPEN) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "channel " + os.channel() + " is " + ch.state());
        }
        Optional<ChannelRecord> local = ctx.store().channel(os.channel(), SessionRole.PROVIDER);
        if (local.isPresent() && local.get().state() != ChannelState.OPEN) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "channel " + os.channel() + " is "
                    + local.get().state() + " here (cooperative close agreed)");
        }
        if (ch.deposit().isLessThan(offer.minimumDeposit())) {
            throw new ProtocolException(ErrorCode.INSUFFICIENT_DEPOSIT, "channel deposit " + ch.deposit()
                    + " is below the offer's minimum " + offer.minimumDeposit());
        }
        Amount held = ctx.store().latestVoucher(os.channel(), SessionRole.PROVIDER)
                .map(v -> Amount.ofUnits(v.cumulative(), offer.price().asset())).orElse(ch.claimed());
        Amount base = held.max(ch.claimed());
        if (!base.isLessThan(ch.deposit())) {
            throw new ProtocolException(ErrorCode.INSUFFICIENT_DEPOSIT, "channel " + os.channel()
                    + " deposit is used up; top up first");
        }
        ChannelRecord rec = new ChannelRecord(ch.id(), SessionRole.PROVIDER, ch.scheme(), ch.contract(), ch.payer(),
                ch.payee(), ch.asset(), ch.deposit().units(), ChannelState.OPEN, ctx.clock().instant());
        ProviderSession s = new ProviderSession(ctx, offer, offerJson, device, open, rec, base);
        ctx.store().putChannel(rec);
        s.persist();
        return s;
    }

    /** How far in the future an OPEN_SESSION's {@code at} may lie (clock skew between the nodes). */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(2);

    /**
     * Refuses (REPLAYED) an OPEN_SESSION whose {@code at} is older than the offer's validity or more than
     * {@link #MAX_FUTURE_SKEW} ahead of this node's clock.
     */
    static void checkFresh(java.time.Instant now, java.time.Instant at, Duration validity) {
        if (at.isBefore(now.minus(validity))) {
            throw new ProtocolException(ErrorCode.REPLAYED, "OPEN_SESSION time " + at + " is older than the offer"
                    + " validity " + validity + " (provider clock " + now + ")");
        }
        if (at.isAfter(now.plus(MAX_FUTURE_SKEW))) {
            throw new ProtocolException(ErrorCode.REPLAYED, "OPEN_SESSION time " + at + " is more than "
                    + MAX_FUTURE_SKEW + " ahead of the provider clock " + now);
        }
    }

    /** Switches the device on and announces the start (NEGOTIATING -> RUNNING). */
    public SignedMessage start() {
        SessionState to = SessionMachine.next(state, SessionMachine.Event.START);
        lastCounter = device.read().cumulativeSubunits();
        if (!Credit.withinCredit(offer.price(), BigInteger.ZERO, projected(device.read()), paidInSession(),
                offer.creditWindow())) {
            // the credit window does not even cover the first meter interval: start paused until prepaid
            state = SessionState.PAUSED;
            pauseCause = PauseCause.CREDIT;
        } else {
            device.switchOn();
            state = to;
        }
        persist();
        return send(new Body.Start(channelRecord.id(), base.units(), deposit.units()));
    }

    /**
     * Reads the meter: sends a receipt when the quantity advanced, and pauses (device off) when the next interval
     * could leave the credit window or the deposit.
     */
    public List<SignedMessage> tick() {
        List<SignedMessage> out = new ArrayList<>();
        if (state != SessionState.RUNNING && state != SessionState.PAUSED) {
            return out;
        }
        MeterReading r = device.read();
        BigInteger c = r.cumulativeSubunits();
        // a counter below the last reading was reset (device restarted): everything it shows is new
        BigInteger delta = c.compareTo(lastCounter) >= 0 ? c.subtract(lastCounter) : c;
        delivered = delivered.add(delta);
        lastCounter = c;
        if (delivered.compareTo(receipted) > 0) {
            receipted = delivered;
            out.add(send(new Body.ReceiptBody(delivered)));
        }
        if (state == SessionState.RUNNING) {
            PauseCause cause = limitReached(projected(r));
            if (cause != PauseCause.NONE) {
                device.switchOff();
                state = SessionMachine.next(state, SessionMachine.Event.PAUSE);
                pauseCause = cause;
                detail = cause == PauseCause.CREDIT ? "credit window reached" : "deposit reached";
                persist();
                out.add(send(new Body.Pause(cause == PauseCause.CREDIT ? ErrorCode.CREDIT_EXHAUSTED.name()
                        : ErrorCode.INSUFFICIENT_DEPOSIT.name())));
            }
        }
        return out;
    }

    private PauseCause limitReached(BigInteger projected) {
        if (!Credit.withinCredit(offer.price(), delivered, projected, paidInSession(), offer.creditWindow())) {
            return PauseCause.CREDIT;
        }
        if (base.plus(Credit.owed(offer.price(), delivered.add(projected))).isGreaterThan(deposit)) {
            return PauseCause.DEPOSIT;
        }
        return PauseCause.NONE;
    }

    /** Subunits the device can deliver in one meter interval at its current power (rounded up). */
    private BigInteger projected(MeterReading r) {
        long ms = ctx.meterInterval().toMillis();
        MeteringUnit unit = offer.price().unit();
        if (unit == MeteringUnit.KILOWATT_HOUR) {
            BigInteger mwMs = BigInteger.valueOf(Math.max(0, r.powerMilliwatts())).multiply(BigInteger.valueOf(ms));
            BigInteger[] qr = mwMs.divideAndRemainder(BigInteger.valueOf(3_600_000L));
            return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        }
        if (unit == MeteringUnit.MINUTE) {
            return BigInteger.valueOf(ms);
        }
        return BigInteger.ZERO;
    }

    private Amount paidInSession() {
        return lastVoucher.minus(base);
    }

    /**
     * Handles a message from the consumer.
     *
     * @return replies to send (possibly none)
     * @throws ProtocolException refusal; the session is unchanged
     */
    public List<SignedMessage> onMessage(SignedMessage m) {
        if (m.body() instanceof Body.Close close) {
            return onClose(m, close);
        }
        SessionMachine.Event event = eventOf(m);
        if (event == null || event == SessionMachine.Event.START || event == SessionMachine.Event.RECEIPT) {
            if (m.body().type() == MessageType.ERROR) {
                codec.verify(m, peer);
                return List.of();
            }
            admit(m, SessionMachine.Event.FAIL); // signature and sequence errors come first
            throw new ProtocolException(ErrorCode.INVALID_STATE, "a consumer cannot send " + m.body().type()
                    + " in session state " + state);
        }
        if (event == SessionMachine.Event.VOUCHER) {
            PendingVoucher pv = checkVoucher(m);
            return afterCommit(pv, ctx.store().commitVoucher(pv.stored(), pv.record()));
        }
        SessionState to = admit(m, event);
        List<SignedMessage> out = new ArrayList<>();
        switch (event) {
            case PAUSE -> {
                accepted(m);
                device.switchOff();
                if (state == SessionState.RUNNING) {
                    pauseCause = PauseCause.PEER;
                }
                state = to;
                detail = "paused by consumer";
                persist();
            }
            case RESUME -> {
                if (limitReached(projected(device.read())) != PauseCause.NONE) {
                    throw new ProtocolException(ErrorCode.CREDIT_EXHAUSTED, "cannot resume: unpaid "
                            + Credit.unpaid(offer.price(), delivered, paidInSession()) + ", credit window "
                            + offer.creditWindow());
                }
                accepted(m);
                device.switchOn();
                state = to;
                pauseCause = PauseCause.NONE;
                detail = "resumed by consumer";
                persist();
            }
            case STOP -> {
                accepted(m);
                device.switchOff();
                out.addAll(tick());
                state = to;
                detail = "stopped by consumer";
                persist();
            }
            case TOP_UP -> out.addAll(onTopUp(m, (Body.TopUp) m.body(), to));
            default -> throw new IllegalStateException(event.name());
        }
        return out;
    }

    /**
     * Handles a message from the consumer without holding the calling thread while a voucher is committed: a VOUCHER
     * is checked at once, committed through the store's group commit, and applied to the session on
     * {@code continuation} once durable; any other message is handled as {@link #onMessage}. The caller must not hand
     * this session another message before the returned future completed (the engine's per-channel queue waits for it).
     *
     * @return replies, or a future failed with the {@link ProtocolException} of a refusal (the session unchanged)
     */
    public java.util.concurrent.CompletableFuture<List<SignedMessage>> onMessageAsync(SignedMessage m,
            java.util.concurrent.Executor continuation) {
        try {
            if (!(m.body() instanceof Body.VoucherBody) || eventOf(m) != SessionMachine.Event.VOUCHER) {
                return java.util.concurrent.CompletableFuture.completedFuture(onMessage(m));
            }
            PendingVoucher pv = checkVoucher(m);
            return ctx.store().commitVoucherAsync(pv.stored(), pv.record())
                    .thenApplyAsync(stored -> afterCommit(pv, stored), continuation);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /** A voucher that passed every check, with what to commit. */
    private record PendingVoucher(SignedMessage message, Amount amount, SessionState to, StoredVoucher stored,
            SessionRecord record) {
    }

    /**
     * Every check of a VOUCHER, changing nothing. The message signature is not recovered: the voucher is
     * authenticated by the payer's EIP-712 signature, which binds channel and cumulative amount (the only fields that
     * change anything), and {@code from} must still be the session's consumer (docs/protocol.md, "VOUCHER
     * authentication").
     */
    private PendingVoucher checkVoucher(SignedMessage m) {
        SessionState to = admit(m, SessionMachine.Event.VOUCHER, ctx.verifyVoucherEnvelope());
        Body.VoucherBody v = (Body.VoucherBody) m.body();
        if (!v.channel().equals(channelRecord.id())) {
            throw new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, "voucher for channel " + v.channel()
                    + " in a session on channel " + channelRecord.id());
        }
        Amount amount = Amount.ofUnits(v.cumulativeAmount(), offer.price().asset());
        if (!amount.isGreaterThan(lastVoucher)) {
            throw new ProtocolException(ErrorCode.REPLAYED, "voucher cumulative " + amount.units()
                    + " is not above the latest accepted " + lastVoucher.units());
        }
        if (amount.isGreaterThan(deposit)) {
            throw new ProtocolException(ErrorCode.ABOVE_DEPOSIT, "voucher cumulative " + amount.units()
                    + " is above the channel deposit " + deposit.units());
        }
        ctx.verifier().verify(v.channel(), amount, v.signature(), channelRecord.payer());
        // durable (with the accepted sequence number, in one transaction) before anything depends on it
        return new PendingVoucher(m, amount, to, new StoredVoucher(v.channel(), SessionRole.PROVIDER,
                amount.units(), v.signature(), clock.instant()), record(to, m.envelope().seq()));
    }

    /** Applies a voucher once the store answered (committed, or refused because a higher one is stored). */
    private List<SignedMessage> afterCommit(PendingVoucher pv, boolean stored) {
        if (!stored) {
            throw new ProtocolException(ErrorCode.REPLAYED, "an equal or higher voucher is already stored for "
                    + channelRecord.id());
        }
        accepted(pv.message());
        lastVoucher = pv.amount();
        state = pv.to();
        List<SignedMessage> out = new ArrayList<>();
        if (state == SessionState.PAUSED && (pauseCause == PauseCause.CREDIT || pauseCause == PauseCause.DEPOSIT)
                && limitReached(projected(device.read())) == PauseCause.NONE) {
            state = SessionMachine.next(state, SessionMachine.Event.RESUME);
            pauseCause = PauseCause.NONE;
            device.switchOn();
            detail = "resumed after payment";
            persist();
            out.add(send(new Body.Resume()));
        }
        return out;
    }

    private List<SignedMessage> onTopUp(SignedMessage m, Body.TopUp t, SessionState to) {
        if (!t.channel().equals(channelRecord.id())) {
            throw new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, "top-up for channel " + t.channel()
                    + " in a session on channel " + channelRecord.id());
        }
        Channel ch = ctx.chain().apply(t.channel()).orElseThrow(() -> new ProtocolException(
                ErrorCode.UNKNOWN_CHANNEL, "channel " + t.channel() + " does not exist on chain"));
        Amount claimed = Amount.ofUnits(t.newDeposit(), offer.price().asset());
        if (!claimed.isGreaterThan(deposit) || ch.deposit().isLessThan(claimed)) {
            throw new ProtocolException(ErrorCode.INSUFFICIENT_DEPOSIT, "top-up to " + claimed.units()
                    + " is not confirmed on chain (chain deposit " + ch.deposit().units() + ", known "
                    + deposit.units() + ")");
        }
        accepted(m);
        deposit = ch.deposit();
        ctx.store().putChannel(channelRecord.with(deposit.units(), ChannelState.OPEN, clock.instant()));
        state = to;
        List<SignedMessage> out = new ArrayList<>();
        if (state == SessionState.PAUSED && pauseCause == PauseCause.DEPOSIT
                && limitReached(projected(device.read())) == PauseCause.NONE) {
            state = SessionMachine.next(state, SessionMachine.Event.RESUME);
            pauseCause = PauseCause.NONE;
            device.switchOn();
            out.add(send(new Body.Resume()));
        }
        persist();
        return out;
    }

    /**
     * Cooperative close, asked by the consumer after STOP: the provider agrees to any final amount from its latest
     * voucher up to the deposit (the consumer submits its own voucher for it with the provider's close signature),
     * marks the channel CLOSING (no new session on it) and answers with its CloseIntent signature.
     */
    private List<SignedMessage> onClose(SignedMessage m, Body.Close close) {
        admit(m, SessionMachine.Event.VOUCHER); // signature, sequence; VOUCHER is legal wherever CLOSE may come
        if (state != SessionState.STOPPED) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "CLOSE is allowed after STOP, the session is "
                    + state);
        }
        if (!close.channel().equals(channelRecord.id())) {
            throw new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, "CLOSE for channel " + close.channel()
                    + " in a session on channel " + channelRecord.id());
        }
        if (ctx.closeSigner() == null) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "this provider does not close cooperatively");
        }
        Amount fin = Amount.ofUnits(close.finalCumulative(), offer.price().asset());
        if (fin.isLessThan(lastVoucher)) {
            throw new ProtocolException(ErrorCode.REPLAYED, "final amount " + fin.units()
                    + " is below the latest voucher " + lastVoucher.units());
        }
        if (fin.isGreaterThan(deposit)) {
            throw new ProtocolException(ErrorCode.ABOVE_DEPOSIT, "final amount " + fin.units()
                    + " is above the deposit " + deposit.units());
        }
        io.iotpay.api.wallet.Signature sig = ctx.closeSigner().sign(channelRecord.id(), fin);
        accepted(m);
        ctx.store().putChannel(channelRecord.with(deposit.units(), ChannelMachine.next(ChannelState.OPEN,
                ChannelMachine.Event.CLOSE_STARTED), clock.instant()));
        return List.of(send(new Body.Close(channelRecord.id(), fin.units(), sig)));
    }

    /** Local pause (operator or shell). */
    public SignedMessage pause() {
        state = SessionMachine.next(state, SessionMachine.Event.PAUSE);
        device.switchOff();
        pauseCause = PauseCause.LOCAL;
        detail = "paused by provider";
        persist();
        return send(new Body.Pause("REQUESTED"));
    }

    /** Local resume; refused while the credit window or deposit does not allow delivery. */
    public SignedMessage resume() {
        SessionState to = SessionMachine.next(state, SessionMachine.Event.RESUME);
        if (limitReached(projected(device.read())) != PauseCause.NONE) {
            throw new ProtocolException(ErrorCode.CREDIT_EXHAUSTED, "cannot resume before the consumer pays");
        }
        state = to;
        device.switchOn();
        pauseCause = PauseCause.NONE;
        persist();
        return send(new Body.Resume());
    }

    /** Local stop: device off, final receipt, STOP. */
    public List<SignedMessage> stop() {
        SessionState to = SessionMachine.next(state, SessionMachine.Event.STOP);
        device.switchOff();
        List<SignedMessage> out = new ArrayList<>(tick());
        state = to;
        detail = "stopped by provider";
        persist();
        out.add(send(new Body.Stop("REQUESTED")));
        return out;
    }

    @Override
    protected void persist() {
        ctx.store().putSession(record(state, peerSeq));
    }

    private SessionRecord record(SessionState st, long acceptedPeerSeq) {
        return new SessionRecord(id, SessionRole.PROVIDER, channelRecord.id(), offerJson, peer, st, delivered,
                base.units(), lastCounter, ourSeq, acceptedPeerSeq, lastOut, clock.instant());
    }

    /**
     * Rebuilds a session after a restart from its stored record, the latest stored voucher and the channel record.
     * A RUNNING session resumes metering at once: the first reading counts what the device delivered while the node
     * was down (from the stored counter) and the credit check runs on it; a PAUSED or STOPPED one keeps the device off.
     * Re-send {@link #lastSent()} to the consumer afterwards.
     */
    public static ProviderSession restore(Context ctx, SessionRecord rec, Offer offer, MeteredDevice device) {
        ChannelRecord ch = ctx.store().channel(rec.channel(), SessionRole.PROVIDER).orElseThrow(
                () -> new IllegalStateException("session " + rec.id() + " has no stored channel " + rec.channel()));
        Amount base = Amount.ofUnits(rec.base(), offer.price().asset());
        ProviderSession s = new ProviderSession(ctx, offer, rec.offerJson(), device, rec, ch, base);
        s.lastVoucher = ctx.store().latestVoucher(rec.channel(), SessionRole.PROVIDER)
                .map(v -> Amount.ofUnits(v.cumulative(), offer.price().asset())).orElse(base).max(base);
        if (s.state == SessionState.RUNNING) {
            device.switchOn();
        } else {
            device.switchOff();
            if (s.state == SessionState.PAUSED) {
                s.pauseCause = PauseCause.CREDIT; // resumes on the next payment that fits the window
            }
        }
        return s;
    }

    private ProviderSession(Context ctx, Offer offer, String offerJson, MeteredDevice device, SessionRecord rec,
            ChannelRecord channel, Amount base) {
        super(ctx.codec(), ctx.signer(), ctx.clock(), rec.id());
        this.ctx = ctx;
        this.offer = offer;
        this.offerJson = offerJson;
        this.device = device;
        this.peer = rec.peer();
        this.channelRecord = channel;
        this.base = base;
        this.lastVoucher = base;
        this.deposit = Amount.ofUnits(channel.deposit(), offer.price().asset());
        this.state = rec.state();
        this.delivered = rec.delivered();
        this.receipted = rec.delivered();
        this.lastCounter = rec.meter();
        this.ourSeq = rec.ourSeq();
        this.peerSeq = rec.peerSeq();
        this.lastOut = rec.lastOut();
    }

    public AccountId peer() {
        return peer;
    }

    public ChannelId channel() {
        return channelRecord.id();
    }

    public BigInteger delivered() {
        return delivered;
    }

    public Amount lastVoucher() {
        return lastVoucher;
    }

    public Amount base() {
        return base;
    }

    public PauseCause pauseCause() {
        return pauseCause;
    }

    public SessionSnapshot snapshot() {
        return new SessionSnapshot(id, SessionRole.PROVIDER, state, offer, channelRecord.id(), delivered,
                Credit.owed(offer.price(), delivered), paidInSession(), clock.instant(), detail);
    }
}
