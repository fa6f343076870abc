package io.iotpay.pki.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.api.identity.VerificationResult.Status;
import io.iotpay.pki.internal.testing.FakeRegistry;
import io.iotpay.pki.internal.testing.MutableClock;
import io.iotpay.pki.internal.x509.CertificateVerifier;
import io.iotpay.pki.internal.x509.DeviceProfile;
import io.iotpay.pki.internal.x509.Fixtures;
import io.iotpay.pki.internal.x509.OwnerCa;
import io.iotpay.pki.internal.x509.RegistryStatusCache;
import io.iotpay.pki.internal.x509.TrustPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

/** Two nodes on loopback, each with its own device certificate, do a TLS 1.3 handshake with client authentication. */
class MutualTlsTest {

    private final AccountId owner = Fixtures.account(Fixtures.KEY1);
    private final OwnerCa ca = Fixtures.ca("Household CA", owner);
    private final FakeRegistry registry = new FakeRegistry();
    private final MutableClock clock = new MutableClock(Fixtures.T0.plus(Duration.ofDays(1)));
    private final List<VerificationResult> serverSaw = new CopyOnWriteArrayList<>();
    private final List<VerificationResult> clientSaw = new CopyOnWriteArrayList<>();

    private Fixtures.Device anchored(OwnerCa issuer, String id) {
        Fixtures.Device d = Fixtures.device(issuer, id, Fixtures.KEY0);
        registry.register(issuer.owner(), DeviceProfile.hash(d.cert()), id);
        return d;
    }

    private SSLContext context(Fixtures.Device d, List<VerificationResult> seen) {
        CertificateVerifier v = new CertificateVerifier(
                new TrustPolicy(TrustPolicy.Mode.OWN_CA_ONLY, List.of(ca.certificate()), Set.of()),
                new RegistryStatusCache(registry, clock, Duration.ZERO), clock);
        return TlsContexts.create(d.tls().getPrivate(), d.chain(), v, seen::add);
    }

    /** Runs one exchange; returns the CN the server saw, or throws what the client saw. */
    private String handshake(SSLContext server, SSLContext client) throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            ss.setSSLParameters(TlsContexts.serverParameters(server));
            ss.setSoTimeout(30_000);
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(30_000);
                    s.startHandshake();
                    X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
                    InputStream in = s.getInputStream();
                    int b = in.read();
                    s.getOutputStream().write(b + 1);
                    s.getOutputStream().flush();
                    return DeviceProfile.commonName(peer).orElseThrow();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    ss.getLocalPort())) {
                c.setSoTimeout(30_000);
                c.startHandshake();
                OutputStream out = c.getOutputStream();
                out.write(41);
                out.flush();
                // TLS 1.3: a client certificate refused by the server surfaces on the first read
                int answer = c.getInputStream().read();
                assertEquals(42, answer);
                X509Certificate serverCert = (X509Certificate) c.getSession().getPeerCertificates()[0];
                assertNotNull(serverCert);
            } finally {
                try {
                    served.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // the server side's own failure; the caller inspects serverSaw
                }
            }
            return served.get(1, TimeUnit.SECONDS);
        }
    }

    @Test
    void validCertificatesOnBothSidesHandshake() throws Exception {
        Fixtures.Device provider = anchored(ca, "provider-1");
        Fixtures.Device consumer = anchored(ca, "consumer-1");
        assertEquals("consumer-1", handshake(context(provider, serverSaw), context(consumer, clientSaw)));
        assertEquals(Status.VALID, serverSaw.get(0).status(), serverSaw.get(0).detail());
        assertEquals(Status.VALID, clientSaw.get(0).status(), clientSaw.get(0).detail());
        assertTrue(clientSaw.get(0).detail().contains("provider-1"));
    }

    @Test
    void clientFromForeignCaIsRefused() {
        Fixtures.Device provider = anchored(ca, "provider-1");
        OwnerCa foreign = Fixtures.ca("Foreign CA", Fixtures.account(Fixtures.KEY2));
        Fixtures.Device intruder = anchored(foreign, "consumer-x");
        SSLContext server = context(provider, serverSaw);
        // the intruder trusts the provider's CA, so only the server can refuse
        SSLContext client = context(intruder, clientSaw);
        Exception e = assertThrows(Exception.class, () -> handshake(server, client));
        assertTrue(e instanceof SSLException || e.getCause() instanceof SSLException || e instanceof IOException,
                e.toString());
        assertEquals(Status.UNKNOWN_CA, serverSaw.get(0).status(), serverSaw.get(0).detail());
    }

    @Test
    void revokedClientIsRefusedWithTheReason() {
        Fixtures.Device provider = anchored(ca, "provider-1");
        Fixtures.Device consumer = anchored(ca, "consumer-1");
        registry.revoke(owner, DeviceProfile.hash(consumer.cert()));
        SSLContext server = context(provider, serverSaw);
        SSLContext client = context(consumer, clientSaw);
        assertThrows(Exception.class, () -> handshake(server, client));
        assertEquals(Status.REVOKED, serverSaw.get(0).status());
        assertTrue(serverSaw.get(0).detail().contains("consumer-1"), serverSaw.get(0).detail());
    }

    @Test
    void revokedServerIsRefusedByTheClient() {
        Fixtures.Device provider = anchored(ca, "provider-1");
        Fixtures.Device consumer = anchored(ca, "consumer-1");
        registry.revoke(owner, DeviceProfile.hash(provider.cert()));
        SSLContext server = context(provider, serverSaw);
        SSLContext client = context(consumer, clientSaw);
        Exception e = assertThrows(Exception.class, () -> handshake(server, client));
        assertEquals(Status.REVOKED, clientSaw.get(0).status());
        // the client's own exception carries the verifier's reason
        Throwable t = e;
        boolean found = false;
        while (t != null) {
            found |= t.getMessage() != null && t.getMessage().contains("IOTPAY peer certificate REVOKED");
            t = t.getCause();
        }
        assertTrue(found, e.toString());
        assertTrue(serverSaw.isEmpty(), "the server never got to see the client certificate");
    }

    @Test
    void trustManagerMessageNamesStatusAndDevice() {
        Fixtures.Device consumer = anchored(ca, "consumer-1");
        registry.revoke(owner, DeviceProfile.hash(consumer.cert()));
        CertificateVerifier v = new CertificateVerifier(
                new TrustPolicy(TrustPolicy.Mode.OWN_CA_ONLY, List.of(ca.certificate()), Set.of()),
                new RegistryStatusCache(registry, clock, Duration.ZERO), clock);
        VerifyingTrustManager tm = new VerifyingTrustManager(v, null);
        java.security.cert.CertificateException ce = assertThrows(java.security.cert.CertificateException.class,
                () -> tm.checkClientTrusted(consumer.chain().toArray(new X509Certificate[0]), "EC"));
        assertTrue(ce.getMessage().startsWith("IOTPAY peer certificate REVOKED: device consumer-1"),
                ce.getMessage());
    }
}
