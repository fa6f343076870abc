package io.iotpay.channel.internal.osgi;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.chain.ChainConnector;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelEngine;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.PurchaseRequest;
import io.iotpay.api.channel.SessionEvent;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionListener;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.device.MeteredDevice;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Price;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.channel.internal.http.HttpPeerClient;
import io.iotpay.channel.internal.http.PeerGateway;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.store.ChannelStore;
import io.iotpay.channel.internal.store.JdbcChannelStore;

/**
 * The {@link ChannelEngine} service (PID {@code io.iotpay.channel}). Chain connectors (keyed by
 * {@value ChainConnector#CHAIN_PROPERTY}), metered devices (keyed by device id) and session listeners are bound
 * dynamically: a connector that goes away and comes back leaves every session as it was; only chain work waits.
 */
@Designate(ocd = ChannelEngineConfig.class)
@Component(service = { ChannelEngine.class, PeerGateway.class, ChannelEngineComponent.class },
        configurationPid = "io.iotpay.channel", immediate = true)
public final class ChannelEngineComponent implements ChannelEngine, PeerGateway {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelEngineComponent.class);

    private final Map<ChainId, ChainConnector> connectors = new ConcurrentHashMap<>();
    private final Map<String, MeteredDevice> devices = new ConcurrentHashMap<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final ChannelStore store;
    private final ChannelNode node;
    private final boolean endpointConfigured;
    private final PeerTrust peerTrust;
    private final Optional<URI> tlsEndpoint;
    private volatile io.iotpay.api.identity.DeviceIdentity identity;

    @Activate
    public ChannelEngineComponent(@Reference Wallet wallet, ChannelEngineConfig config, BundleContext context) {
        PeerTlsComponent.requireTlsSettings(config);
        this.store = openStore(config);
        String port = context == null ? null : context.getProperty("org.osgi.service.http.port");
        String tlsHost = config.peerTlsHost().isBlank() || "0.0.0.0".equals(config.peerTlsHost().trim())
                ? "127.0.0.1" : config.peerTlsHost().trim();
        URI endpoint = URI.create(!config.endpoint().isBlank() ? config.endpoint().trim()
                : config.peerTlsPort() > 0 ? "https://" + tlsHost + ":" + config.peerTlsPort() + "/iotpay/peer"
                : "http://127.0.0.1:" + (port == null ? "8181" : port.trim()) + "/iotpay/peer");
        this.endpointConfigured = !config.endpoint().isBlank() || config.peerTlsPort() > 0;
        this.tlsEndpoint = config.peerTlsPort() > 0 ? Optional.of(endpoint) : Optional.empty();
        MessageCodec codec = new MessageCodec();
        long tick = Math.max(10, config.tickMs());
        ChannelNode.Settings settings = new ChannelNode.Settings(Duration.ofMillis(tick),
                Duration.ofMillis(tick * Math.max(1, config.clockSpeed())),
                Duration.ofSeconds(Math.max(30, config.openWindowSeconds())),
                Duration.ofSeconds(Math.max(1, config.txTimeoutSeconds())), config.providerAccount(), endpoint,
                Duration.ofSeconds(Math.max(1, config.offerValiditySeconds())),
                Duration.ofSeconds(Math.max(0, config.settleIntervalSeconds())), "1", stateFile(config));
        PeerTrust.Mode trustMode = PeerTrust.Mode.parse(config.peerTrust());
        this.peerTrust = trustMode == PeerTrust.Mode.OFF ? PeerTrust.OFF
                : new PeerTrust(trustMode, config.certificateDevice(), () -> Optional.ofNullable(identity),
                        Duration.ofSeconds(Math.max(0, config.peerRecheckSeconds())), java.time.Clock.systemUTC());
        this.node = new ChannelNode(wallet, chain -> Optional.ofNullable(connectors.get(chain)), store,
                id -> Optional.ofNullable(devices.get(id)), this::fire,
                new HttpPeerClient(codec, Duration.ofSeconds(15), peerTrust::requestHeaders,
                        peerTrust.enabled() ? new TlsContextCache(peerTrust::ownChainPem,
                                () -> requireIdentity().tlsContext(config.certificateDevice().trim()))::current
                                : Optional::empty),
                settings);
        node.peerTrust(peerTrust);
        node.voucherEnvelopeCheck(config.voucherEnvelopeCheck());
        if (peerTrust.enabled()) {
            LOG.info("Peer trust by certificate: presenting device {}'s certificate", config.certificateDevice());
        }
        LOG.info("IOTPAY channel engine started; peer endpoint {}", endpoint);
        runtimes.forEach(this::httpRuntime);
    }

    private final List<org.osgi.framework.ServiceReference<?>> runtimes = new CopyOnWriteArrayList<>();

    /** Without a configured endpoint, offers name the HTTP runtime's own address (osgi.http.endpoint). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            service = org.osgi.service.http.runtime.HttpServiceRuntime.class, updated = "updatedHttpRuntime")
    void bindHttpRuntime(org.osgi.framework.ServiceReference<?> runtime) {
        runtimes.add(runtime);
        httpRuntime(runtime);
    }

    void updatedHttpRuntime(org.osgi.framework.ServiceReference<?> runtime) {
        httpRuntime(runtime);
    }

    void unbindHttpRuntime(org.osgi.framework.ServiceReference<?> runtime) {
        runtimes.remove(runtime);
    }

    private void httpRuntime(org.osgi.framework.ServiceReference<?> runtime) {
        if (endpointConfigured || node == null) {
            return;
        }
        Object p = runtime.getProperty("osgi.http.endpoint");
        String first = p instanceof String s ? s : p instanceof String[] a && a.length > 0 ? a[0]
                : p instanceof java.util.Collection<?> c && !c.isEmpty() ? String.valueOf(c.iterator().next()) : null;
        if (first != null && first.contains("://")) {
            String base = first.endsWith("/") ? first.substring(0, first.length() - 1) : first;
            node.endpoint(URI.create(base + "/iotpay/peer"));
            LOG.info("Peer endpoint {}", node.endpoint());
        }
    }

    static Path stateFile(ChannelEngineConfig config) {
        return Paths.get(System.getProperty("karaf.data", "data"), "iotpay", "channel", "node.json");
    }

    static ChannelStore openStore(ChannelEngineConfig config) {
        String url = config.jdbcUrl().trim();
        if (url.isEmpty()) {
            Path dir = Paths.get(System.getProperty("karaf.data", "data"), "iotpay", "channel");
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
            }
            return JdbcChannelStore.sqlite(dir.resolve("channels.db"));
        }
        if (url.startsWith("jdbc:sqlite:")) {
            return JdbcChannelStore.sqlite(Paths.get(url.substring("jdbc:sqlite:".length())));
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return JdbcChannelStore.postgres(url, config.user(), config.password().isEmpty() ? null
                    : config.password());
        }
        throw new IllegalArgumentException("jdbcUrl must be empty, jdbc:sqlite:<file> or jdbc:postgresql:...");
    }

    @Deactivate
    void deactivate() {
        node.close();
        store.close();
    }

    // ------------------------------------------------------------------ dynamic references

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindChainConnector(ChainConnector connector, Map<String, Object> props) {
        chainOf(props).ifPresent(chain -> {
            connectors.put(chain, connector);
            LOG.info("Chain connector for {} bound", chain);
        });
    }

    void unbindChainConnector(ChainConnector connector, Map<String, Object> props) {
        chainOf(props).ifPresent(chain -> {
            if (connectors.remove(chain, connector)) {
                LOG.info("Chain connector for {} gone; sessions continue, settlement waits", chain);
            }
        });
    }

    private static Optional<ChainId> chainOf(Map<String, Object> props) {
        Object v = props.get(ChainConnector.CHAIN_PROPERTY);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ChainId.parse(v.toString()));
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring a chain connector with property {}={}: {}", ChainConnector.CHAIN_PROPERTY, v,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** The device PKI, optional: only peerTrust=certificate needs it (and then fails closed without it). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    void bindDeviceIdentity(io.iotpay.api.identity.DeviceIdentity identity) {
        this.identity = identity;
    }

    private io.iotpay.api.identity.DeviceIdentity requireIdentity() {
        io.iotpay.api.identity.DeviceIdentity id = identity;
        if (id == null) {
            throw new IllegalStateException("no device PKI (DeviceIdentity) is bound");
        }
        return id;
    }

    void unbindDeviceIdentity(io.iotpay.api.identity.DeviceIdentity identity) {
        if (this.identity == identity) {
            this.identity = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindMeteredDevice(MeteredDevice device) {
        devices.put(device.deviceId(), device);
    }

    void unbindMeteredDevice(MeteredDevice device) {
        devices.remove(device.deviceId(), device);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSessionListener(SessionListener listener) {
        listeners.add(listener);
    }

    void unbindSessionListener(SessionListener listener) {
        listeners.remove(listener);
    }

    private void fire(SessionEvent e) {
        for (SessionListener l : listeners) {
            try {
                l.onSessionEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("Session listener {} failed: {}", l, ex.toString());
            }
        }
    }

    // ------------------------------------------------------------------ delegation

    /** The engine without OSGi (shell commands use its extras). */
    public ChannelNode node() {
        return node;
    }

    /** The native asset of a chain (from its connector; the devnet's ETH without one). */
    public io.iotpay.api.money.Asset nativeAsset(ChainId chain) {
        ChainConnector c = connectors.get(chain);
        if (c != null) {
            return c.nativeAsset();
        }
        if (chain.equals(ChainId.DEVNET)) {
            return io.iotpay.api.money.Asset.DEVNET_ETH;
        }
        throw new IllegalStateException("no chain connector for " + chain);
    }

    /** Device ids currently registered. */
    public List<String> deviceIds() {
        return devices.keySet().stream().sorted().toList();
    }

    /** Chains with a bound connector. */
    public List<ChainId> chains() {
        return connectors.keySet().stream().map(ChainId::toString).sorted().map(ChainId::parse).toList();
    }

    @Override
    public Offer publishOffer(String deviceId, Price price, Amount creditWindow, Amount minimumDeposit) {
        return node.publishOffer(deviceId, price, creditWindow, minimumDeposit);
    }

    @Override
    public List<Offer> offers() {
        return node.offers();
    }

    @Override
    public Offer fetchOffer(URI provider) {
        return node.fetchOffer(provider);
    }

    @Override
    public SessionSnapshot startPurchase(PurchaseRequest request) {
        return node.startPurchase(request);
    }

    @Override
    public SessionSnapshot pause(SessionId id) {
        return node.pause(id);
    }

    @Override
    public SessionSnapshot resume(SessionId id) {
        return node.resume(id);
    }

    @Override
    public SessionSnapshot stop(SessionId id) {
        return node.stop(id);
    }

    @Override
    public Optional<SessionSnapshot> session(SessionId id) {
        return node.session(id);
    }

    @Override
    public List<SessionSnapshot> sessions() {
        return node.sessions();
    }

    @Override
    public List<Channel> channels() {
        return node.channels();
    }

    @Override
    public TxHash closeChannel(ChannelId id) {
        return node.closeChannel(id);
    }

    @Override
    public Optional<URI> tlsEndpoint() {
        return tlsEndpoint;
    }

    @Override
    public MessageCodec codec() {
        return node.codec();
    }

    @Override
    public Optional<SignedMessage> signedOffer(String offerId) {
        return node.signedOffer(offerId);
    }

    @Override
    public List<SignedMessage> signedOffers() {
        return node.signedOffers();
    }

    @Override
    public List<SignedMessage> handle(byte[] json) {
        return node.handle(json);
    }

    @Override
    public List<SignedMessage> handle(byte[] json, String certificateHeader) {
        return node.handle(json, certificateHeader);
    }

    @Override
    public io.iotpay.channel.internal.http.HttpReply paid(String offerId, String voucherHeader,
            String certificateHeader) {
        return node.paid(offerId, voucherHeader, certificateHeader);
    }

    @Override
    public List<SignedMessage> outbox(SessionId session, long after) {
        return node.outbox(session, after);
    }

    @Override
    public List<SignedMessage> outbox(SessionId session, long after, String tlsCertificateChain) {
        return node.outbox(session, after, tlsCertificateChain);
    }
}
