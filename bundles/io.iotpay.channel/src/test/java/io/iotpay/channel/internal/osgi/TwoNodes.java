package io.iotpay.channel.internal.osgi;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainConnector;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.SessionEvent;
import io.iotpay.api.device.MeteredDevice;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.chain.evm.internal.EvmConnectorConfig;
import io.iotpay.chain.evm.internal.EvmConnectorCore;
import io.iotpay.chain.evm.internal.EvmSettings;
import io.iotpay.chain.evm.internal.scheme.IotpaySettlementScheme;
import io.iotpay.channel.internal.http.HttpPeerClient;
import io.iotpay.channel.internal.http.HttpReply;
import io.iotpay.channel.internal.http.PeerRoutes;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.sim.PowerProfile;
import io.iotpay.channel.internal.sim.SimulatedPlug;
import io.iotpay.channel.internal.store.JdbcChannelStore;
import io.iotpay.channel.internal.testing.MutableClock;
import io.iotpay.channel.internal.testing.TestKey;
import io.iotpay.devnet.internal.AnvilProcess;
import io.iotpay.devnet.internal.DevnetDeployer;
import io.iotpay.devnet.internal.SimpleRpc;

/**
 * Two IOTPAY nodes in one JVM, as two runtimes would be: a real anvil with the IOTPAY contracts, one real EVM
 * connector per node (each signing through its own wallet), one SQLite store per node, and the provider's peer
 * routes served over real loopback HTTP by the JDK's server; the consumer talks to it with the real HTTP client.
 * The provider sells a simulated plug driven by a test clock; meter ticks and consumer polls are driven by the test
 * (the nodes' own schedulers are set to an hour).
 */
final class TwoNodes implements AutoCloseable {

    static final ChainId CHAIN = ChainId.DEVNET;

    final AnvilProcess anvil;
    final DevnetDeployer deployer;
    final DevnetDeployer.Deployment deployment;
    final TestWallet providerWallet = new TestWallet();
    final TestWallet consumerWallet = new TestWallet();
    final AccountId payee;
    final AccountId payer;
    final EvmConnectorCore providerChain;
    final EvmConnectorCore consumerChain;
    final MutableClock plugClock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final SimulatedPlug plug;
    final StaticPaidResource forecast = new StaticPaidResource("forecast", "application/json",
            "{\"forecast\":\"sunny\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), java.time.Clock.systemUTC());
    final HttpServer server;
    final ExecutorService serverThreads = Executors.newFixedThreadPool(4);
    final URI endpoint;
    volatile ChannelNode provider;
    JdbcChannelStore providerStore;
    final Path dir;
    final Duration meterInterval;
    volatile ChannelNode consumer;
    JdbcChannelStore consumerStore;
    final List<SessionEvent> providerEvents = new CopyOnWriteArrayList<>();
    final List<SessionEvent> consumerEvents = new CopyOnWriteArrayList<>();
    volatile boolean providerChainUp = true;
    /** While true the provider's peer endpoint answers 503, as a provider that is down or restarting. */
    volatile boolean providerDown;
    /** Requests that reached the provider's peer endpoint (answered or not). */
    final java.util.concurrent.atomic.AtomicInteger consumerRequests = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * While true the provider handles each POSTed message but its answer is lost (the consumer sees 503), as a
     * consumer that dies after sending a message and before reading the reply.
     */
    volatile boolean answersLost;
    /** Outbox polls the provider's peer endpoint answered. */
    final java.util.concurrent.atomic.AtomicInteger consumerPolls = new java.util.concurrent.atomic.AtomicInteger();
    /** The consumer's peer trust: the certificate header its HTTP client sends (off unless a test sets it). */
    volatile PeerTrust consumerTrust = PeerTrust.OFF;

    TwoNodes(Path dir, long plugWatts, Duration meterInterval) throws IOException {
        this.dir = dir;
        this.meterInterval = meterInterval;
        anvil = AnvilProcess.start();
        try {
            deployer = new DevnetDeployer(new SimpleRpc(anvil.rpcUri()));
            deployment = deployer.deployAll(3600);
            payee = providerWallet.add("payee", TestKey.random(CHAIN));
            payer = consumerWallet.add("payer", TestKey.random(CHAIN));
            BigInteger tenEth = BigInteger.TEN.pow(19);
            deployer.setBalance(payee.address(), tenEth);
            deployer.setBalance(payer.address(), tenEth);
            providerChain = connector(providerWallet);
            consumerChain = connector(consumerWallet);
            plug = new SimulatedPlug("plug-1", MeteringUnit.KILOWATT_HOUR, PowerProfile.constant(plugWatts * 1000),
                    plugClock);

            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/iotpay/peer");
            MessageCodec codec = new MessageCodec();
            provider = newProvider();
            consumer = newConsumer();
            server.createContext("/iotpay/peer", ex -> {
                try (ex) {
                    consumerRequests.incrementAndGet();
                    if (providerDown) {
                        ex.sendResponseHeaders(503, -1);
                        return;
                    }
                    String path = ex.getRequestURI().getPath().substring("/iotpay/peer".length());
                    if (path.startsWith("/outbox/")) {
                        consumerPolls.incrementAndGet();
                    }
                    HttpReply r = new PeerRoutes(provider).handle(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(),
                            ex.getRequestBody().readAllBytes(), ex.getRequestHeaders().getFirst(PeerTrust.HEADER));
                    if (answersLost && "POST".equals(ex.getRequestMethod())) {
                        ex.sendResponseHeaders(503, -1);
                        return;
                    }
                    ex.getResponseHeaders().set("Content-Type", r.contentType());
                    for (Map.Entry<String, String> h : r.headers().entrySet()) {
                        ex.getResponseHeaders().set(h.getKey(), h.getValue());
                    }
                    ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(r.body());
                    }
                }
            });
            server.createContext("/iotpay/paid", ex -> {
                try (ex) {
                    HttpReply r = io.iotpay.channel.internal.http.PaidServlet.route(provider,
                            ex.getRequestURI().getPath().substring("/iotpay/paid".length()),
                            ex.getRequestHeaders().getFirst("X-IOTPAY-Voucher"),
                            ex.getRequestHeaders().getFirst(PeerTrust.HEADER));
                    ex.getResponseHeaders().set("Content-Type", r.contentType());
                    for (Map.Entry<String, String> h : r.headers().entrySet()) {
                        ex.getResponseHeaders().set(h.getKey(), h.getValue());
                    }
                    ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(r.body());
                    }
                }
            });
            server.setExecutor(serverThreads);
            server.start();
        } catch (RuntimeException | IOException e) {
            anvil.close();
            throw e;
        }
    }

    private ChannelNode newProvider() {
        providerStore = JdbcChannelStore.sqlite(dir.resolve("provider.db"));
        return new ChannelNode(providerWallet, chain -> providerChainUp && chain.equals(CHAIN)
                ? Optional.<ChainConnector>of(providerChain) : Optional.empty(), providerStore,
                id -> id.equals(plug.deviceId()) ? Optional.<MeteredDevice>of(plug)
                        : id.equals(forecast.deviceId()) ? Optional.<MeteredDevice>of(forecast) : Optional.empty(),
                providerEvents::add, new HttpPeerClient(new MessageCodec(), Duration.ofSeconds(10)),
                settings(payee.address(), endpoint, meterInterval, dir.resolve("provider.json")));
    }

    private ChannelNode newConsumer() {
        consumerStore = JdbcChannelStore.sqlite(dir.resolve("consumer.db"));
        return new ChannelNode(consumerWallet, chain -> chain.equals(CHAIN)
                ? Optional.<ChainConnector>of(consumerChain) : Optional.empty(), consumerStore, id -> Optional.empty(),
                consumerEvents::add, new HttpPeerClient(new MessageCodec(), Duration.ofSeconds(10),
                        () -> consumerTrust.requestHeaders()),
                settings("", URI.create("http://127.0.0.1:1/iotpay/peer"), meterInterval,
                        dir.resolve("consumer.json")));
    }

    /** The consumer node goes away without any goodbye and a new one starts. */
    void restartConsumer() {
        consumer.close();
        consumerStore.close();
        consumer = newConsumer();
    }

    /** The provider node goes away without any goodbye (as a killed process would) and a new one starts. */
    void restartProvider() {
        provider.close();
        providerStore.close();
        provider = newProvider();
    }

    private static ChannelNode.Settings settings(String providerAccount, URI endpoint, Duration meterInterval,
            Path stateFile) {
        return new ChannelNode.Settings(Duration.ofHours(1), meterInterval, Duration.ofMinutes(10),
                Duration.ofSeconds(60), providerAccount, endpoint, Duration.ofHours(1), Duration.ZERO, "1", stateFile);
    }

    private EvmConnectorCore connector(TestWallet wallet) {
        EvmConnectorCore c = new EvmConnectorCore(EvmSettings.from(config(anvil.rpcUri().toString(), deployment)),
                (from, tx, hash) -> wallet.signTransactionHash(from, hash).bytes());
        c.verifyChain();
        return c;
    }

    IotpaySettlementScheme scheme() {
        return (IotpaySettlementScheme) providerChain.settlement();
    }

    /** One meter interval: the plug's clock advances, the provider meters and the consumer polls and pays. */
    void step(Duration d) {
        plugClock.advance(d);
        provider.tick();
        consumer.tick();
    }

    static EvmConnectorConfig config(String url, DevnetDeployer.Deployment d) {
        return new EvmConnectorConfig() {
            @Override public Class<? extends Annotation> annotationType() { return EvmConnectorConfig.class; }
            @Override public String network() { return "devnet"; }
            @Override public String rpcUrl() { return url; }
            @Override public long chainId() { return 31337; }
            @Override public int confirmations() { return 1; }
            @Override public long gasCap() { return 3_000_000; }
            @Override public int gasMarginPercent() { return 20; }
            @Override public String txType() { return "auto"; }
            @Override public long minTipWei() { return -1; }
            @Override public String nativeSymbol() { return ""; }
            @Override public String channelsContract() { return d.channels(); }
            @Override public String registryContract() { return d.registry(); }
            @Override public String notaryContract() { return d.notary(); }
            @Override public String anchorAccount() { return ""; }
            @Override public long logsFromBlock() { return 0; }
            @Override public long pollIntervalMs() { return 50; }
            @Override public int rpcMaxAttempts() { return 3; }
        };
    }

    @Override
    public void close() {
        server.stop(0);
        serverThreads.shutdownNow();
        provider.close();
        consumer.close();
        providerChain.close();
        consumerChain.close();
        anvil.close();
    }
}
