package io.iotpay.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider and a consumer runtime on loopback sharing one devnet chain, as in {@link PaidSessionIT}: one of them
 * hosts the devnet (anvil and contracts); the other has the devnet disabled and its EVM connector pointed at that
 * anvil with the same contract addresses. The provider sells a simulated 2 kW plug {@code plug-1}. Also the shell
 * helpers the paid-session itests share (session and channel rows, base units, funding).
 */
final class TwoNodes implements AutoCloseable {

    /** Which runtime hosts the devnet's anvil. */
    enum ChainHost {
        PROVIDER, CONSUMER
    }

    static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    static final String DEVICE = "plug-1";

    final IotpayRuntime provider;
    final IotpayRuntime consumer;
    /** JSON-RPC URL of the shared anvil. */
    final String anvil;

    private TwoNodes(IotpayRuntime provider, IotpayRuntime consumer, String anvil) {
        this.provider = provider;
        this.consumer = consumer;
        this.anvil = anvil;
    }

    /**
     * Starts both runtimes.
     *
     * @param host which one runs the devnet
     * @param clockSpeed the simulated plug's clock speed-up (the provider's channel engine gets the same)
     * @param providerChannelConfig extra lines for the provider's {@code etc/io.iotpay.channel.cfg}
     */
    static TwoNodes start(ChainHost host, int clockSpeed, String providerChannelConfig) throws IOException {
        return start(host, clockSpeed, providerChannelConfig, "", Map.of());
    }

    /**
     * Starts both runtimes with extra configuration.
     *
     * @param consumerChannelConfig extra lines for the consumer's {@code etc/io.iotpay.channel.cfg}
     * @param bothFiles further files given to both runtimes (e.g. {@code etc/io.iotpay.pki.cfg})
     */
    static TwoNodes start(ChainHost host, int clockSpeed, String providerChannelConfig, String consumerChannelConfig,
            Map<String, String> bothFiles) throws IOException {
        Map<String, String> providerFiles = new LinkedHashMap<>(bothFiles);
        providerFiles.put("etc/io.iotpay.channel.simplug-plug1.cfg",
                "deviceId=" + DEVICE + "\npowerWatts=2000\nclockSpeed=" + clockSpeed + "\n");
        providerFiles.put("etc/io.iotpay.channel.cfg",
                "tickMs=500\nclockSpeed=" + clockSpeed + "\n" + providerChannelConfig);
        Map<String, String> consumerFiles = new LinkedHashMap<>(bothFiles);
        consumerFiles.put("etc/io.iotpay.channel.cfg", "tickMs=500\n" + consumerChannelConfig);
        String hostName = host == ChainHost.PROVIDER ? "provider" : "consumer";
        String otherName = host == ChainHost.PROVIDER ? "consumer" : "provider";
        IotpayRuntime chainHost = IotpayRuntime.start(hostName,
                host == ChainHost.PROVIDER ? providerFiles : consumerFiles);
        IotpayRuntime other = null;
        try {
            chainHost.await("the devnet chain is registered", Duration.ofSeconds(120), () -> chainRegistered(chainHost));
            Properties devnet = new Properties();
            try (var in = Files.newBufferedReader(chainHost.home().resolve("etc/io.iotpay.devnet.cfg"))) {
                devnet.load(in);
            }
            String anvil = "http://127.0.0.1:" + devnet.getProperty("port").trim();
            String connector = chainHost.execute("config:list '(service.pid=io.iotpay.chain.evm~devnet)'");
            StringBuilder cfg = new StringBuilder("network=devnet\nrpcUrl=" + anvil + "\n");
            for (String key : List.of("channelsContract", "registryContract", "notaryContract")) {
                Matcher m = Pattern.compile(key + "\\s*=\\s*(0x[0-9a-fA-F]{40})").matcher(connector);
                assertTrue(m.find(), "the devnet configured " + key + ": " + connector);
                cfg.append(key).append('=').append(m.group(1)).append('\n');
            }
            Map<String, String> otherFiles = new LinkedHashMap<>(
                    host == ChainHost.PROVIDER ? consumerFiles : providerFiles);
            otherFiles.put("etc/io.iotpay.devnet.cfg", "enabled=false\n");
            otherFiles.put("etc/io.iotpay.chain.evm-remote.cfg", cfg.toString());
            other = IotpayRuntime.start(otherName, otherFiles);
            IotpayRuntime o = other;
            other.await("the " + otherName + " reaches the shared chain", Duration.ofSeconds(120),
                    () -> chainRegistered(o));
            return host == ChainHost.PROVIDER ? new TwoNodes(chainHost, other, anvil)
                    : new TwoNodes(other, chainHost, anvil);
        } catch (RuntimeException | Error | IOException e) {
            if (other != null) {
                other.close();
            }
            chainHost.close();
            throw e;
        }
    }

    /**
     * Starts both runtimes for peer trust by device certificate: both run {@code peerTrust=certificate} (provider
     * device {@code provider-node}, consumer device {@code consumer-node}) and the PKI in {@code ANY_ANCHORED} mode
     * (each accepts the other's owner CA because the certificates are anchored in the shared DeviceRegistry) with the
     * given cache freshness.
     *
     * @param providerExtra further lines for the provider's channel configuration (e.g. {@code peerTlsPort})
     */
    static TwoNodes startCertified(int freshnessSeconds, String providerExtra) throws IOException {
        return start(ChainHost.PROVIDER, 60, "peerTrust=certificate\ncertificateDevice=provider-node\n" + providerExtra,
                "peerTrust=certificate\ncertificateDevice=consumer-node\n",
                Map.of("etc/io.iotpay.pki.cfg", "trustMode=ANY_ANCHORED\ncacheFreshnessSeconds=" + freshnessSeconds
                        + "\n"));
    }

    static boolean chainRegistered(IotpayRuntime rt) {
        try {
            return rt.get("/iotpay/api/status").body().contains("\"eip155:31337\"");
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            if (consumer != null) {
                consumer.close();
            }
        } finally {
            if (provider != null) {
                provider.close();
            }
        }
    }

    /**
     * Provider: creates and funds the payee account {@code seller} and publishes an offer for the plug.
     *
     * @return the offer's URL
     */
    String publishOffer(String price, String credit, String minDeposit) throws Exception {
        provider.execute("iotpay:wallet-create --chain eip155:31337 --show-mnemonic seller");
        fund(provider, "seller"); // pays the gas of its claims, whichever runtime hosts the chain
        String published = awaitCommand(provider, "iotpay:offer-publish --credit " + credit + " --min-deposit "
                + minDeposit + " " + DEVICE + " \"" + price + "\"");
        Matcher url = Pattern.compile("url\\s+(http://\\S+)").matcher(published);
        assertTrue(url.find(), published);
        return url.group(1);
    }

    /**
     * Consumer: creates and funds the payer account {@code buyer} with a permissive policy and starts a session.
     *
     * @return session id and channel id
     */
    String[] startSession(String offerUrl, String budget, String maxPrice) throws Exception {
        consumer.execute("iotpay:wallet-create --chain eip155:31337 --show-mnemonic buyer");
        fund(consumer, "buyer");
        consumer.execute("iotpay:wallet-policy-set --day 5 --session none --approval-above none buyer");
        String started = consumer.execute("iotpay:session-start --budget " + budget + " --max-price \"" + maxPrice
                + "\" --payer buyer " + offerUrl);
        Matcher sm = Pattern.compile("Session (\\S+) RUNNING on channel (0x[0-9a-f]{64})").matcher(started);
        assertTrue(sm.find(), started);
        return new String[] {sm.group(1), sm.group(2)};
    }

    void fund(IotpayRuntime rt, String alias) throws IOException, InterruptedException {
        Matcher addr = ADDRESS.matcher(rt.execute("iotpay:wallet-address " + alias));
        assertTrue(addr.find(), "an address for " + alias);
        setBalance(anvil, addr.group(), BigInteger.TEN.pow(19));
    }

    /**
     * Creates a funded wallet account, the runtime's owner CA owned by it, and a one-day device certificate for that
     * account, anchored on the shared chain (peer trust by certificate).
     */
    void certify(IotpayRuntime rt, String alias, String device) throws Exception {
        rt.execute("iotpay:wallet-create --chain eip155:31337 --show-mnemonic " + alias);
        fund(rt, alias);
        awaitCommand(rt, "iotpay:cert-list"); // the PKI component is up
        rt.execute("iotpay:ca-create --owner " + alias);
        String issued = awaitCommand(rt, "iotpay:cert-issue --validity 1d " + device + " " + alias);
        assertTrue(issued.contains("anchored"), issued);
    }

    static String awaitCommand(IotpayRuntime rt, String command) {
        String[] out = new String[1];
        rt.await("'" + command + "' succeeds", Duration.ofSeconds(60), () -> {
            try {
                out[0] = rt.execute(command);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        return out[0];
    }

    /** The session-list row of a session: Session, Role, State, Device, Delivered, Owed, Paid, Detail. */
    static List<String> row(IotpayRuntime rt, String session) {
        for (String line : rt.execute("iotpay:session-list").split("\\R")) {
            if (line.contains(session)) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.split("[│|]")) {
                    cells.add(cell.trim());
                }
                return cells;
            }
        }
        throw new IllegalStateException("no session " + session);
    }

    /** Like {@link #row} but null while the runtime cannot answer or does not list the session (yet). */
    static List<String> rowOrNull(IotpayRuntime rt, String session) {
        try {
            return row(rt, session);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String state(List<String> row) {
        return row.get(2);
    }

    static BigInteger delivered(List<String> row) {
        return new BigInteger(row.get(4).split(" ")[0]);
    }

    static BigInteger owed(List<String> row) {
        return units(row.get(5));
    }

    static BigInteger paid(List<String> row) {
        return units(row.get(6));
    }

    static String detail(List<String> row) {
        return row.size() > 7 ? row.get(7) : "";
    }

    /** Base units in parentheses of an amount cell, e.g. "0.0999999 ETH (99999900000000000)". */
    static BigInteger units(String cell) {
        Matcher m = Pattern.compile("\\((\\d+)\\)").matcher(cell);
        if (!m.find()) {
            throw new IllegalStateException("no base units in " + cell);
        }
        return new BigInteger(m.group(1));
    }

    /** What {@code channel-list} shows as claimed on chain for the channel, -1 when it is not listed. */
    static BigInteger claimed(IotpayRuntime rt, String channel) {
        for (String line : rt.execute("iotpay:channel-list").split("\\R")) {
            if (line.contains(channel)) {
                String[] cells = line.split("[│|]");
                return units(cells[5]);
            }
        }
        return BigInteger.valueOf(-1);
    }

    static void setBalance(String rpc, String address, BigInteger wei) throws IOException, InterruptedException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"anvil_setBalance\",\"params\":[\"" + address
                + "\",\"0x" + wei.toString(16) + "\"]}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rpc))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.body().contains("\"result\""), r.body());
    }
}
