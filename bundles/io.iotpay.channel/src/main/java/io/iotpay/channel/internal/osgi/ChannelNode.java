package io.iotpay.channel.internal.osgi;

import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainConnector;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.SettlementScheme;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.chain.TxReceipt;
import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelEngine;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.PurchaseRequest;
import io.iotpay.api.channel.SessionEvent;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.device.MeteredDevice;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.PaymentIntent;
import io.iotpay.api.wallet.VoucherDomain;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.channel.internal.engine.ConsumerSession;
import io.iotpay.channel.internal.engine.Credit;
import io.iotpay.channel.internal.engine.PayPerRequestGate;
import io.iotpay.channel.internal.engine.SettlementWatcher;
import io.iotpay.channel.internal.engine.ProviderNode;
import io.iotpay.channel.internal.engine.ProviderSession;
import io.iotpay.channel.internal.engine.VoucherSigner;
import io.iotpay.channel.internal.engine.VoucherVerifier;
import io.iotpay.channel.internal.http.HttpReply;
import io.iotpay.channel.internal.http.PaidResource;
import io.iotpay.channel.internal.http.PeerGateway;
import io.iotpay.channel.internal.http.PeerTransport;
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
 * One IOTPAY node's channel engine, without OSGi: both sides of metered sessions on top of the core classes
 * ({@link ProviderNode}, {@link ConsumerSession}, the store), with chain connectors, devices and the peer transport
 * looked up through functions so that the DS component can bind them dynamically. A connector that goes away does
 * not touch sessions: only chain work (opening, verifying a new channel, settling) fails until it is back.
 * <p>
 * Provider messages of a session (replies and what the meter tick produces) are kept in a per-session outbox that
 * the consumer polls ({@code GET .../outbox/<session>?after=<seq>}); the consumer reorders what it receives by
 * sequence number, so replies and polled messages may arrive in any order and more than once.
 */
public final class ChannelNode implements ChannelEngine, PeerGateway, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelNode.class);
    private static final int OUTBOX_LIMIT = 4096;

    /**
     * Tunables.
     *
     * @param tick how often the provider reads its meters and the consumer polls (real time)
     * @param projection the meter interval the credit window projects over (simulated time; tick x clock speed)
     * @param openWindow how long an opening transaction may take to be mined (the salt's open deadline)
     * @param txTimeout how long to wait for a transaction
     * @param providerAccount wallet alias or address that receives payments and signs provider messages; blank = the
     *        wallet's first account on the price's chain
     * @param endpoint this node's peer endpoint as published in offers ({@code http://host:port/iotpay/peer})
     * @param offerValidity how long a published offer holds
     * @param settleInterval how often the provider claims new vouchers on chain; zero = only on stop and on demand
     * @param domainVersion EIP-712 domain version of the settlement contract
     * @param stateFile where published offers and purchase terms are kept for a restart (null: not kept)
     */
    public record Settings(Duration tick, Duration projection, Duration openWindow, Duration txTimeout,
            String providerAccount, URI endpoint, Duration offerValidity, Duration settleInterval,
            String domainVersion, java.nio.file.Path stateFile) {
        public Settings {
            Objects.requireNonNull(tick, "tick");
            Objects.requireNonNull(projection, "projection");
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }

    /** A consumer session with its endpoint and its reorder buffer of provider messages. */
    private static final class Buyer {
        final ConsumerSession session;
        final URI endpoint;
        final AccountId payer;
        final TreeMap<Long, SignedMessage> pending = new TreeMap<>();
        String lastError;
        /**
         * Messages this consumer signed (and committed) that the provider has not answered yet, by sequence number.
         * A message whose POST fails (provider down, restarting, or answering outside the protocol) stays here and is
         * sent again, in order, before anything newer: otherwise the provider, after a crash, would refuse every later
         * message as skipping ahead. A provider that already had it answers REPLAYED, which is an answer.
         */
        final TreeMap<Long, SignedMessage> unacked = new TreeMap<>();
        /**
         * Polls since the session stopped with something still outstanding (answered or not). A stopped session is
         * polled until nothing is outstanding: the provider's final receipt (its answer to this node's STOP) may sit
         * behind provider messages this node had not polled yet when it stopped, or the STOP itself may not have
         * reached the provider yet.
         */
        int pollsAfterStop;
        /** Stopped and nothing outstanding (or given up): no more polls, and not restored after a restart. */
        boolean drained;

        Buyer(ConsumerSession session, URI endpoint, AccountId payer) {
            this.session = session;
            this.endpoint = endpoint;
            this.payer = payer;
        }
    }

    private final Wallet wallet;
    private final Function<ChainId, Optional<ChainConnector>> chains;
    private final ChannelStore store;
    private final Function<String, Optional<MeteredDevice>> devices;
    private final Consumer<SessionEvent> events;
    private final PeerTransport transport;
    private final Settings settings;
    private final MessageCodec codec = new MessageCodec();
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    private final Map<SessionId, Buyer> buyers = new ConcurrentHashMap<>();
    private final Map<SessionId, ConcurrentSkipListMap<Long, SignedMessage>> outboxes = new ConcurrentHashMap<>();
    /** Last snapshot per session and role: one node may be both sides of a session (two identities, iotpay:demo). */
    private final Map<String, SessionSnapshot> seen = new ConcurrentHashMap<>();
    private volatile ProviderNode provider;
    private volatile AccountId providerKey;
    private volatile URI endpoint;
    private final NodeState state;
    private final List<SignedMessage> pendingOffers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile PeerTrust peerTrust = PeerTrust.OFF;

    public ChannelNode(Wallet wallet, Function<ChainId, Optional<ChainConnector>> chains, ChannelStore store,
            Function<String, Optional<MeteredDevice>> devices, Consumer<SessionEvent> events, PeerTransport transport,
            Settings settings) {
        this.wallet = Objects.requireNonNull(wallet, "wallet");
        this.chains = Objects.requireNonNull(chains, "chains");
        this.store = Objects.requireNonNull(store, "store");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.events = Objects.requireNonNull(events, "events");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.endpoint = settings.endpoint();
        this.state = new NodeState(settings.stateFile());
        for (String json : state.offers()) {
            pendingOffers.add(codec.decode(json.getBytes(StandardCharsets.UTF_8)));
        }
        restoreBuyers();
        this.workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemon("iotpay-channel"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("iotpay-channel-tick"));
        long tickMs = Math.max(10, settings.tick().toMillis());
        scheduler.scheduleWithFixedDelay(this::tickSafely, tickMs, tickMs, TimeUnit.MILLISECONDS);
        if (settings.settleInterval() != null && !settings.settleInterval().isZero()) {
            long s = settings.settleInterval().toMillis();
            scheduler.scheduleWithFixedDelay(() -> workers.execute(this::settleSafely), s, s, TimeUnit.MILLISECONDS);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ------------------------------------------------------------------ provider

    private synchronized ProviderNode provider(ChainId chain) {
        if (provider == null) {
            AccountId key = resolveProviderAccount(chain);
            ProviderSession.Context ctx = new ProviderSession.Context(codec, MessageSigner.of(wallet, key), clock,
                    store, this::verifyVoucher, this::chainChannel, settings.projection())
                    .withVoucherEnvelopeCheck(voucherEnvelopeCheck);
            providerKey = key;
            provider = new ProviderNode(ctx, workers, this::toOutbox);
        }
        return provider;
    }

    private AccountId resolveProviderAccount(ChainId chain) {
        String wanted = settings.providerAccount();
        AccountInfo info;
        if (wanted != null && !wanted.isBlank()) {
            info = wallet.account(wanted.trim()).orElseThrow(() -> new IllegalStateException(
                    "providerAccount \"" + wanted + "\" is not in the wallet"));
        } else {
            info = wallet.accounts().stream().filter(a -> a.account().chainId().equals(chain)).findFirst()
                    .or(() -> wallet.accounts().stream().filter(a -> a.account().chainId().isEvm()).findFirst())
                    .orElseThrow(() -> new IllegalStateException("the wallet has no account to receive payments on "
                            + chain + "; create one (iotpay:wallet-create) or set providerAccount"));
        }
        return AccountId.of(chain, info.account().address());
    }

    @Override
    public Offer publishOffer(String deviceId, Price price, Amount creditWindow, Amount minimumDeposit) {
        MeteredDevice device = devices.apply(deviceId).orElseThrow(() -> new IllegalArgumentException(
                "no metered device \"" + deviceId + "\" is registered"));
        if (device.unit() != price.unit()) {
            throw new IllegalArgumentException("device " + deviceId + " meters " + device.unit().symbol()
                    + " but the price is per " + price.unit().symbol());
        }
        ChainId chain = price.asset().chain();
        SettlementScheme scheme = connector(chain).settlement();
        ProviderNode node = provider(chain);
        AccountId payee = AccountId.of(chain, providerKey.address());
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        Offer offer = new Offer("offer-" + HexFormat.of().formatHex(idBytes), payee, deviceId, price,
                scheme.contract(), scheme.id(), minimumDeposit, creditWindow, creditWindow, settings.offerValidity(),
                endpoint, peerTrust.offerCertificate(payee), MessageCodec.VERSION);
        SignedMessage signed = node.publish(offer, device);
        offers.put(offer.offerId(), offer);
        state.putOffer(offer.offerId(), new String(codec.encode(signed), StandardCharsets.UTF_8));
        LOG.info("Published offer {} for device {} at {}", offer.offerId(), deviceId, price);
        return offer;
    }

    private volatile boolean voucherEnvelopeCheck;

    /**
     * Also checks the message signature of VOUCHER messages (configuration {@code voucherEnvelopeCheck}; default
     * off, docs/protocol.md "VOUCHER authentication"). Takes effect for the provider side created after the call.
     */
    public void voucherEnvelopeCheck(boolean check) {
        this.voucherEnvelopeCheck = check;
    }

    /** Sets peer trust (default {@link PeerTrust#OFF}): certificates in offers and sessions. */
    public void peerTrust(PeerTrust trust) {
        this.peerTrust = Objects.requireNonNull(trust, "trust");
    }

    /** Sets the peer endpoint published in new offers (the HTTP runtime's address, once known). */
    public void endpoint(URI endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /** The peer endpoint published in new offers. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public List<Offer> offers() {
        return List.copyOf(offers.values());
    }

    @Override
    public MessageCodec codec() {
        return codec;
    }

    @Override
    public Optional<SignedMessage> signedOffer(String offerId) {
        ProviderNode p = provider;
        return p == null ? Optional.empty() : p.offer(offerId);
    }

    @Override
    public List<SignedMessage> signedOffers() {
        ProviderNode p = provider;
        if (p == null) {
            return List.of();
        }
        List<SignedMessage> out = new ArrayList<>();
        for (String id : offers.keySet()) {
            p.offer(id).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public List<SignedMessage> handle(byte[] json, String certificateHeader) {
        ProviderNode p = provider;
        PeerTrust trust = peerTrust;
        if (p == null || !trust.enabled()) {
            return handle(json);
        }
        SignedMessage m;
        try {
            m = codec.decode(json);
        } catch (ProtocolException e) {
            return handle(json); // malformed: the engine answers with its own ERROR
        }
        try {
            trust.admit(m, certificateHeader, id -> p.session(id).isPresent());
        } catch (ProtocolException refused) {
            LOG.warn("Refused {} of session {} from {}: {}", m.body().type(), m.envelope().session(),
                    m.envelope().from(), refused.getMessage());
            AccountId key = providerKey;
            String text = refused.getMessage().substring(ErrorCode.PEER_UNTRUSTED.name().length() + 2);
            text = text.length() > 500 ? text.substring(0, 500) : text;
            return List.of(codec.sign(new io.iotpay.channel.internal.protocol.Envelope(MessageCodec.VERSION,
                    MessageType.ERROR, key, m.envelope().session(), 0, clock.instant()),
                    new Body.Error(ErrorCode.PEER_UNTRUSTED, text, m.envelope().seq()), MessageSigner.of(wallet, key)));
        }
        return handle(json);
    }

    @Override
    public List<SignedMessage> handle(byte[] json) {
        ProviderNode p = provider;
        if (p == null) {
            // no offer was ever published: refuse like an unknown offer, signed by nobody we could name
            throw new ProtocolException(ErrorCode.UNKNOWN_SESSION, "this node publishes no offers");
        }
        List<SignedMessage> replies = await(p.handle(json));
        for (SignedMessage r : replies) {
            if (r.envelope().session() != null && r.body().type() != MessageType.ERROR) {
                toOutbox(r.envelope().session(), List.of(r));
            }
        }
        java.util.Set<SessionId> touched = new java.util.HashSet<>();
        for (SignedMessage r : replies) {
            if (r.envelope().session() != null) {
                touched.add(r.envelope().session());
            }
        }
        try {
            SessionId in = codec.decode(json).envelope().session();
            if (in != null) {
                touched.add(in);
            }
        } catch (ProtocolException e) {
            // malformed: already answered with an ERROR
        }
        for (SessionId id : touched) {
            p.session(id).ifPresent(s -> observe(s.snapshot()));
        }
        return replies;
    }

    @Override
    /**
     * The outbox for a reader identified by its verified mutual-TLS chain (base64 of PEM): only the session's consumer
     * may read and acknowledge it (docs/protocol.md, "Mutual TLS").
     *
     * @throws ProtocolException UNKNOWN_SESSION, or PEER_UNTRUSTED (ACCOUNT_MISMATCH) for another reader
     */
    public List<SignedMessage> outbox(SessionId session, long after, String tlsCertificateChain) {
        ProviderNode p = provider;
        AccountId consumer = p == null ? null : p.session(session).map(ProviderSession::peer).orElse(null);
        if (consumer == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_SESSION, "no session " + session);
        }
        PeerTrust.requireReader(tlsCertificateChain, consumer, session);
        return outbox(session, after);
    }

    public List<SignedMessage> outbox(SessionId session, long after) {
        ConcurrentSkipListMap<Long, SignedMessage> box = outboxes.get(session);
        if (box == null) {
            ProviderNode p = provider;
            if (p == null || p.session(session).isEmpty()) {
                throw new ProtocolException(ErrorCode.UNKNOWN_SESSION, "no session " + session);
            }
            return List.of();
        }
        box.headMap(after, true).clear();
        return List.copyOf(box.values());
    }

    private void toOutbox(SessionId session, List<SignedMessage> messages) {
        ConcurrentSkipListMap<Long, SignedMessage> box = outboxes.computeIfAbsent(session,
                k -> new ConcurrentSkipListMap<>());
        for (SignedMessage m : messages) {
            if (m.envelope().seq() > 0) {
                box.put(m.envelope().seq(), m);
            }
        }
        while (box.size() > OUTBOX_LIMIT) {
            box.pollFirstEntry();
        }
    }

    private void verifyVoucher(ChannelId channel, Amount cumulative, io.iotpay.api.wallet.Signature signature,
            AccountId payer) {
        if (chains.apply(payer.chainId()).isPresent()) {
            VoucherVerifier.of(schemeFor(channel, payer.chainId())).verify(channel, cumulative, signature, payer);
            return;
        }
        // the connector is away (bundle being replaced): IOTPAY's own scheme is verified locally, the rest waits
        ChannelRecord r = store.channel(channel, SessionRole.PROVIDER).orElseThrow(() -> new IllegalStateException(
                "no chain connector for " + payer.chainId() + " to verify a voucher of an unknown channel"));
        if (!LocalVoucherVerifier.SCHEME.equals(r.scheme()) || !payer.chainId().isEvm()) {
            throw new IllegalStateException("no chain connector for " + payer.chainId() + " to verify a voucher");
        }
        LocalVoucherVerifier.verify(r.contract(), settings.domainVersion(), channel, cumulative, signature, payer);
    }

    private Optional<Channel> chainChannel(ChannelId id) {
        // offers name their chain; a channel id does not, so ask every scheme of the chains we sell on
        for (ChainId chain : offerChains()) {
            ChainConnector c = chains.apply(chain).orElse(null);
            if (c == null) {
                continue;
            }
            for (SettlementScheme s : c.settlementSchemes()) {
                // at the connector's confirmation depth: a deposit is delivered against only once it is final
                Optional<Channel> ch = s.confirmedChannel(id);
                if (ch.isPresent()) {
                    return ch;
                }
            }
        }
        return Optional.empty();
    }

    private List<ChainId> offerChains() {
        return offers.values().stream().map(o -> o.price().asset().chain()).distinct().toList();
    }

    private SettlementScheme schemeFor(ChannelId channel, ChainId chain) {
        ChainConnector c = connector(chain);
        Optional<ChannelRecord> rec = store.channel(channel, SessionRole.PROVIDER)
                .or(() -> store.channel(channel, SessionRole.CONSUMER));
        if (rec.isPresent()) {
            for (SettlementScheme s : c.settlementSchemes()) {
                if (s.contract().equals(rec.get().contract()) && s.id().equals(rec.get().scheme())) {
                    return s;
                }
            }
        }
        return c.settlement();
    }

    private ChainConnector connector(ChainId chain) {
        return chains.apply(chain).orElseThrow(() -> new IllegalStateException("no chain connector for " + chain
                + " is available right now (sessions keep running; chain work waits until it is back)"));
    }

    // ------------------------------------------------------------------ consumer

    @Override
    public Offer fetchOffer(URI uri) {
        return verifiedOffer(uri).offer;
    }

    private record FetchedOffer(SignedMessage message, Offer offer) {
    }

    private FetchedOffer verifiedOffer(URI uri) {
        SignedMessage m;
        try {
            m = transport.fetchOffer(uri);
        } catch (UncheckedIOException e) {
            throw new ProtocolException(ErrorCode.MALFORMED, "provider " + uri + " is unreachable: " + e.getMessage(),
                    e);
        }
        if (m.body().type() != MessageType.OFFER) {
            throw new ProtocolException(ErrorCode.MALFORMED, "field type: expected OFFER, got " + m.body().type());
        }
        codec.verify(m, null);
        return new FetchedOffer(m, ((Body.OfferBody) m.body()).offer());
    }

    @Override
    public SessionSnapshot startPurchase(PurchaseRequest request) {
        FetchedOffer fetched = verifiedOffer(request.provider());
        Offer offer = fetched.offer;
        Price max = request.maxPrice();
        if (offer.price().unit() != max.unit() || !offer.price().asset().equals(max.asset())
                || !offer.price().isAtMost(max)) {
            throw new ProtocolException(ErrorCode.PRICE_ABOVE_CAP, "offer price " + offer.price()
                    + " is above the cap " + max);
        }
        peerTrust.checkOffer(offer); // before any money moves
        ChainId chain = offer.price().asset().chain();
        ChainConnector c = connector(chain);
        SettlementScheme scheme = c.settlementSchemes().stream()
                .filter(s -> s.contract().equals(offer.contract()) && s.id().equals(offer.scheme())).findFirst()
                .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, "the offer's settlement "
                        + offer.scheme() + " at " + offer.contract() + " is not configured on " + chain));
        AccountId payer = request.payer();
        Asset asset = offer.price().asset();
        Amount wantedDeposit = request.budget().max(offer.minimumDeposit());

        ChannelRecord channel = reusableChannel(scheme, payer, offer, request.budget()).orElse(null);
        String depositTx = null;
        if (channel == null) {
            Opened o = open(c, scheme, offer, payer, wantedDeposit);
            channel = o.record;
            depositTx = o.tx.hash();
        }
        // this node pays after delivery (own prepay window 0): the provider's credit window carries the gap, and
        // the final voucher is exactly what was metered (docs/protocol.md, "Rounding")
        // the scheme lets the session read the chain's claimed amount: with its own store, the only sources of the
        // channel base it trusts (never the provider's START alone)
        ConsumerSession.Context ctx = new ConsumerSession.Context(codec, MessageSigner.of(wallet, payer), clock, store,
                VoucherSigner.of(wallet), settings.domainVersion(), scheme);
        ConsumerSession.Terms terms = new ConsumerSession.Terms(payer, channel.id(),
                Amount.ofUnits(channel.deposit(), asset), request.budget(), max, Amount.zero(asset));
        ConsumerSession session = ConsumerSession.create(ctx, fetched.message, terms);
        Buyer b = new Buyer(session, offer.endpoint(), payer);
        buyers.put(session.id(), b);
        state.putPurchase(session.id().value(), new NodeState.Purchase(request.budget().units(),
                max.amount().units(), max.unit().symbol(), offer.endpoint()));
        synchronized (b) {
            SignedMessage open = session.open(depositTx);
            exchange(b, open);
            observe(session.snapshot());
            if (b.lastError != null && b.lastError.startsWith(ErrorCode.PEER_UNTRUSTED.name())
                    && session.state() == SessionState.NEGOTIATING) {
                // the provider does not trust this node's certificate: the session will never start
                buyers.remove(session.id());
                throw new ProtocolException(ErrorCode.PEER_UNTRUSTED, "the provider refused the session ("
                        + b.lastError.substring(ErrorCode.PEER_UNTRUSTED.name().length() + 2) + ")");
            }
        }
        return session.snapshot();
    }

    private record Opened(ChannelRecord record, TxHash tx) {
    }

    private Opened open(ChainConnector c, SettlementScheme scheme, Offer offer, AccountId payer, Amount deposit) {
        Asset asset = offer.price().asset();
        byte[] salt = newSalt();
        ChannelId id = scheme.channelId(payer, offer.payee(), asset, salt);
        TxHash tx = scheme.open(payer, offer.payee(), deposit, salt, null);
        TxReceipt receipt = c.awaitReceipt(tx, c.confirmations(), settings.txTimeout());
        if (!receipt.success()) {
            throw new ProtocolException(ErrorCode.INSUFFICIENT_DEPOSIT, "opening channel " + id + " reverted (" + tx
                    + ")");
        }
        ChannelRecord record = new ChannelRecord(id, SessionRole.CONSUMER, scheme.id(), scheme.contract(), payer,
                offer.payee(), asset, deposit.units(), ChannelState.OPEN, clock.instant());
        store.putChannel(record);
        LOG.info("Opened channel {} to {} with {} ({})", id, offer.payee(), deposit, tx);
        return new Opened(record, tx);
    }

    /**
     * Opens a channel to an offer's payee without starting a session (a later purchase reuses it).
     *
     * @return the stored channel
     */
    public ChannelRecord openChannel(Offer offer, AccountId payer, Amount deposit) {
        ChainConnector c = connector(offer.price().asset().chain());
        SettlementScheme scheme = c.settlementSchemes().stream()
                .filter(s -> s.contract().equals(offer.contract()) && s.id().equals(offer.scheme())).findFirst()
                .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, "the offer's settlement "
                        + offer.scheme() + " at " + offer.contract() + " is not configured"));
        return open(c, scheme, offer, payer, deposit).record;
    }

    private Optional<ChannelRecord> reusableChannel(SettlementScheme scheme, AccountId payer, Offer offer,
            Amount budget) {
        for (ChannelRecord r : store.channels()) {
            if (r.role() != SessionRole.CONSUMER || !r.payer().equals(payer) || !r.payee().equals(offer.payee())
                    || !r.asset().equals(offer.price().asset()) || !r.contract().equals(scheme.contract())
                    || r.state() != ChannelState.OPEN || busy(r.id())) {
                continue;
            }
            Optional<Channel> onChain = scheme.channel(r.id());
            if (onChain.isEmpty() || onChain.get().state() != ChannelState.OPEN) {
                continue;
            }
            Amount signed = store.latestVoucher(r.id(), SessionRole.CONSUMER)
                    .map(v -> Amount.ofUnits(v.cumulative(), r.asset())).orElse(Amount.zero(r.asset()));
            Amount left = onChain.get().deposit().minus(signed.min(onChain.get().deposit()));
            if (left.isGreaterThan(Amount.zero(r.asset())) && !left.isLessThan(budget)
                    && !onChain.get().deposit().isLessThan(offer.minimumDeposit())) {
                ChannelRecord fresh = r.with(onChain.get().deposit().units(), ChannelState.OPEN, clock.instant());
                store.putChannel(fresh);
                return Optional.of(fresh);
            }
        }
        return Optional.empty();
    }

    private boolean busy(ChannelId id) {
        return buyers.values().stream().anyMatch(b -> b.session.snapshot().channel().equals(id)
                && (b.session.state() == SessionState.RUNNING || b.session.state() == SessionState.PAUSED
                        || b.session.state() == SessionState.NEGOTIATING));
    }

    private byte[] newSalt() {
        // low 64 bits: the open deadline (docs/contracts.md, "Salt rule"); 64 random bits above it
        byte[] salt = new byte[32];
        byte[] r = new byte[8];
        random.nextBytes(r);
        System.arraycopy(r, 0, salt, 16, 8);
        long deadline = clock.instant().plus(settings.openWindow()).getEpochSecond();
        for (int i = 0; i < 8; i++) {
            salt[31 - i] = (byte) (deadline >>> (8 * i));
        }
        return salt;
    }

    /** Sends one consumer message and processes the replies (caller holds the buyer's lock). */
    private void exchange(Buyer b, SignedMessage out) {
        b.unacked.put(out.envelope().seq(), out);
        flush(b);
    }

    /**
     * Sends the unanswered messages oldest first and processes each answer; stops at the first that cannot be
     * delivered (it stays queued for the next poll) and rethrows that failure (caller holds the buyer's lock).
     */
    private void flush(Buyer b) {
        while (!b.unacked.isEmpty()) {
            SignedMessage m = b.unacked.firstEntry().getValue();
            List<SignedMessage> replies = transport.send(b.endpoint, m);
            b.unacked.remove(m.envelope().seq());
            receive(b, replies);
        }
    }

    /** Processes provider messages in sequence order; replies are sent at once (caller holds the buyer's lock). */
    private void receive(Buyer b, List<SignedMessage> incoming) {
        for (SignedMessage m : incoming) {
            if (m.body().type() == MessageType.ERROR) {
                try {
                    b.session.onMessage(m);
                    Body.Error error = (Body.Error) m.body();
                    if (error.code() == ErrorCode.REPLAYED && error.refSeq() > 0
                            && error.refSeq() <= b.session.ourSeq()) {
                        // a message sent again (after a restart or a failed POST) that the provider already had:
                        // it is delivered, nothing is wrong
                        LOG.debug("Provider already had message seq {} of session {}", error.refSeq(),
                                b.session.id());
                        continue;
                    }
                    b.lastError = error.code() + ": " + error.message();
                    LOG.warn("Provider refused a message of session {}: {}", b.session.id(), b.lastError);
                } catch (ProtocolException e) {
                    LOG.warn("Dropped an ERROR for session {}: {}", b.session.id(), e.getMessage());
                }
            } else if (m.envelope().seq() > b.session.peerSeq()) {
                b.pending.put(m.envelope().seq(), m);
            }
        }
        while (!b.pending.isEmpty()) {
            Map.Entry<Long, SignedMessage> first = b.pending.firstEntry();
            if (first.getKey() <= b.session.peerSeq()) {
                b.pending.pollFirstEntry();
                continue;
            }
            if (first.getKey() != b.session.peerSeq() + 1) {
                break; // a gap: the outbox poll fills it
            }
            b.pending.pollFirstEntry();
            List<SignedMessage> replies;
            try {
                replies = b.session.onMessage(first.getValue());
            } catch (ProtocolException e) {
                LOG.warn("Refused provider message {} of session {}: {}", first.getValue().body().type(),
                        b.session.id(), e.getMessage());
                continue;
            }
            for (SignedMessage r : replies) {
                exchange(b, r);
            }
        }
    }

    /**
     * Polls of a stopped session that still has something outstanding (a gap before the provider's final messages,
     * a message not answered, or a provider that cannot be reached), at most; then it gives up.
     */
    static final int MAX_POLLS_AFTER_STOP = 120;

    private void poll(Buyer b) {
        synchronized (b) {
            SessionState s = b.session.state();
            if (s == SessionState.FAILED || (s == SessionState.STOPPED && b.drained)) {
                return;
            }
            String failure = null;
            try {
                flush(b); // what the provider has not answered yet, in order
                receive(b, transport.poll(b.endpoint, b.session.id(), b.session.peerSeq()));
            } catch (UncheckedIOException | ProtocolException e) {
                failure = e.getMessage();
                LOG.debug("Polling session {} failed: {}", b.session.id(), failure);
            }
            if (b.session.state() == SessionState.STOPPED) {
                // the final receipt is taken and answered once a poll is answered and nothing is pending or
                // unanswered; a provider that cannot be reached counts against the same bound as a gap
                if (failure == null && b.pending.isEmpty() && b.unacked.isEmpty()) {
                    finish(b);
                } else if (++b.pollsAfterStop >= MAX_POLLS_AFTER_STOP) {
                    LOG.warn("Stopped session {}: gave up after {} polls waiting for the provider's final messages"
                            + " after seq {} ({} pending, {} unanswered{}); the session is not restored again",
                            b.session.id(), b.pollsAfterStop, b.session.peerSeq(), b.pending.size(), b.unacked.size(),
                            failure == null ? "" : "; last poll: " + failure);
                    finish(b);
                }
            }
            observe(b.session.snapshot());
        }
    }

    /** A stopped session is done: no more polls, and its purchase is forgotten so a restart does not restore it. */
    private void finish(Buyer b) {
        b.drained = true;
        try {
            state.removePurchase(b.session.id().value());
        } catch (UncheckedIOException e) {
            LOG.warn("Stopped session {} is drained but the node state could not be updated (it will be drained again"
                    + " after a restart): {}", b.session.id(), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ pay per request

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final Object paidLock = new Object();
    /** Last request sequence number sent per channel (guarded by paidLock); see {@link #nextRequestSeq}. */
    private final Map<ChannelId, Long> requestSeqs = new java.util.HashMap<>();
    private final Map<String, PayPerRequestGate> gates = new ConcurrentHashMap<>();

    /** Response header of a served paid request: the credit left on the channel, in base units. */
    public static final String CREDIT_HEADER = "X-IOTPAY-Credit";

    /**
     * Pay-per-request with the consumer's certificate header ({@code X-IOTPAY-Certificate}, may be null): with peer
     * trust on, a paid request is served only if that certificate is valid for the request's signer.
     */
    @Override
    public HttpReply paid(String offerId, String voucherHeader, String certificateHeader) {
        Offer offer = offers.get(offerId);
        ProviderNode p = provider;
        if (offer == null || p == null || offer.price().unit() != MeteringUnit.REQUEST) {
            return HttpReply.problem(404, "UNKNOWN_OFFER", "no resource is sold per request under " + offerId);
        }
        MeteredDevice device = devices.apply(offer.deviceId()).orElse(null);
        if (!(device instanceof PaidResource resource)) {
            return HttpReply.problem(503, "UNAVAILABLE", "resource " + offer.deviceId() + " is not available");
        }
        PayPerRequestGate gate = gates.computeIfAbsent(offerId, k -> new PayPerRequestGate(codec, clock, store,
                this::verifyVoucher, this::chainChannel, p.offer(offerId).orElseThrow()));
        PeerTrust trust = peerTrust;
        PayPerRequestGate.Decision d = gate.check(voucherHeader, m -> trust.admitRequest(m, certificateHeader));
        if (d instanceof PayPerRequestGate.PaymentRequired pr) {
            return HttpReply.json(402, codec.encode(pr.offer()));
        }
        if (d instanceof PayPerRequestGate.Refused r) {
            SignedMessage error = codec.sign(new io.iotpay.channel.internal.protocol.Envelope(MessageCodec.VERSION,
                    MessageType.ERROR, providerKey, null, 0, clock.instant()), new Body.Error(r.error().code(),
                    r.error().getMessage(), 0), MessageSigner.of(wallet, providerKey));
            return HttpReply.json(r.httpStatus(), io.iotpay.channel.internal.http.MessageLists.encode(codec,
                    List.of(p.offer(offerId).orElseThrow(), error)));
        }
        PayPerRequestGate.Serve serve = (PayPerRequestGate.Serve) d;
        byte[] body = resource.serve();
        return new HttpReply(200, resource.contentType(), body, Map.of(CREDIT_HEADER,
                serve.credit().units().toString()));
    }

    /** The answer to a paid request (consumer side), with the voucher header that was sent. */
    public record PaidResponse(int status, byte[] body, Amount cumulative, ChannelId channel, String header) {
    }

    /**
     * Consumer: GETs a resource sold per request; on 402 verifies the offer, opens or reuses a channel (deposit
     * {@code deposit}), signs and stores a voucher for one more request and retries with it.
     *
     * @throws ProtocolException PRICE_ABOVE_CAP, MALFORMED
     */
    public PaidResponse buyRequest(URI resource, AccountId payer, Amount deposit, Price maxPrice) {
        HttpReply first = transport.get(resource, Map.of());
        if (first.status() != 402) {
            return new PaidResponse(first.status(), first.body(), null, null, null);
        }
        SignedMessage om = codec.decode(first.body());
        if (om.body().type() != MessageType.OFFER) {
            throw new ProtocolException(ErrorCode.MALFORMED, "402 answer carries " + om.body().type());
        }
        codec.verify(om, null);
        Offer offer = ((Body.OfferBody) om.body()).offer();
        if (offer.price().unit() != MeteringUnit.REQUEST || maxPrice.unit() != MeteringUnit.REQUEST
                || !offer.price().asset().equals(maxPrice.asset()) || !offer.price().isAtMost(maxPrice)) {
            throw new ProtocolException(ErrorCode.PRICE_ABOVE_CAP, "offer price " + offer.price()
                    + " is above the cap " + maxPrice);
        }
        peerTrust.checkOffer(offer);
        Asset asset = offer.price().asset();
        Amount cost = offer.price().amount();
        ChainConnector c = connector(asset.chain());
        SettlementScheme scheme = c.settlementSchemes().stream()
                .filter(s -> s.contract().equals(offer.contract()) && s.id().equals(offer.scheme())).findFirst()
                .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, "the offer's settlement "
                        + offer.scheme() + " is not configured"));
        synchronized (paidLock) {
            ChannelRecord ch = reusableChannel(scheme, payer, offer, cost)
                    .orElseGet(() -> open(c, scheme, offer, payer, deposit.max(offer.minimumDeposit())).record);
            Amount latest = store.latestVoucher(ch.id(), SessionRole.CONSUMER)
                    .map(v -> Amount.ofUnits(v.cumulative(), asset)).orElse(Amount.zero(asset));
            Amount cumulative = latest.plus(cost);
            Voucher unsigned = Voucher.unsigned(ch.id(), offer.contract(), cumulative);
            io.iotpay.api.wallet.Signature sig = wallet.signVoucher(new PaymentIntent(payer, offer.payee(), cost,
                    cumulative, offer.price(), "request:" + offer.offerId(), ch.id()), unsigned,
                    VoucherDomain.iotpay(offer.contract(), settings.domainVersion()));
            // durable before it leaves this node
            store.commitVoucher(new StoredVoucher(ch.id(), SessionRole.CONSUMER, cumulative.units(), sig,
                    clock.instant()));
            SignedMessage vm = codec.sign(new io.iotpay.channel.internal.protocol.Envelope(MessageCodec.VERSION,
                    MessageType.VOUCHER, payer, SessionId.random(), nextRequestSeq(ch.id()), clock.instant()),
                    new Body.VoucherBody(ch.id(), cumulative.units(), sig, 0), MessageSigner.of(wallet, payer));
            String header = PayPerRequestGate.headerValue(codec, vm);
            Map<String, String> headers = new java.util.HashMap<>(peerTrust.requestHeaders());
            headers.put(PayPerRequestGate.HEADER, header);
            HttpReply paid = transport.get(resource, headers);
            return new PaidResponse(paid.status(), paid.body(), cumulative, ch.id(), header);
        }
    }

    /**
     * The next request sequence number on a channel (caller holds paidLock): the gate serves a header only once and
     * only with a seq above every one it served on the channel. It counts up per channel and starts from the clock's
     * milliseconds, so it stays above what was sent before a restart without storing it.
     */
    private long nextRequestSeq(ChannelId channel) {
        long next = Math.max(requestSeqs.getOrDefault(channel, 0L) + 1, clock.millis());
        requestSeqs.put(channel, next);
        return next;
    }

    // ------------------------------------------------------------------ both sides

    @Override
    public SessionSnapshot pause(SessionId id) {
        return local(id, b -> b.session.pause(), s -> List.of(s.pause()));
    }

    @Override
    public SessionSnapshot resume(SessionId id) {
        return local(id, b -> b.session.resume(), s -> List.of(s.resume()));
    }

    @Override
    public SessionSnapshot stop(SessionId id) {
        return local(id, b -> b.session.stop(), ProviderSession::stop);
    }

    private SessionSnapshot local(SessionId id, Function<Buyer, SignedMessage> consumerOp,
            Function<ProviderSession, List<SignedMessage>> providerOp) {
        Buyer b = buyers.get(id);
        if (b != null) {
            synchronized (b) {
                SignedMessage m = consumerOp.apply(b);
                try {
                    exchange(b, m);
                } catch (UncheckedIOException e) {
                    LOG.warn("Could not tell the provider about {} of session {} yet (sent again on the next poll): {}",
                            m.body().type(), id, e.getMessage());
                }
                SessionSnapshot snap = b.session.snapshot();
                observe(snap);
                return snap;
            }
        }
        ProviderNode p = provider;
        if (p != null && p.session(id).isPresent()) {
            await(p.local(id, providerOp));
            SessionSnapshot snap = p.session(id).get().snapshot();
            observe(snap);
            return snap;
        }
        throw new ProtocolException(ErrorCode.UNKNOWN_SESSION, "no running session " + id);
    }

    @Override
    public Optional<SessionSnapshot> session(SessionId id) {
        Buyer b = buyers.get(id);
        if (b != null) {
            return Optional.of(b.session.snapshot());
        }
        ProviderNode p = provider;
        if (p != null) {
            Optional<ProviderSession> s = p.session(id);
            if (s.isPresent()) {
                return Optional.of(s.get().snapshot());
            }
        }
        return store.session(id, SessionRole.CONSUMER).or(() -> store.session(id, SessionRole.PROVIDER))
                .flatMap(this::fromRecord);
    }

    @Override
    public List<SessionSnapshot> sessions() {
        Map<SessionId, SessionSnapshot> out = new LinkedHashMap<>();
        for (SessionRecord r : store.sessions()) {
            fromRecord(r).ifPresent(s -> out.put(s.id(), s));
        }
        ProviderNode p = provider;
        if (p != null) {
            p.snapshots().forEach(s -> out.put(s.id(), s));
        }
        buyers.values().forEach(b -> out.put(b.session.id(), b.session.snapshot()));
        return List.copyOf(out.values());
    }

    /** A stored session that is not live in this run (before a restart): shown as stored. */
    private Optional<SessionSnapshot> fromRecord(SessionRecord r) {
        try {
            SignedMessage m = codec.decode(r.offerJson().getBytes(StandardCharsets.UTF_8));
            Offer offer = ((Body.OfferBody) m.body()).offer();
            Asset asset = offer.price().asset();
            Amount latest = store.latestVoucher(r.channel(), r.role()).map(v -> Amount.ofUnits(v.cumulative(), asset))
                    .orElse(Amount.zero(asset));
            Amount base = Amount.ofUnits(r.base(), asset);
            Amount paid = latest.isGreaterThan(base) ? latest.minus(base) : Amount.zero(asset);
            return Optional.of(new SessionSnapshot(r.id(), r.role(), r.state(), offer, r.channel(), r.delivered(),
                    Credit.owed(offer.price(), r.delivered()), paid, r.updatedAt(), "stored"));
        } catch (RuntimeException e) {
            LOG.debug("Stored session {} cannot be shown: {}", r.id(), e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public List<Channel> channels() {
        List<Channel> out = new ArrayList<>();
        for (ChannelRecord r : store.channels()) {
            Optional<Channel> onChain = Optional.empty();
            try {
                onChain = chains.apply(r.asset().chain()).flatMap(c -> schemeOn(c, r)).flatMap(s -> s.channel(r.id()));
            } catch (RuntimeException e) {
                LOG.debug("Channel {} not readable on chain: {}", r.id(), e.getMessage());
            }
            out.add(onChain.orElseGet(() -> new Channel(r.id(), r.scheme(), r.contract(), r.payer(), r.payee(),
                    r.asset(), Amount.ofUnits(r.deposit(), r.asset()), Amount.zero(r.asset()), r.state(), null)));
        }
        return out;
    }

    /** This node's role on a channel (provider first). */
    public Optional<ChannelRecord> channelRecord(ChannelId id) {
        return store.channel(id, SessionRole.PROVIDER).or(() -> store.channel(id, SessionRole.CONSUMER));
    }

    /** The latest voucher this node holds (provider) or signed (consumer) for a channel. */
    public Optional<StoredVoucher> latestVoucher(ChannelId id, SessionRole role) {
        return store.latestVoucher(id, role);
    }

    private static Optional<SettlementScheme> schemeOn(ChainConnector c, ChannelRecord r) {
        return c.settlementSchemes().stream()
                .filter(s -> s.contract().equals(r.contract()) && s.id().equals(r.scheme())).findFirst();
    }

    @Override
    public TxHash closeChannel(ChannelId id) {
        Optional<ChannelRecord> asProvider = store.channel(id, SessionRole.PROVIDER);
        if (asProvider.isPresent()) {
            ChannelRecord r = asProvider.get();
            StoredVoucher v = store.latestVoucher(id, SessionRole.PROVIDER).orElseThrow(() -> new ProtocolException(
                    ErrorCode.INVALID_STATE, "no voucher to claim on channel " + id));
            SettlementScheme s = schemeOn(connector(r.asset().chain()), r).orElseThrow();
            TxHash tx = s.claim(r.payee(), new Voucher(id, r.contract(), Amount.ofUnits(v.cumulative(), r.asset()),
                    v.signature()));
            mined(r.asset().chain(), tx);
            return tx;
        }
        ChannelRecord r = store.channel(id, SessionRole.CONSUMER).orElseThrow(() -> new ProtocolException(
                ErrorCode.UNKNOWN_CHANNEL, "no channel " + id));
        SettlementScheme s = schemeOn(connector(r.asset().chain()), r).orElseThrow();
        TxHash tx = s.startClose(r.payer(), id);
        mined(r.asset().chain(), tx);
        store.putChannel(r.with(r.deposit(), ChannelState.CLOSING, clock.instant()));
        return tx;
    }

    private void mined(ChainId chain, TxHash tx) {
        ChainConnector cc = connector(chain);
        TxReceipt receipt = cc.awaitReceipt(tx, cc.confirmations(), settings.txTimeout());
        if (!receipt.success()) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "transaction " + tx + " reverted");
        }
    }

    /**
     * Provider: claims every channel whose latest voucher is above what the chain shows as claimed, one batch per
     * scheme and payee. Channels of a chain without a connector wait.
     *
     * @return the claim transactions (mined)
     */
    public synchronized List<TxHash> settle() {
        List<TxHash> out = new ArrayList<>();
        Map<String, SettlementScheme> schemes = new LinkedHashMap<>();
        for (ChannelRecord r : store.channels()) {
            if (r.role() == SessionRole.PROVIDER) {
                chains.apply(r.asset().chain()).flatMap(c -> schemeOn(c, r))
                        .ifPresent(s -> schemes.putIfAbsent(r.asset().chain() + "|" + s.contract(), s));
            }
        }
        for (SettlementScheme s : schemes.values()) {
            // age zero: anything unclaimed is due now (the engine decides when to settle)
            for (TxHash tx : new SettlementWatcher(store, s, clock, null, Duration.ZERO).runOnce()) {
                mined(s.contract().chainId(), tx);
                LOG.info("Claimed on {} ({})", s.contract(), tx);
                out.add(tx);
            }
        }
        return out;
    }

    private void settleSafely() {
        try {
            settle();
        } catch (RuntimeException e) {
            LOG.warn("Settlement failed, will retry: {}", e.getMessage());
        }
    }

    /**
     * Consumer sessions that were not finished when the node stopped: rebuilt from the store, last message re-sent.
     * That includes a STOPPED session whose purchase is still in the node state: the node was stopped (or killed)
     * after it stored its STOP but before the session was drained (its STOP maybe never sent, or the provider's final
     * receipt not taken or not paid yet). Such a session re-sends its last message (the STOP, or the voucher that
     * answered the final receipt; the provider answers REPLAYED if it had it) and is drained like a live stopped
     * session, then forgotten. A drained session's purchase is removed, so it is not restored again.
     */
    private void restoreBuyers() {
        Map<String, NodeState.Purchase> purchases = state.purchases();
        for (SessionRecord r : store.sessions()) {
            NodeState.Purchase p = purchases.get(r.id().value());
            if (r.role() != SessionRole.CONSUMER || p == null || r.state() == SessionState.FAILED) {
                continue;
            }
            try {
                ChannelRecord ch = store.channel(r.channel(), SessionRole.CONSUMER).orElseThrow();
                Price cap = Price.of(Amount.ofUnits(p.maxPriceUnits(), ch.asset()), MeteringUnit.ofSymbol(p.unit()));
                ConsumerSession.Context ctx = new ConsumerSession.Context(codec, MessageSigner.of(wallet, ch.payer()),
                        clock, store, VoucherSigner.of(wallet), settings.domainVersion());
                ConsumerSession s = ConsumerSession.restore(ctx, r, new ConsumerSession.Terms(ch.payer(), ch.id(),
                        Amount.ofUnits(ch.deposit(), ch.asset()), Amount.ofUnits(p.budget(), ch.asset()), cap,
                        Amount.zero(ch.asset())));
                Buyer b = new Buyer(s, p.endpoint(), ch.payer());
                s.lastSent().ifPresent(m -> b.unacked.put(m.envelope().seq(), m)); // REPLAYED if it had it
                buyers.put(s.id(), b);
                seen.put(seenKey(s.snapshot()), s.snapshot());
                if (s.state() == SessionState.STOPPED) {
                    LOG.info("Restored consumer session {} ({}: re-sending its last message, seq {}, and draining the"
                            + " provider's final messages)", s.id(), s.state(), s.ourSeq());
                } else {
                    LOG.info("Restored consumer session {} ({})", s.id(), s.state());
                }
            } catch (RuntimeException e) {
                LOG.warn("Consumer session {} cannot be restored: {}", r.id(), e.getMessage());
            }
        }
    }

    /** Republishes stored offers whose device is registered, then restores the provider sessions under them. */
    private void republish() {
        boolean any = false;
        for (SignedMessage m : pendingOffers) {
            Offer o = ((Body.OfferBody) m.body()).offer();
            Optional<MeteredDevice> d = devices.apply(o.deviceId());
            if (d.isEmpty()) {
                continue;
            }
            try {
                provider(o.price().asset().chain()).publish(o, d.get());
                offers.put(o.offerId(), o);
                pendingOffers.remove(m);
                any = true;
            } catch (RuntimeException e) {
                LOG.debug("Offer {} not republished yet: {}", o.offerId(), e.getMessage());
            }
        }
        if (any) {
            List<SessionId> restored = provider.recover();
            restored.forEach(id -> provider.session(id).ifPresent(s -> seen.put(seenKey(s.snapshot()), s.snapshot())));
            LOG.info("Republished stored offers; restored provider sessions {}", restored);
        }
    }

    /** One provider meter tick and one consumer poll round (also run by the scheduler). */
    public void tick() {
        if (!pendingOffers.isEmpty()) {
            republish();
        }
        ProviderNode p = provider;
        if (p != null) {
            await(p.tickAll());
            p.snapshots().forEach(this::observe);
        }
        for (Buyer b : buyers.values()) {
            poll(b);
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("Channel engine tick failed: {}", e.toString());
        }
    }

    private static String seenKey(SessionSnapshot s) {
        return s.role().name() + "/" + s.id().value();
    }

    private void observe(SessionSnapshot now) {
        SessionSnapshot before = seen.put(seenKey(now), now);
        List<SessionEvent.Type> types = SessionEvents.diff(before, now);
        if (now.role() == SessionRole.PROVIDER && now.state() == SessionState.STOPPED && !types.isEmpty()) {
            // a stopped session's final voucher arrives after the STOP: claim when the stop and when it lands
            workers.execute(this::settleSafely);
        }
        for (SessionEvent.Type t : types) {
            try {
                events.accept(new SessionEvent(now.id(), t, now));
            } catch (RuntimeException e) {
                LOG.warn("A session listener failed: {}", e.toString());
            }
        }
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(settings.txTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("channel engine operation timed out", e);
        }
    }

    /** The message-signing account of the provider side, once an offer was published. */
    public Optional<AccountId> providerKey() {
        return Optional.ofNullable(providerKey);
    }

    /** Delivered quantity and paid amount as seen by either side (for tests and the shell). */
    public BigInteger delivered(SessionId id) {
        return session(id).map(SessionSnapshot::deliveredQuantity).orElse(BigInteger.ZERO);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }
}
