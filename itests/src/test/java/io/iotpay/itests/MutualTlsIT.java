package io.iotpay.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer HTTP over mutual TLS between two runtimes on one devnet chain (docs/protocol.md, "Mutual TLS"). The provider
 * sets {@code peerTlsPort}: its peer endpoint is then an HTTPS listener that requires a client certificate and
 * verifies it with the device PKI at handshake time, and its plain-HTTP peer endpoint refuses every peer request.
 * Both runtimes use {@code peerTrust=certificate} and the PKI in {@code ANY_ANCHORED} mode; each creates its owner CA
 * and the certificate of its account through the shell.
 * <ul>
 * <li>valid certificates: the consumer fetches the offer and runs a paid session over mutual TLS;</li>
 * <li>a foreign certificate (self-signed, not anchored) and no certificate at all: refused in the handshake;</li>
 * <li>another valid certificate (the provider's own) cannot read the consumer's session outbox (403
 * ACCOUNT_MISMATCH);</li>
 * <li>the consumer's certificate (exported with its key) works from a fresh TLS client; revoked on chain, the same
 * certificate is refused in the handshake and the provider logs the reason (REVOKED); the consumer node cannot start
 * another session (refused at the handshake on a new connection, or by peer trust on the verified TLS chain of a
 * connection it kept from before the revocation).</li>
 * </ul>
 */
class MutualTlsIT {

    private static final int FRESHNESS_SECONDS = 2;
    private static TwoNodes nodes;
    private static int tlsPort;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() throws Exception {
        tlsPort = IotpayRuntime.freePort();
        nodes = TwoNodes.startCertified(FRESHNESS_SECONDS, "peerTlsPort=" + tlsPort + "\n");
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void mutualTlsSucceedsWithValidCertificatesAndFailsWithAForeignOrARevokedOne() throws Exception {
        IotpayRuntime provider = nodes.provider;
        IotpayRuntime consumer = nodes.consumer;
        nodes.certify(provider, "seller", "provider-node");
        provider.await("the mutual-TLS peer endpoint is up", Duration.ofSeconds(60),
                () -> provider.log().contains("Mutual-TLS peer endpoint https://127.0.0.1:" + tlsPort));
        String published = TwoNodes.awaitCommand(provider, "iotpay:offer-publish --credit 0.05 --min-deposit 0.05 "
                + TwoNodes.DEVICE + " \"0.3 ETH/kWh\"");
        Matcher url = Pattern.compile("url\\s+(https://\\S+)").matcher(published);
        assertTrue(url.find(), "the offer names the mutual-TLS endpoint: " + published);
        String offerUrl = url.group(1);
        assertTrue(offerUrl.startsWith("https://127.0.0.1:" + tlsPort + "/iotpay/peer/offers/"), offerUrl);

        // the plain-HTTP peer endpoint is closed to peers and says where to go
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + provider.httpPort() + "/iotpay/peer/offers")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, plain.statusCode(), plain.body());
        assertTrue(plain.body().contains("PEER_UNTRUSTED") && plain.body().contains("https://127.0.0.1:" + tlsPort),
                plain.body());

        // a foreign certificate (self-signed, anchored nowhere) and no certificate: refused in the handshake
        IOException foreign = assertThrows(IOException.class, () -> tlsGet(foreignClient(), offerUrl));
        IOException none = assertThrows(IOException.class, () -> tlsGet(tlsContext(null, null), offerUrl));
        assertTrue(isTlsRefusal(foreign), "foreign certificate: " + foreign);
        assertTrue(isTlsRefusal(none), "no certificate: " + none);
        provider.await("the provider logs why it refused the foreign certificate", Duration.ofSeconds(10),
                () -> provider.log().contains("Mutual TLS: refused a peer certificate"));

        // valid certificates on both sides: a paid session over mutual TLS
        nodes.certify(consumer, "buyer", "consumer-node");
        consumer.execute("iotpay:wallet-policy-set --day 5 --session none --approval-above none buyer");
        String start = "iotpay:session-start --budget 0.1 --max-price \"0.5 ETH/kWh\" --payer buyer " + offerUrl;
        String started = consumer.execute(start);
        Matcher sm = Pattern.compile("Session (\\S+) RUNNING on channel (0x[0-9a-f]{64})").matcher(started);
        assertTrue(sm.find(), "a certified consumer starts a session over mutual TLS: " + started);
        String session = sm.group(1);
        provider.await("the provider is paid over mutual TLS", Duration.ofSeconds(60),
                () -> TwoNodes.paid(TwoNodes.row(provider, session)).signum() > 0);
        // another valid, anchored certificate (the provider's own, exported with its key) passes the handshake but
        // cannot read the consumer's session outbox
        Path providerP12 = provider.home().resolve("provider-node.p12");
        provider.execute("iotpay:cert-export --with-key provider-node " + providerP12);
        KeyStore providerKeys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(providerP12)) {
            providerKeys.load(in, provider.pkiPassphrase());
        }
        HttpResponse<String> foreignReader = HttpClient.newBuilder()
                .sslContext(tlsContext(providerKeys, provider.pkiPassphrase())).build()
                .send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort + "/iotpay/peer/outbox/"
                        + session + "?after=0")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, foreignReader.statusCode(), foreignReader.body());
        assertTrue(foreignReader.body().contains("ACCOUNT_MISMATCH"), foreignReader.body());
                consumer.execute("iotpay:session-stop " + session);
        provider.await("the provider saw the stop", Duration.ofSeconds(30),
                () -> "STOPPED".equals(TwoNodes.state(TwoNodes.row(provider, session))));

        // the consumer's device key and chain, exported as an operator would, work from a fresh TLS client too
        Path p12 = consumer.home().resolve("consumer-node.p12");
        consumer.execute("iotpay:cert-export --with-key consumer-node " + p12);
        KeyStore consumerKeys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            consumerKeys.load(in, consumer.pkiPassphrase());
        }
        assertTrue(tlsGetOk(tlsContext(consumerKeys, consumer.pkiPassphrase()), offerUrl),
                "a fresh mutual-TLS connection with the consumer's valid certificate is served");

        // revoked on chain by the consumer's owner: once the provider's cached VALID ages out, a new handshake with
        // that certificate fails, and the consumer node cannot start a session any more
        consumer.execute("iotpay:cert-revoke consumer-node");
        Thread.sleep((FRESHNESS_SECONDS + 1) * 1000L);
        IOException revoked = assertThrows(IOException.class,
                () -> tlsGet(tlsContext(consumerKeys, consumer.pkiPassphrase()), offerUrl));
        assertTrue(isTlsRefusal(revoked), "revoked certificate: " + revoked);
        provider.await("the provider logs REVOKED", Duration.ofSeconds(10),
                () -> provider.log().contains("Mutual TLS: refused a peer certificate: REVOKED"));
        // the consumer node may still hold its TLS connection from before the revocation (TLS verifies once per
        // handshake): then peer trust refuses it on the verified TLS chain; on a new connection the handshake fails
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> consumer.execute(start));
        String message = refused.getMessage();
        assertTrue(message.contains("PEER_UNTRUSTED") && message.contains("REVOKED")
                || message.contains("mutual TLS failed") && message.contains("refused this node's certificate"),
                message);
    }

    /** The server ended the handshake with an alert (the client itself accepts any server certificate). */
    private static boolean isTlsRefusal(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException && String.valueOf(t.getMessage()).contains("alert")) {
                return true;
            }
        }
        return false;
    }

    private static boolean tlsGetOk(SSLContext ctx, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10))
                .build().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().contains("\"OFFER\"");
    }

    private static void tlsGet(SSLContext ctx, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10))
                .build().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        throw new AssertionError("the provider answered a TLS client it must refuse: HTTP " + r.statusCode() + " "
                + r.body());
    }

    /** A P-256 key and self-signed certificate made by the JDK's keytool: valid X.509, anchored nowhere. */
    private static SSLContext foreignClient() throws Exception {
        Path store = temp.resolve("foreign.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "device", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=foreign-node", "-validity", "1", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes());
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool: " + out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        return tlsContext(ks, "changeit".toCharArray());
    }

    /** A client context presenting the key store's key (none if null) and accepting any server certificate. */
    private static SSLContext tlsContext(KeyStore keys, char[] password) throws Exception {
        javax.net.ssl.KeyManager[] km = null;
        if (keys != null) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keys, password);
            km = kmf.getKeyManagers();
        }
        // the test is about the server refusing the client: accept any server certificate and host name (an
        // X509ExtendedTrustManager, so that JSSE adds no host name check of its own)
        TrustManager acceptAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(km, new TrustManager[] {acceptAll}, null);
        return ctx;
    }
}
