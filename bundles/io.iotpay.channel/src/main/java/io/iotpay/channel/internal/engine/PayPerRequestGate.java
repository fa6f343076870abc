package io.iotpay.channel.internal.engine;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.store.ChannelRecord;
import io.iotpay.channel.internal.store.ChannelStore;
import io.iotpay.channel.internal.store.SessionRecord;
import io.iotpay.channel.internal.store.StoredVoucher;

/**
 * Pay-per-request resources (HTTP 402). A request without a voucher is answered with the signed offer (price per
 * request). A retry carries a signed VOUCHER message in the {@value #HEADER} header (base64url of its canonical JSON)
 * for the channel's new cumulative amount; the resource is served when the value paid on the channel, minus the value
 * of requests already served on it, covers one more request. A voucher above the previous one is committed (with the
 * served count, in one transaction) before the request is served; a voucher that brings nothing new only spends
 * credit left from earlier prepayment, otherwise it is refused as REPLAYED. Requests of one channel are decided one
 * at a time; channels in parallel.
 * <p>
 * A header is good for one request only (security review H2): the VOUCHER message must be signed by the channel's
 * payer ({@code from} = payer), its {@code seq} must be above every request sequence number already served on the
 * channel (the consumer counts up per channel), and its {@code at} must lie within {@link #FRESHNESS} of this node's
 * clock. A replayed header, or the voucher re-wrapped in another sender's message, is refused without serving.
 * <p>
 * Served value per channel is kept in the store as a session record with id = the channel's 64 hex digits, role
 * PROVIDER, {@code delivered} = requests served, {@code base} = value served in base units, {@code peerSeq} = the
 * highest request sequence number served, written in the same transaction.
 */
public final class PayPerRequestGate {

    /** HTTP header carrying the voucher message on the retry. */
    public static final String HEADER = "X-IOTPAY-Voucher";

    /** How far a request's {@code at} may lie from this node's clock, either way. */
    public static final java.time.Duration FRESHNESS = java.time.Duration.ofMinutes(2);

    /** What to answer. */
    public sealed interface Decision {
    }

    /** 402 with the signed offer: no voucher given. */
    public record PaymentRequired(SignedMessage offer) implements Decision {
    }

    /** Serve the resource: request number {@code served} on the channel, {@code credit} left afterwards. */
    public record Serve(ChannelId channel, long served, Amount credit) implements Decision {
    }

    /** Refuse: 400 for MALFORMED / UNSUPPORTED_VERSION, 402 (with the offer and the error) otherwise. */
    public record Refused(ProtocolException error) implements Decision {
        public int httpStatus() {
            return error.code() == ErrorCode.MALFORMED || error.code() == ErrorCode.UNSUPPORTED_VERSION ? 400
                    : error.code() == ErrorCode.PEER_UNTRUSTED ? 403 : 402;
        }
    }

    private final MessageCodec codec;
    private final Clock clock;
    private final ChannelStore store;
    private final VoucherVerifier verifier;
    private final Function<ChannelId, Optional<Channel>> chain;
    private final Offer offer;
    private final SignedMessage offerMessage;
    private final String offerJson;
    /** Per channel, shared by every gate of this JVM (two offers may be paid through one channel). */
    private static final Map<ChannelId, Object> LOCKS = new ConcurrentHashMap<>();

    public PayPerRequestGate(MessageCodec codec, Clock clock, ChannelStore store, VoucherVerifier verifier,
            Function<ChannelId, Optional<Channel>> chain, SignedMessage offerMessage) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = Objects.requireNonNull(store, "store");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.chain = Objects.requireNonNull(chain, "chain");
        if (!(offerMessage.body() instanceof Body.OfferBody ob)) {
            throw new IllegalArgumentException("not an OFFER message: " + offerMessage.body().type());
        }
        this.offer = ob.offer();
        if (offer.price().unit() != MeteringUnit.REQUEST) {
            throw new IllegalArgumentException("a pay-per-request offer must be priced per request, not per "
                    + offer.price().unit().symbol());
        }
        this.offerMessage = offerMessage;
        this.offerJson = new String(codec.encode(offerMessage), StandardCharsets.UTF_8);
    }

    /** Encodes a voucher message for the {@value #HEADER} header. */
    public static String headerValue(MessageCodec codec, SignedMessage voucher) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(codec.encode(voucher));
    }

    /**
     * Decides one request.
     *
     * @param header the {@value #HEADER} value, or null
     */
    public Decision check(String header) {
        return check(header, m -> { });
    }

    /**
     * Like {@link #check(String)}, with an admission check of the (signature-verified) request message before
     * anything is decided or stored, e.g. peer trust by certificate; it refuses by throwing a
     * {@link ProtocolException}, which becomes a {@link Refused} decision.
     */
    public Decision check(String header, java.util.function.Consumer<SignedMessage> admit) {
        if (header == null || header.isEmpty()) {
            return new PaymentRequired(offerMessage);
        }
        try {
            byte[] json;
            try {
                json = Base64.getUrlDecoder().decode(header.trim());
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(ErrorCode.MALFORMED, "field " + HEADER + ": not base64url");
            }
            SignedMessage m = codec.decode(json);
            if (m.body().type() != MessageType.VOUCHER) {
                throw new ProtocolException(ErrorCode.MALFORMED, "field type: expected VOUCHER, got "
                        + m.body().type());
            }
            codec.verify(m, null);
            java.time.Duration skew = java.time.Duration.between(m.envelope().at(), clock.instant()).abs();
            if (skew.compareTo(FRESHNESS) > 0) {
                throw new ProtocolException(ErrorCode.REPLAYED, "request time " + m.envelope().at()
                        + " is more than " + FRESHNESS.toSeconds() + " s from this node's clock");
            }
            admit.accept(m);
            Body.VoucherBody v = (Body.VoucherBody) m.body();
            synchronized (LOCKS.computeIfAbsent(v.channel(), k -> new Object())) {
                return decide(m, v);
            }
        } catch (ProtocolException e) {
            return new Refused(e);
        }
    }

    /** Records this gate writes: RUNNING, no own messages, no meter. */
    private static boolean isGateRecord(SessionRecord r) {
        return r.state() == SessionState.RUNNING && r.ourSeq() == 0 && r.lastOut().isEmpty()
                && (r.meter() == null || r.meter().signum() == 0);
    }

    private Decision decide(SignedMessage m, Body.VoucherBody v) {
        Channel ch = chain.apply(v.channel()).orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_CHANNEL,
                "channel " + v.channel() + " does not exist on chain"));
        if (!ch.payee().equals(offer.payee()) || !ch.asset().equals(offer.price().asset())
                || !ch.contract().equals(offer.contract())) {
            throw new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, "channel " + v.channel()
                    + " does not pay " + offer.payee() + " in " + offer.price().asset().symbol());
        }
        if (ch.state() != ChannelState.OPEN) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "channel " + v.channel() + " is " + ch.state());
        }
        Amount amount = Amount.ofUnits(v.cumulativeAmount(), offer.price().asset());
        if (amount.isGreaterThan(ch.deposit())) {
            throw new ProtocolException(ErrorCode.ABOVE_DEPOSIT, "voucher cumulative " + amount.units()
                    + " is above the channel deposit " + ch.deposit().units());
        }
        if (!m.envelope().from().equals(ch.payer())) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "the request is signed by " + m.envelope().from()
                    + ", not by the channel payer " + ch.payer());
        }
        verifier.verify(v.channel(), amount, v.signature(), ch.payer());

        SessionId sid = new SessionId(v.channel().toHex().substring(2));
        Optional<SessionRecord> rec = store.session(sid, SessionRole.PROVIDER);
        if (rec.isPresent() && !isGateRecord(rec.get())) {
            // a metered session opened under this id overwrote the served count (review M2): serving now could spend
            // value twice, so refuse until an operator looks at it
            throw new ProtocolException(ErrorCode.INVALID_STATE, "the served-request record of channel " + v.channel()
                    + " was overwritten by a session; pay-per-request on this channel is stopped");
        }
        long lastSeq = rec.map(SessionRecord::peerSeq).orElse(0L);
        long seq = m.envelope().seq();
        if (seq <= lastSeq) {
            throw new ProtocolException(ErrorCode.REPLAYED, "request seq " + seq + " was already used on channel "
                    + v.channel() + " (last " + lastSeq + ")");
        }
        long served = rec.map(r -> r.delivered().longValueExact()).orElse(0L);
        Amount servedValue = Amount.ofUnits(rec.map(SessionRecord::base).orElse(BigInteger.ZERO),
                offer.price().asset());
        Amount latest = store.latestVoucher(v.channel(), SessionRole.PROVIDER)
                .map(s -> Amount.ofUnits(s.cumulative(), offer.price().asset()))
                .orElse(ch.claimed()).max(ch.claimed());
        // value served on this channel counts from what was already paid when the gate first saw it
        if (rec.isEmpty()) {
            servedValue = latest;
        }
        boolean fresh = amount.isGreaterThan(latest);
        Amount paid = fresh ? amount : latest;
        Amount price = offer.price().amount();
        if (paid.minus(servedValue.min(paid)).isLessThan(price)) {
            throw fresh ? new ProtocolException(ErrorCode.CREDIT_EXHAUSTED, "voucher adds "
                    + amount.minus(latest).units() + " but one request costs " + price.units())
                    : new ProtocolException(ErrorCode.REPLAYED, "voucher " + amount.units()
                            + " is not above the latest " + latest.units() + " and no prepaid credit is left");
        }
        SessionRecord next = new SessionRecord(sid, SessionRole.PROVIDER, v.channel(), offerJson, ch.payer(),
                SessionState.RUNNING, BigInteger.valueOf(served + 1), servedValue.plus(price).units(),
                BigInteger.ZERO, 0, seq, "", clock.instant());
        if (fresh) {
            if (store.channel(v.channel(), SessionRole.PROVIDER).isEmpty()) {
                store.putChannel(new ChannelRecord(ch.id(), SessionRole.PROVIDER, ch.scheme(), ch.contract(),
                        ch.payer(), ch.payee(), ch.asset(), ch.deposit().units(), ChannelState.OPEN,
                        clock.instant()));
            }
            if (!store.commitVoucher(new StoredVoucher(v.channel(), SessionRole.PROVIDER, amount.units(),
                    v.signature(), clock.instant()), next)) {
                throw new ProtocolException(ErrorCode.REPLAYED, "a higher voucher was stored meanwhile");
            }
        } else {
            store.putSession(next);
        }
        return new Serve(v.channel(), served + 1, paid.minus(servedValue.plus(price)));
    }
}
