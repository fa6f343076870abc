package io.iotpay.channel.internal.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.device.MeteredDevice;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.Envelope;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.SignedMessage;

/**
 * The provider side of a node: published offers, their devices, and all provider sessions. Incoming messages are
 * decoded on the caller's thread, then run on the serial queue of their channel (messages of one channel strictly in
 * arrival order, channels in parallel on the shared executor). Every refusal becomes a signed ERROR reply.
 */
public final class ProviderNode {

    private record Published(Offer offer, String offerJson, SignedMessage message, MeteredDevice device) {
    }

    private final ProviderSession.Context ctx;
    private final KeyedSerialExecutor serial;
    private final Executor executor;
    private final Map<String, Published> offers = new ConcurrentHashMap<>();
    private final Map<SessionId, ProviderSession> sessions = new ConcurrentHashMap<>();
    private final Map<ChannelId, SessionId> active = new ConcurrentHashMap<>();
    private final BiConsumer<SessionId, List<SignedMessage>> outbox;

    /**
     * @param outbox where messages the provider initiates (receipts, pauses) go, per session
     */
    public ProviderNode(ProviderSession.Context ctx, Executor executor,
            BiConsumer<SessionId, List<SignedMessage>> outbox) {
        this.ctx = ctx;
        this.serial = new KeyedSerialExecutor(executor);
        this.executor = executor;
        this.outbox = outbox;
    }

    /** Signs and publishes an offer for a device. */
    public SignedMessage publish(Offer offer, MeteredDevice device) {
        SignedMessage m = ctx.codec().sign(new Envelope(MessageCodec.VERSION, MessageType.OFFER,
                ctx.signer().account(), null, 0, ctx.clock().instant()), new Body.OfferBody(offer), ctx.signer());
        offers.put(offer.offerId(), new Published(offer, new String(ctx.codec().encode(m), StandardCharsets.UTF_8),
                m, device));
        return m;
    }

    public Optional<SignedMessage> offer(String offerId) {
        return Optional.ofNullable(offers.get(offerId)).map(Published::message);
    }

    /**
     * Handles one message from a consumer.
     *
     * @return the replies (an ERROR for any refusal)
     */
    public CompletableFuture<List<SignedMessage>> handle(byte[] json) {
        SignedMessage m;
        try {
            m = ctx.codec().decode(json);
        } catch (ProtocolException e) {
            return CompletableFuture.completedFuture(List.of(error(null, e, 0)));
        }
        Object key;
        if (m.body() instanceof Body.OpenSession os) {
            key = os.channel();
        } else {
            ProviderSession s = m.envelope().session() == null ? null : sessions.get(m.envelope().session());
            if (s == null) {
                return CompletableFuture.completedFuture(List.of(error(m.envelope().session(), new ProtocolException(
                        ErrorCode.UNKNOWN_SESSION, "no session " + m.envelope().session()), m.envelope().seq())));
            }
            key = s.channel();
        }
        SignedMessage msg = m;
        return serial.submitAsync(key, () -> {
            CompletableFuture<List<SignedMessage>> f;
            try {
                f = process(msg);
            } catch (ProtocolException e) {
                f = CompletableFuture.failedFuture(e);
            }
            // a refusal (found at once, or after the store answered) becomes a signed ERROR reply
            return f.handle((replies, t) -> {
                Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                        ? t.getCause() : t;
                if (c == null) {
                    return replies;
                }
                if (c instanceof ProtocolException e) {
                    return List.of(error(msg.envelope().session(), e, msg.envelope().seq()));
                }
                throw c instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(c);
            });
        });
    }

    private CompletableFuture<List<SignedMessage>> process(SignedMessage m) {
        if (m.body() instanceof Body.OpenSession os) {
            // the store remembers every session id ever opened here (any state), also across restarts
            if (sessions.containsKey(m.envelope().session()) || ctx.store().session(m.envelope().session(),
                    io.iotpay.api.channel.SessionRole.PROVIDER).isPresent()) {
                throw new ProtocolException(ErrorCode.REPLAYED, "session " + m.envelope().session()
                        + " already exists");
            }
            SessionId running = active.get(os.channel());
            if (running != null) {
                ProviderSession r = sessions.get(running);
                if (r != null && r.state() != SessionState.STOPPED && r.state() != SessionState.FAILED) {
                    throw new ProtocolException(ErrorCode.INVALID_STATE, "channel " + os.channel()
                            + " already has an active session");
                }
            }
            Published p = offers.get(os.offerId());
            if (p == null) {
                throw new ProtocolException(ErrorCode.MALFORMED, "field body.offerId: unknown offer " + os.offerId());
            }
            ProviderSession s = ProviderSession.accept(ctx, p.offer(), p.offerJson(), p.device(), m);
            sessions.put(s.id(), s);
            active.put(os.channel(), s.id());
            return CompletableFuture.completedFuture(List.of(s.start()));
        }
        // a voucher waits for its durable commit without holding a worker thread; the channel's queue waits for it
        return sessions.get(m.envelope().session()).onMessageAsync(m, executor);
    }

    /** Reads every running or paused session's meter (each on its channel's queue); outgoing messages go out. */
    public CompletableFuture<Void> tickAll() {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (ProviderSession s : sessions.values()) {
            if (s.state() == SessionState.RUNNING || s.state() == SessionState.PAUSED) {
                fs.add(serial.submit(s.channel(), () -> {
                    List<SignedMessage> out = s.tick();
                    if (!out.isEmpty()) {
                        outbox.accept(s.id(), out);
                    }
                    return null;
                }));
            }
        }
        return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new));
    }

    /**
     * Runs a local operation (operator pause, resume, stop) on the session's channel queue, in order with incoming
     * messages; the messages it returns also go to the outbox.
     *
     * @return the operation's messages; fails with UNKNOWN_SESSION if there is no such session
     */
    public CompletableFuture<List<SignedMessage>> local(SessionId id,
            java.util.function.Function<ProviderSession, List<SignedMessage>> op) {
        ProviderSession s = sessions.get(id);
        if (s == null) {
            return CompletableFuture.failedFuture(new ProtocolException(ErrorCode.UNKNOWN_SESSION, "no session " + id));
        }
        return serial.submit(s.channel(), () -> {
            List<SignedMessage> out = op.apply(s);
            if (!out.isEmpty()) {
                outbox.accept(s.id(), out);
            }
            return out;
        });
    }

    /**
     * After a restart: rebuilds every stored provider session that was not finished (NEGOTIATING, RUNNING, PAUSED)
     * whose offer is published again (publish the offers with their devices first), registers it, and re-sends its
     * last stored message through the outbox (the consumer refuses it as REPLAYED if it already had it). Each session
     * is restored on its channel's queue.
     *
     * @return ids of the restored sessions; sessions whose offer is not published are left in the store
     */
    public List<SessionId> recover() {
        List<SessionId> restored = new ArrayList<>();
        for (io.iotpay.channel.internal.store.SessionRecord r : ctx.store().sessions()) {
            if (r.role() != io.iotpay.api.channel.SessionRole.PROVIDER || sessions.containsKey(r.id())
                    || (r.state() != SessionState.RUNNING && r.state() != SessionState.PAUSED
                            && r.state() != SessionState.NEGOTIATING)) {
                continue;
            }
            SignedMessage offerMsg = ctx.codec().decode(r.offerJson().getBytes(StandardCharsets.UTF_8));
            Published p = offers.get(((Body.OfferBody) offerMsg.body()).offer().offerId());
            if (p == null) {
                continue;
            }
            ProviderSession s = serial.submit(r.channel(), () -> ProviderSession.restore(ctx, r, p.offer(),
                    p.device())).join();
            sessions.put(s.id(), s);
            active.put(s.channel(), s.id());
            s.lastSent().ifPresent(m -> outbox.accept(s.id(), List.of(m)));
            restored.add(s.id());
        }
        return restored;
    }

    public Optional<ProviderSession> session(SessionId id) {
        return Optional.ofNullable(sessions.get(id));
    }

    public List<SessionSnapshot> snapshots() {
        return sessions.values().stream().map(ProviderSession::snapshot).toList();
    }

    private SignedMessage error(SessionId session, ProtocolException e, long refSeq) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (msg.length() > 500) {
            msg = msg.substring(0, 500);
        }
        return ctx.codec().sign(new Envelope(MessageCodec.VERSION, MessageType.ERROR, ctx.signer().account(), session,
                0, ctx.clock().instant()), new Body.Error(e.code(), msg, refSeq), ctx.signer());
    }
}
