package io.iotpay.channel.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.iotpay.api.channel.SessionId;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.SignedMessage;

/**
 * The mutual-TLS peer endpoint in-process: a {@link TlsPeerListener} on loopback with a server certificate from a
 * test CA, reached by {@link HttpPeerClient} with client certificates. The trust decision belongs to the TLS context
 * (the device PKI's verifying trust manager in production, covered with on-chain revocation in the PKI's
 * RegistryOnAnvilTest); here a PKIX trust manager with the test CA stands in for it. What is tested is this bundle's
 * part: client certificate required, the verified client chain handed to peer trust in place of the certificate
 * header, refusals named, and the plain endpoint closed when mutual TLS is on.
 */
class MutualTlsPeerTest {

    private final MessageCodec codec = new MessageCodec();
    private final List<String> headers = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> outboxReaders = new CopyOnWriteArrayList<>();
    private final List<String> paidCalls = new CopyOnWriteArrayList<>();
    private Optional<URI> tlsOnly = Optional.empty();

    private final PeerGateway gateway = new PeerGateway() {
        @Override
        public MessageCodec codec() {
            return codec;
        }

        @Override
        public Optional<SignedMessage> signedOffer(String offerId) {
            return Optional.empty();
        }

        @Override
        public List<SignedMessage> signedOffers() {
            return List.of();
        }

        @Override
        public List<SignedMessage> handle(byte[] json) {
            return handle(json, null);
        }

        @Override
        public List<SignedMessage> handle(byte[] json, String certificateHeader) {
            bodies.add(new String(json, StandardCharsets.UTF_8));
            headers.add(String.valueOf(certificateHeader));
            return List.of();
        }

        @Override
        public List<SignedMessage> outbox(SessionId session, long after) {
            return List.of();
        }

        @Override
        public List<SignedMessage> outbox(SessionId session, long after, String tlsCertificateChain) {
            outboxReaders.add(String.valueOf(tlsCertificateChain));
            return List.of();
        }

        @Override
        public Optional<URI> tlsEndpoint() {
            return tlsOnly;
        }

        @Override
        public HttpReply paid(String offerId, String voucherHeader, String certificateHeader) {
            paidCalls.add(offerId + " " + voucherHeader + " " + (certificateHeader != null));
            return HttpReply.problem(402, "PAYMENT_REQUIRED", "test");
        }
    };

    private static final class Ca {
        final KeyPair keys = p256();
        final X509Certificate cert;
        final String name;

        Ca(String name) throws Exception {
            this.name = name;
            X500Name n = new X500Name("CN=" + name);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(n, BigInteger.ONE,
                    Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), n, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        }

        /** A device certificate for a CAIP-10 account, and its key, as a TLS context trusting {@code trusted}. */
        SSLContext device(String cn, String account, Ca trusted) throws Exception {
            KeyPair kp = p256();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name),
                    BigInteger.valueOf(System.nanoTime()), Date.from(now.minusSeconds(60)),
                    Date.from(now.plusSeconds(3600)), new X500Name("CN=" + cn), kp.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, account)));
            X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            char[] pass = "test".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("device", kp.getPrivate(), pass, new X509Certificate[] {leaf, cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, pass);
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", trusted.cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {byChainOnly(tmf)}, null);
            return ctx;
        }

        private static KeyPair p256() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                return g.generateKeyPair();
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Like the device PKI's verifying trust manager: the chain decides, host names do not (device certificates name
     * accounts). An {@link javax.net.ssl.X509ExtendedTrustManager}, so JSSE adds no host name check of its own.
     */
    static javax.net.ssl.X509ExtendedTrustManager byChainOnly(TrustManagerFactory pkix) {
        javax.net.ssl.X509TrustManager chain = (javax.net.ssl.X509TrustManager) pkix.getTrustManagers()[0];
        return new javax.net.ssl.X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) throws java.security.cert.CertificateException {
                chain.checkClientTrusted(c, a);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) throws java.security.cert.CertificateException {
                chain.checkServerTrusted(c, a);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s)
                    throws java.security.cert.CertificateException {
                chain.checkClientTrusted(c, a);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s)
                    throws java.security.cert.CertificateException {
                chain.checkServerTrusted(c, a);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] c, String a, javax.net.ssl.SSLEngine e)
                    throws java.security.cert.CertificateException {
                chain.checkClientTrusted(c, a);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a, javax.net.ssl.SSLEngine e)
                    throws java.security.cert.CertificateException {
                chain.checkServerTrusted(c, a);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return chain.getAcceptedIssuers();
            }
        };
    }

    private static final String PROVIDER = "eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    private static final String CONSUMER = "eip155:31337:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

    private Ca owner;
    private TlsPeerListener listener;

    @BeforeEach
    void start() throws Exception {
        owner = new Ca("owner-ca");
        listener = new TlsPeerListener("127.0.0.1", 0, owner.device("provider-node", PROVIDER, owner),
                new PeerRoutes(gateway));
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    private HttpPeerClient client(SSLContext ctx) {
        return new HttpPeerClient(codec, Duration.ofSeconds(10), Map::of, () -> Optional.ofNullable(ctx));
    }

    @Test
    void aClientWithACertificateOfATrustedCaIsServedAndItsVerifiedChainReachesPeerTrust() throws Exception {
        SSLContext consumer = owner.device("consumer-node", CONSUMER, owner);
        URI endpoint = listener.endpoint();
        assertTrue(endpoint.toString().startsWith("https://127.0.0.1:"), endpoint.toString());
        assertEquals(List.of(), client(consumer).poll(endpoint, new SessionId("session-1"), 0));
        assertEquals(1, outboxReaders.size(), "outbox reads over TLS carry the reader's verified chain");
        assertTrue(new String(Base64.getDecoder().decode(outboxReaders.get(0)), StandardCharsets.US_ASCII)
                .contains("BEGIN CERTIFICATE"));

        // a POST: the gateway gets the body and, as the certificate header, the client's chain from the handshake
        HttpResponse<String> r = HttpClient.newBuilder().sslContext(consumer).build().send(
                HttpRequest.newBuilder(URI.create(endpoint + "/messages"))
                        .header(io.iotpay.channel.internal.osgi.PeerTrust.HEADER, "Zm9yZ2Vk") // ignored over TLS
                        .POST(HttpRequest.BodyPublishers.ofString("{\"v\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of("{\"v\":1}"), bodies);
        String pem = new String(Base64.getDecoder().decode(headers.get(0)), StandardCharsets.US_ASCII);
        var chain = java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        X509Certificate leaf = (X509Certificate) chain.iterator().next();
        assertEquals("CN=consumer-node", leaf.getSubjectX500Principal().getName());
        assertEquals(CONSUMER, leaf.getSubjectAlternativeNames().iterator().next().get(1),
                "peer trust reads the payment account from the TLS client certificate");
    }

    @Test
    void payPerRequestResourcesAreServedOverMutualTlsWithTheVerifiedChainAsTheConsumersCertificate()
            throws Exception {
        SSLContext consumer = owner.device("consumer-node", CONSUMER, owner);
        URI resource = URI.create(listener.endpoint().toString().replace("/iotpay/peer", "/iotpay/paid/offer-1"));
        HttpReply r = client(consumer).get(resource, Map.of("X-IOTPAY-Voucher", "v1"));
        assertEquals(402, r.status());
        assertEquals(List.of("offer-1 v1 true"), paidCalls);
    }

    @Test
    void aClientWithAForeignCertificateIsRefusedInTheHandshakeAndTheErrorSaysSo() throws Exception {
        Ca foreign = new Ca("foreign-ca");
        SSLContext stranger = foreign.device("consumer-node", CONSUMER, owner); // trusts the server, not trusted
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> client(stranger).poll(listener.endpoint(), new SessionId("session-1"), 0));
        assertTrue(e.getMessage().contains("mutual TLS failed"), e.getMessage());
        assertTrue(e.getMessage().contains("the peer refused this node's certificate"), e.getMessage());
        assertTrue(bodies.isEmpty() && headers.isEmpty());
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        SSLContext noCert = SSLContext.getInstance("TLSv1.3");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", owner.cert);
        tmf.init(ts);
        noCert.init(null, new javax.net.ssl.TrustManager[] {byChainOnly(tmf)}, null);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> client(noCert).poll(listener.endpoint(), new SessionId("session-1"), 0));
        assertTrue(e.getMessage().contains("mutual TLS failed"), e.getMessage());
    }

    @Test
    void theClientRefusesAServerWhoseCertificateItDoesNotTrust() throws Exception {
        Ca other = new Ca("other-ca");
        SSLContext consumer = owner.device("consumer-node", CONSUMER, other); // trusts only another CA
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> client(consumer).poll(listener.endpoint(), new SessionId("session-1"), 0));
        assertTrue(e.getMessage().contains("mutual TLS failed"), e.getMessage());
    }

    @Test
    void withMutualTlsOnThePlainEndpointRefusesEveryPeerRequestAndNamesTheTlsEndpoint() {
        tlsOnly = Optional.of(listener.endpoint());
        PeerRoutes plain = new PeerRoutes(gateway);
        for (String[] req : new String[][] {{"GET", "/offers"}, {"POST", "/messages"}, {"GET", "/outbox/session-1"}}) {
            HttpReply r = plain.handle(req[0], req[1], null, "{}".getBytes(StandardCharsets.UTF_8), null);
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertEquals(403, r.status(), body);
            assertTrue(body.contains("PEER_UNTRUSTED") && body.contains(listener.endpoint().toString()), body);
        }
        assertTrue(bodies.isEmpty(), "nothing reached the engine");
        HttpReply overTls = plain.handle("GET", "/offers", null, new byte[0], null, true);
        assertEquals(200, overTls.status());
        assertNotNull(overTls.body());
    }
}
