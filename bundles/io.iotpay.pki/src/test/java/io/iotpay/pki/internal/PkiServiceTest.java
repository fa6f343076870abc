package io.iotpay.pki.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.identity.DeviceCertificate;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.api.identity.VerificationResult.Status;
import io.iotpay.api.wallet.Signature;
import io.iotpay.pki.internal.testing.FakeRegistry;
import io.iotpay.pki.internal.testing.MutableClock;
import io.iotpay.pki.internal.x509.Fixtures;
import io.iotpay.pki.internal.x509.OwnerCa;
import io.iotpay.pki.internal.x509.PaymentKeyLink;
import io.iotpay.pki.internal.x509.Pem;
import io.iotpay.pki.internal.x509.TrustPolicy;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiServiceTest {

    @TempDir
    Path dir;

    private final FakeRegistry registry = new FakeRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final AccountId owner = Fixtures.account(Fixtures.KEY1);
    private final AccountId payment = Fixtures.account(Fixtures.KEY0);
    /** Stands in for the wallet: signs with the anvil development keys it holds. */
    private final Map<AccountId, byte[]> wallet = Map.of(payment, Fixtures.KEY0, owner, Fixtures.KEY1);

    private PkiService service(Path folder, String passphrase, TrustPolicy.Mode mode) {
        PkiService.Settings s = new PkiService.Settings(folder, passphrase.toCharArray(), "Test household",
                Optional.empty(), mode, Set.of(), Duration.ofSeconds(30), Duration.ofDays(3650));
        return new PkiService(s, registry, this::sign, tx -> { }, () -> Optional.of(owner), clock);
    }

    private Signature sign(AccountId account, byte[] message) {
        byte[] key = wallet.get(account);
        if (key == null) {
            throw new IllegalArgumentException("account " + account + " is not in the wallet");
        }
        return PaymentKeyLink.signPersonalMessage(key, message);
    }

    @Test
    void issueCreatesCaAnchorsAndVerifies() throws Exception {
        PkiService pki = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY);
        assertFalse(OwnerCa.exists(dir));
        DeviceCertificate c = pki.issue("plug-1", payment, Duration.ofDays(90));
        assertTrue(OwnerCa.exists(dir));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.p12"))));
        assertEquals(owner, c.owner());
        assertEquals(payment, c.paymentAccount());
        assertEquals(clock.instant().plus(Duration.ofDays(90)), c.notAfter());
        assertTrue(registry.isValid(c.sha256()), "anchored on the registry");
        assertEquals(Optional.of(owner), pki.ownerOf("plug-1"));
        VerificationResult r = pki.verify(c.pem());
        assertEquals(Status.VALID, r.status(), r.detail());
        assertEquals(List.of(c), pki.certificates());
        try (Stream<Path> keys = Files.walk(dir.resolve("devices"))) {
            for (Path p : keys.filter(p -> p.toString().endsWith(".p12")).toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        }
    }

    @Test
    void revokeTakesEffectAtOnceDespiteTheCache() {
        PkiService pki = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY);
        DeviceCertificate c = pki.issue("plug-1", payment, Duration.ofDays(90));
        assertEquals(Status.VALID, pki.verify(c.pem()).status());
        pki.revoke("plug-1");
        VerificationResult r = pki.verify(c.pem());
        assertEquals(Status.REVOKED, r.status(), r.detail());
        assertThrows(IllegalArgumentException.class, () -> pki.revoke("never-issued"));
    }

    @Test
    void reissueRevokesOnlyTheCurrentCertificate() {
        PkiService pki = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY);
        DeviceCertificate first = pki.issue("plug-1", payment, Duration.ofDays(90));
        clock.advance(Duration.ofDays(1));
        DeviceCertificate second = pki.issue("plug-1", payment, Duration.ofDays(90));
        pki.revoke("plug-1");
        assertEquals(Status.VALID, pki.verify(first.pem()).status());
        assertEquals(Status.REVOKED, pki.verify(second.pem()).status());
        assertEquals(2, pki.certificates().size());
        // the chain a peer presents: the current certificate first, then the CA; it verifies on its own
        String chain = pki.certificateChain("plug-1").orElseThrow();
        assertTrue(chain.startsWith(second.pem().trim()), chain);
        assertEquals(2, chain.split("-----BEGIN CERTIFICATE-----", -1).length - 1, chain);
        assertTrue(chain.contains(io.iotpay.pki.internal.x509.Pem.encode(pki.caCertificate().orElseThrow()).trim()));
        assertEquals(Status.REVOKED, pki.verify(chain).status());
        assertEquals(Optional.empty(), pki.certificateChain("never-issued"));
    }

    @Test
    void paymentAccountOutsideTheWalletCannotBeLinked() {
        PkiService pki = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY);
        AccountId stranger = Fixtures.account(Fixtures.KEY2);
        assertThrows(IllegalArgumentException.class, () -> pki.issue("plug-9", stranger, Duration.ofDays(1)));
        assertTrue(pki.certificates().isEmpty());
    }

    @Test
    void registryFailureLeavesNoCertificateBehind() {
        PkiService pki = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY);
        registry.down = true;
        assertThrows(RuntimeException.class, () -> pki.issue("plug-1", payment, Duration.ofDays(1)));
        assertTrue(pki.certificates().isEmpty());
    }

    @Test
    void caPersistsAcrossRestartsAndNeedsThePassphrase() {
        PkiService first = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY);
        DeviceCertificate c = first.issue("plug-1", payment, Duration.ofDays(90));
        PkiService again = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY);
        assertEquals(first.ca().certificate(), again.ca().certificate());
        assertEquals(Status.VALID, again.verify(c.pem()).status());
        // without the passphrase: verification still works (public CA certificate), issuing does not
        PkiService locked = service(dir, "", TrustPolicy.Mode.OWN_CA_ONLY);
        assertEquals(Status.VALID, locked.verify(c.pem()).status());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> locked.issue("plug-2", payment, Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("IOTPAY_PKI_PASSPHRASE"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> service(dir, "wrong", TrustPolicy.Mode.OWN_CA_ONLY));
    }

    @Test
    void listedCasComeFromTheTrustedFolder() throws Exception {
        Path other = dir.resolve("other");
        PkiService neighbour = service(other, "n", TrustPolicy.Mode.OWN_CA_ONLY);
        DeviceCertificate theirs = neighbour.issue("meter-1", payment, Duration.ofDays(10));
        Path mine = dir.resolve("mine");
        assertEquals(Status.UNKNOWN_CA, service(mine, "m", TrustPolicy.Mode.OWN_CA_ONLY).verify(theirs.pem())
                .status());
        Files.createDirectories(mine.resolve("trusted"));
        Files.writeString(mine.resolve("trusted/neighbour.pem"), Pem.encode(neighbour.ca().certificate()));
        assertEquals(Status.UNKNOWN_CA, service(mine, "m", TrustPolicy.Mode.OWN_CA_ONLY).verify(theirs.pem())
                .status(), "OWN_CA_ONLY ignores the trusted folder");
        assertEquals(Status.VALID, service(mine, "m", TrustPolicy.Mode.LISTED_CAS).verify(theirs.pem()).status());
    }

    @Test
    void mutualTlsBetweenTwoServiceDevices() throws Exception {
        PkiService pki = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY);
        pki.issue("provider-1", payment, Duration.ofDays(10));
        pki.issue("consumer-1", payment, Duration.ofDays(10));
        javax.net.ssl.SSLContext server = pki.sslContext("provider-1", null);
        javax.net.ssl.SSLContext client = pki.sslContext("consumer-1", null);
        try (javax.net.ssl.SSLServerSocket ss = (javax.net.ssl.SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ss.setSSLParameters(io.iotpay.pki.internal.tls.TlsContexts.serverParameters(server));
            ss.setSoTimeout(30_000);
            var served = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ss.accept()) {
                    s.startHandshake();
                    return s.getSession().getPeerPrincipal().getName();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (javax.net.ssl.SSLSocket c = (javax.net.ssl.SSLSocket) client.getSocketFactory()
                    .createSocket(java.net.InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                c.setSoTimeout(30_000);
                c.startHandshake();
                assertEquals("CN=provider-1", c.getSession().getPeerPrincipal().getName());
            }
            assertEquals("CN=consumer-1", served.get(30, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    @Test
    void configurationIsParsedStrictly() {
        PkiConfig defaults = config(Map.of());
        PkiService.Settings s = DeviceIdentityComponent.settings(defaults, null, "/opt/karaf/data");
        assertEquals(Path.of("/opt/karaf/data/iotpay/pki"), s.folder());
        assertEquals(TrustPolicy.Mode.OWN_CA_ONLY, s.mode());
        assertEquals(Duration.ofSeconds(60), s.cacheFreshness());
        assertEquals(0, s.passphrase().length);
        PkiService.Settings env = DeviceIdentityComponent.settings(config(Map.of("passphrase", "cfg")), "env", null);
        assertEquals("env", new String(env.passphrase()), "the environment wins");
        assertEquals("cfg", new String(DeviceIdentityComponent.settings(config(Map.of("passphrase", "cfg")), "", null)
                .passphrase()));
        assertEquals(TrustPolicy.Mode.ANY_ANCHORED, DeviceIdentityComponent.settings(
                config(Map.of("trustMode", "any_anchored")), null, null).mode());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> DeviceIdentityComponent.settings(config(Map.of("trustMode", "EVERYONE")), null, null));
        assertTrue(bad.getMessage().contains("EVERYONE"), bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DeviceIdentityComponent.settings(config(Map.of("cacheFreshnessSeconds", -1L)), null, null));
        assertEquals(Set.of(owner), DeviceIdentityComponent.settings(
                config(Map.of("allowedOwners", new String[] {owner.toString(), " "})), null, null).allowedOwners());
    }

    private static PkiConfig config(Map<String, Object> values) {
        return new PkiConfig() {
            @Override public Class<? extends Annotation> annotationType() { return PkiConfig.class; }
            private <T> T v(String k, T d) {
                @SuppressWarnings("unchecked") T t = (T) values.getOrDefault(k, d);
                return t;
            }
            @Override public String folder() { return v("folder", ""); }
            @Override public String caName() { return v("caName", "IOTPAY owner CA"); }
            @Override public String owner() { return v("owner", ""); }
            @Override public String passphrase() { return v("passphrase", ""); }
            @Override public String trustMode() { return v("trustMode", "OWN_CA_ONLY"); }
            @Override public String[] allowedOwners() { return v("allowedOwners", new String[0]); }
            @Override public long cacheFreshnessSeconds() { return v("cacheFreshnessSeconds", 60L); }
            @Override public long caValidityDays() { return v("caValidityDays", 3650L); }
            @Override public long registryTimeoutSeconds() { return v("registryTimeoutSeconds", 120L); }
        };
    }
}
