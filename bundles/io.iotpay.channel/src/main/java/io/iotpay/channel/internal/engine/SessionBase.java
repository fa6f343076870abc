package io.iotpay.channel.internal.engine;

import java.time.Clock;
import java.util.Objects;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionState;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.Envelope;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.MessageSigner;
import io.iotpay.channel.internal.protocol.SignedMessage;

/**
 * What provider and consumer sessions share: the state machine, outgoing sequence numbers and the checks every
 * incoming message passes before it may change anything (sender signature, sequence number, legal transition).
 * Not thread-safe: the engine runs all calls for one channel on one serial queue.
 */
abstract class SessionBase {

    protected final MessageCodec codec;
    protected final MessageSigner signer;
    protected final Clock clock;
    protected final SessionId id;
    protected AccountId peer;
    protected SessionState state = SessionState.NEGOTIATING;
    protected long ourSeq;
    protected long peerSeq;
    protected String detail = "";
    /** Canonical JSON of the last message this side signed (stored with the session, re-sent after a restart). */
    protected String lastOut = "";

    SessionBase(MessageCodec codec, MessageSigner signer, Clock clock, SessionId id) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.id = Objects.requireNonNull(id, "id");
    }

    public SessionId id() {
        return id;
    }

    public SessionState state() {
        return state;
    }

    public long peerSeq() {
        return peerSeq;
    }

    public long ourSeq() {
        return ourSeq;
    }

    /** Signs an outgoing message with the next sequence number and stores the session before it can leave. */
    protected SignedMessage send(Body body) {
        SignedMessage m = signNext(body);
        persist();
        return m;
    }

    /** Signs with the next sequence number without storing; the caller stores (e.g. together with a voucher). */
    protected SignedMessage signNext(Body body) {
        ourSeq++;
        SignedMessage m = codec.sign(new Envelope(MessageCodec.VERSION, body.type(), signer.account(), id, ourSeq,
                clock.instant()), body, signer);
        lastOut = new String(codec.encode(m), java.nio.charset.StandardCharsets.UTF_8);
        return m;
    }

    /** Stores the session durably. */
    protected abstract void persist();

    /**
     * The last message this side sent, to re-send after a restart (the peer refuses it as REPLAYED if it already had
     * it), or empty.
     */
    public java.util.Optional<SignedMessage> lastSent() {
        return lastOut.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(codec.decode(lastOut.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Checks an incoming message without changing anything and returns the state it would lead to.
     *
     * @throws ProtocolException UNKNOWN_SESSION, BAD_SIGNATURE, REPLAYED, OUT_OF_ORDER or INVALID_STATE
     */
    protected SessionState admit(SignedMessage m, SessionMachine.Event event) {
        return admit(m, event, true);
    }

    /**
     * As {@link #admit(SignedMessage, SessionMachine.Event)}; with {@code verifySignature} false the sender named in
     * {@code from} must still be the peer, but the message signature is not recovered: only for a VOUCHER, which the
     * caller authenticates by the payer's voucher signature instead (docs/protocol.md, "VOUCHER authentication").
     */
    protected SessionState admit(SignedMessage m, SessionMachine.Event event, boolean verifySignature) {
        if (!id.equals(m.envelope().session())) {
            throw new ProtocolException(ErrorCode.UNKNOWN_SESSION, "message for session " + m.envelope().session()
                    + " reached session " + id);
        }
        if (verifySignature) {
            codec.verify(m, peer);
        } else {
            codec.checkSender(m, peer);
        }
        long seq = m.envelope().seq();
        if (seq <= peerSeq) {
            throw new ProtocolException(ErrorCode.REPLAYED, "message seq " + seq + " was already used (last "
                    + peerSeq + ")");
        }
        if (seq != peerSeq + 1) {
            throw new ProtocolException(ErrorCode.OUT_OF_ORDER, "message seq " + seq + " skips ahead: expected "
                    + (peerSeq + 1));
        }
        return SessionMachine.next(state, event);
    }

    /** Accepts the message's sequence number (call only once every check passed). */
    protected void accepted(SignedMessage m) {
        peerSeq = m.envelope().seq();
    }

    protected static SessionMachine.Event eventOf(SignedMessage m) {
        return switch (m.body().type()) {
            case START -> SessionMachine.Event.START;
            case RECEIPT -> SessionMachine.Event.RECEIPT;
            case VOUCHER -> SessionMachine.Event.VOUCHER;
            case PAUSE -> SessionMachine.Event.PAUSE;
            case RESUME -> SessionMachine.Event.RESUME;
            case STOP -> SessionMachine.Event.STOP;
            case TOP_UP -> SessionMachine.Event.TOP_UP;
            default -> null;
        };
    }
}
