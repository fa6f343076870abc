package io.iotpay.channel.internal.engine;

import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Price;
import io.iotpay.api.wallet.PaymentIntent;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.api.wallet.VoucherDomain;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.MessageSigner;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.store.ChannelStore;
import io.iotpay.channel.internal.store.SessionRecord;
import io.iotpay.channel.internal.store.StoredVoucher;

/**
 * Consumer side of a metered session. Answers each receipt with a voucher for the channel base plus what the
 * delivered quantity costs (rounded down) plus its prepay window, never above the deposit, the session budget or the
 * wallet's spending policy; every voucher is committed to the store before it is sent.
 */
public final class ConsumerSession extends SessionBase {

    /**
     * Collaborators of a consumer session. {@code scheme} checks the provider's close signature (null: a CLOSE answer
     * is refused).
     */
    public record Context(MessageCodec codec, MessageSigner signer, Clock clock, ChannelStore store,
            VoucherSigner voucherSigner, String domainVersion, io.iotpay.api.chain.SettlementScheme scheme) {

        /** Context without cooperative close. */
        public Context(MessageCodec codec, MessageSigner signer, Clock clock, ChannelStore store,
                VoucherSigner voucherSigner, String domainVersion) {
            this(codec, signer, clock, store, voucherSigner, domainVersion, null);
        }
    }

    /** Session terms chosen by the consumer. */
    public record Terms(AccountId payer, ChannelId channel, Amount deposit, Amount budget, Price maxPrice,
            Amount prepayWindow) {
    }

    private final Context ctx;
    private final Offer offer;
    private final String offerJson;
    private final Terms terms;
    private final Amount prepay;
    private Amount deposit;
    private Amount base;
    private Amount lastSigned;
    private BigInteger delivered = BigInteger.ZERO;
    private Signature closeSignature;

    private ConsumerSession(Context ctx, Offer offer, String offerJson, AccountId providerKey, Terms terms,
            SessionId id) {
        super(ctx.codec(), ctx.signer(), ctx.clock(), id);
        this.ctx = ctx;
        this.offer = offer;
        this.offerJson = offerJson;
        this.terms = terms;
        this.peer = providerKey;
        this.prepay = terms.prepayWindow().min(offer.prepayWindow());
        this.deposit = terms.deposit();
        Amount zero = Amount.zero(offer.price().asset());
        this.base = ctx.store().latestVoucher(terms.channel(), SessionRole.CONSUMER)
                .map(v -> Amount.ofUnits(v.cumulative(), offer.price().asset())).orElse(zero);
        this.lastSigned = base;
    }

    /**
     * Checks a verified offer against the consumer's terms and creates the session.
     *
     * @param offerMessage the provider's signed OFFER (its sender becomes the expected peer)
     * @throws ProtocolException PRICE_ABOVE_CAP, INSUFFICIENT_DEPOSIT, BAD_SIGNATURE, UNSUPPORTED_VERSION
     */
    public static ConsumerSession create(Context ctx, SignedMessage offerMessage, Terms terms) {
        if (offerMessage.body().type() != MessageType.OFFER) {
            throw new ProtocolException(ErrorCode.MALFORMED, "field type: expected OFFER");
        }
        ctx.codec().verify(offerMessage, null);
        Offer offer = ((Body.OfferBody) offerMessage.body()).offer();
        if (offer.protocolVersion() != MessageCodec.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "offer protocol version "
                    + offer.protocolVersion());
        }
        if (offer.price().unit() != terms.maxPrice().unit() || !offer.price().isAtMost(terms.maxPrice())) {
            throw new ProtocolException(ErrorCode.PRICE_ABOVE_CAP, "offer price " + offer.price()
                    + " is above the cap " + terms.maxPrice());
        }
        if (terms.deposit().isLessThan(offer.minimumDeposit())) {
            throw new ProtocolException(ErrorCode.INSUFFICIENT_DEPOSIT, "deposit " + terms.deposit()
                    + " is below the offer's minimum " + offer.minimumDeposit());
        }
        ConsumerSession s = new ConsumerSession(ctx, offer, new String(ctx.codec().encode(offerMessage),
                java.nio.charset.StandardCharsets.UTF_8), offerMessage.envelope().from(), terms, SessionId.random());
        return s;
    }

    /**
     * Rebuilds a consumer session after a restart from its stored record and the latest voucher it signed. The terms
     * (budget, cap, prepay) are the caller's configuration and are given again. Re-send {@link #lastSent()} to the
     * provider afterwards (it refuses it as REPLAYED if it already had it).
     */
    public static ConsumerSession restore(Context ctx, SessionRecord rec, Terms terms) {
        if (rec.role() != SessionRole.CONSUMER || !rec.channel().equals(terms.channel())) {
            throw new IllegalArgumentException("record " + rec.id() + " is not a consumer session on "
                    + terms.channel());
        }
        SignedMessage om = ctx.codec().decode(rec.offerJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ctx.codec().verify(om, rec.peer());
        Offer offer = ((Body.OfferBody) om.body()).offer();
        ConsumerSession s = new ConsumerSession(ctx, offer, rec.offerJson(), rec.peer(), terms, rec.id());
        s.state = rec.state();
        s.delivered = rec.delivered();
        s.base = Amount.ofUnits(rec.base(), offer.price().asset());
        s.lastSigned = ctx.store().latestVoucher(terms.channel(), SessionRole.CONSUMER)
                .map(v -> Amount.ofUnits(v.cumulative(), offer.price().asset())).orElse(s.base).max(s.base);
        s.ourSeq = rec.ourSeq();
        s.peerSeq = rec.peerSeq();
        s.lastOut = rec.lastOut();
        return s;
    }

    /** The OPEN_SESSION message (seq 1). */
    public SignedMessage open(String depositTx) {
        if (ourSeq != 0) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "session " + id + " is already opened");
        }
        persist();
        return send(new Body.OpenSession(offer.offerId(), terms.channel(), terms.payer(), depositTx));
    }

    /**
     * Handles a message from the provider.
     *
     * @return replies (vouchers, pause, stop)
     * @throws ProtocolException refusal; the session is unchanged
     */
    public List<SignedMessage> onMessage(SignedMessage m) {
        if (m.body() instanceof Body.Close close) {
            admit(m, SessionMachine.Event.VOUCHER);
            if (state != SessionState.STOPPED || ourSeq == 0 || !lastOut.contains("\"type\":\"CLOSE\"")) {
                throw new ProtocolException(ErrorCode.INVALID_STATE, "no CLOSE was asked in this session");
            }
            if (ctx.scheme() == null || close.closeSignature() == null
                    || !close.channel().equals(terms.channel())
                    || !close.finalCumulative().equals(lastSigned.units())) {
                throw new ProtocolException(ErrorCode.INVALID_STATE, "CLOSE answer does not match the request");
            }
            CloseSigner.verify(ctx.scheme(), terms.channel(), lastSigned, close.closeSignature(), offer.payee());
            accepted(m);
            closeSignature = close.closeSignature();
            persist();
            return List.of();
        }
        SessionMachine.Event event = eventOf(m);
        if (m.body().type() == MessageType.ERROR) {
            codec.verify(m, peer);
            return List.of();
        }
        if (event == null || event == SessionMachine.Event.VOUCHER || event == SessionMachine.Event.TOP_UP) {
            admit(m, SessionMachine.Event.FAIL);
            throw new ProtocolException(ErrorCode.INVALID_STATE, "a provider cannot send " + m.body().type());
        }
        if (state == SessionState.STOPPED && (event == SessionMachine.Event.PAUSE
                || event == SessionMachine.Event.RESUME || event == SessionMachine.Event.STOP)) {
            // sent before the provider saw this node's STOP (the messages crossed): take its sequence number, so the
            // provider's later messages (its final receipt) are not held behind it; the session stays stopped
            admit(m, SessionMachine.Event.RECEIPT); // signature and sequence; RECEIPT is what keeps STOPPED
            accepted(m);
            persist();
            return List.of();
        }
        SessionState to = admit(m, event);
        List<SignedMessage> out = new ArrayList<>();
        switch (event) {
            case START -> {
                Body.Start st = (Body.Start) m.body();
                if (!st.channel().equals(terms.channel())) {
                    throw new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, "START names channel " + st.channel()
                            + ", the session uses " + terms.channel());
                }
                // The base comes only from what this consumer knows for itself: the highest voucher it signed on
                // the channel (every voucher is stored before it is sent) and the amount the chain says was
                // claimed. The provider's word is never enough: a START claiming more would make us sign the
                // difference away (security review H1).
                Amount theirs = Amount.ofUnits(st.channelCumulative(), offer.price().asset());
                Amount known = base.max(lastSigned).max(chainClaimed());
                if (theirs.isGreaterThan(known)) {
                    state = SessionState.FAILED;
                    detail = "provider claims channel cumulative " + theirs.units() + " above the "
                            + known.units() + " this consumer signed or the chain shows claimed";
                    persist();
                    throw new ProtocolException(ErrorCode.INVALID_STATE, "START: channel cumulative "
                            + theirs.units() + " is above the highest voucher this consumer signed or the chain "
                            + "shows claimed (" + known.units() + "); claim the voucher that proves it on chain "
                            + "first; session refused");
                }
                accepted(m);
                base = known;
                lastSigned = lastSigned.max(known);
                deposit = deposit.min(Amount.ofUnits(st.deposit(), offer.price().asset()));
                state = to;
                persist();
                out.addAll(pay(0));
            }
            case RECEIPT -> {
                BigInteger q = ((Body.ReceiptBody) m.body()).cumulativeQuantity();
                if (q.compareTo(delivered) < 0) {
                    throw new ProtocolException(ErrorCode.OUT_OF_ORDER, "receipt quantity " + q
                            + " is below the previous receipt's " + delivered);
                }
                accepted(m);
                delivered = q;
                state = to;
                Amount signedBefore = lastSigned;
                out.addAll(pay(m.envelope().seq()));
                if (lastSigned.equals(signedBefore)) {
                    // no voucher carried the session state to the store: store the receipt's seq and quantity
                    // anyway, so a restart polls from here (the provider drops what this node acknowledged)
                    persist();
                }
            }
            case PAUSE, RESUME, STOP -> {
                accepted(m);
                state = to;
                detail = m.body().type() + " by provider";
                persist();
            }
            default -> throw new IllegalStateException(event.name());
        }
        return out;
    }

    /**
     * What the chain says the payee already claimed on the channel (a claim needs our voucher signature, so this is
     * proof the provider holds it); zero when no scheme is configured or the chain cannot be read.
     */
    private Amount chainClaimed() {
        Amount zero = Amount.zero(offer.price().asset());
        if (ctx.scheme() == null) {
            return zero;
        }
        try {
            return ctx.scheme().channel(terms.channel()).map(io.iotpay.api.channel.Channel::claimed)
                    .filter(c -> c.asset().equals(zero.asset())).orElse(zero);
        } catch (RuntimeException e) {
            return zero;
        }
    }

    /** Signs (and stores first) the next voucher if one is due; pauses or stops at the limits. */
    private List<SignedMessage> pay(long receiptSeq) {
        List<SignedMessage> out = new ArrayList<>();
        Amount owed = Credit.owed(offer.price(), delivered);
        Amount target = Credit.voucherTarget(offer.price(), delivered, base, prepay, deposit, terms.budget());
        if (target.isGreaterThan(lastSigned)) {
            Voucher unsigned = Voucher.unsigned(terms.channel(), offer.contract(), target);
            PaymentIntent intent = new PaymentIntent(terms.payer(), offer.payee(), target.minus(lastSigned), target,
                    offer.price(), id.value(), terms.channel());
            Signature sig;
            try {
                sig = ctx.voucherSigner().sign(intent, unsigned, VoucherDomain.iotpay(offer.contract(),
                        ctx.domainVersion()));
            } catch (SpendingRefusedException e) {
                if (state == SessionState.RUNNING) {
                    state = SessionMachine.next(state, SessionMachine.Event.PAUSE);
                    detail = "wallet refused: " + e.reason();
                    persist();
                    out.add(send(new Body.Pause(ErrorCode.POLICY_REFUSED.name())));
                }
                return out;
            }
            SignedMessage vm = signNext(new Body.VoucherBody(terms.channel(), target.units(), sig, receiptSeq));
            // durable, with the message and its sequence number, before it leaves this node
            ctx.store().commitVoucher(new StoredVoucher(terms.channel(), SessionRole.CONSUMER, target.units(), sig,
                    clock.instant()), record());
            lastSigned = target;
            out.add(vm);
        }
        if (state == SessionState.RUNNING) {
            if (owed.isGreaterThan(terms.budget())) {
                state = SessionMachine.next(state, SessionMachine.Event.STOP);
                detail = "budget exhausted";
                persist();
                out.add(send(new Body.Stop(ErrorCode.BUDGET_EXHAUSTED.name())));
            } else if (base.plus(owed).isGreaterThan(deposit)) {
                state = SessionMachine.next(state, SessionMachine.Event.PAUSE);
                detail = "deposit exhausted";
                persist();
                out.add(send(new Body.Pause(ErrorCode.INSUFFICIENT_DEPOSIT.name())));
            }
        }
        return out;
    }

    /** Local pause. */
    public SignedMessage pause() {
        state = SessionMachine.next(state, SessionMachine.Event.PAUSE);
        detail = "paused by consumer";
        persist();
        return send(new Body.Pause("REQUESTED"));
    }

    /** Local resume. */
    public SignedMessage resume() {
        state = SessionMachine.next(state, SessionMachine.Event.RESUME);
        detail = "resumed by consumer";
        persist();
        return send(new Body.Resume());
    }

    /**
     * Asks the provider to close the channel cooperatively at the latest signed amount (after STOP). The provider's
     * answer carries its close signature ({@link #closeSignature()}), which with the latest stored voucher lets the
     * payer close the channel on chain at once.
     */
    public SignedMessage close() {
        if (state != SessionState.STOPPED) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "stop the session before closing the channel");
        }
        return send(new Body.Close(terms.channel(), lastSigned.units(), null));
    }

    /** The provider's cooperative close signature, once received and verified. */
    public java.util.Optional<Signature> closeSignature() {
        return java.util.Optional.ofNullable(closeSignature);
    }

    /** Local stop. */
    public SignedMessage stop() {
        state = SessionMachine.next(state, SessionMachine.Event.STOP);
        detail = "stopped by consumer";
        persist();
        return send(new Body.Stop("REQUESTED"));
    }

    @Override
    protected void persist() {
        ctx.store().putSession(record());
    }

    private SessionRecord record() {
        return new SessionRecord(id, SessionRole.CONSUMER, terms.channel(), offerJson, peer, state, delivered,
                base.units(), BigInteger.ZERO, ourSeq, peerSeq, lastOut, clock.instant());
    }

    public Amount lastSigned() {
        return lastSigned;
    }

    public Amount base() {
        return base;
    }

    public BigInteger delivered() {
        return delivered;
    }

    public Offer offer() {
        return offer;
    }

    public SessionSnapshot snapshot() {
        return new SessionSnapshot(id, SessionRole.CONSUMER, state, offer, terms.channel(), delivered,
                Credit.owed(offer.price(), delivered), lastSigned.minus(base), clock.instant(), detail);
    }
}
