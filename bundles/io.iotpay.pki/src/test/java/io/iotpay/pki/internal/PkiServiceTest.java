package io.iotpay.pki.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.identity.DeviceCertificate;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.api.identity.VerificationResult.Status;
import io.iotpay.api.wallet.KeystoreException;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.api.wallet.WalletLockedException;
import io.iotpay.pki.internal.testing.FakeRegistry;
import io.iotpay.pki.internal.testing.MutableClock;
import io.iotpay.pki.internal.testing.TestWallet;
import io.iotpay.pki.internal.x509.CaSigner;
import io.iotpay.pki.internal.x509.Crypto;
import io.iotpay.pki.internal.x509.Fixtures;
import io.iotpay.pki.internal.x509.OwnerCa;
import io.iotpay.pki.internal.x509.Pkcs12;
import io.iotpay.wallet.internal.WalletService;
import io.iotpay.pki.internal.x509.PaymentKeyLink;
import io.iotpay.pki.internal.x509.Pem;
import io.iotpay.pki.internal.x509.TrustPolicy;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    private static final String WALLET_PASS = "wallet passphrase";

    /** The wallet folder of a PKI folder: one wallet per node. */
    private Path walletFolder(Path pkiFolder) {
        return dir.resolve("wallets").resolve(Integer.toHexString(pkiFolder.toString().hashCode()));
    }

    /** A node: PKI over {@code folder}, and a freshly started real wallet over its wallet folder (a restart). */
    private PkiService service(Path folder, String passphrase, TrustPolicy.Mode mode) {
        return service(folder, passphrase, mode, TestWallet.start(walletFolder(folder), WALLET_PASS), "owner-ca");
    }

    private PkiService service(Path folder, String passphrase, TrustPolicy.Mode mode, Wallet wallet, String alias) {
        PkiService.Settings s = new PkiService.Settings(folder, passphrase.toCharArray(), "Test household",
                Optional.empty(), mode, Set.of(), Duration.ofSeconds(30), Duration.ofDays(3650), alias);
        return new PkiService(s, registry, wallet, this::sign, tx -> { }, () -> Optional.of(owner), clock);
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
        WalletService wallet = TestWallet.start(walletFolder(dir), WALLET_PASS);
        PkiService pki = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY, wallet, "owner-ca");
        assertFalse(OwnerCa.exists(dir));
        assertEquals(Optional.empty(), pki.caKeyLocation());
        DeviceCertificate c = pki.issue("plug-1", payment, Duration.ofDays(90));
        assertTrue(OwnerCa.exists(dir));
        // the CA key is a certificate-authority key in the wallet (0600 in its 0700 folder); no ca.p12 is written
        assertFalse(Files.exists(dir.resolve("ca.p12")));
        assertEquals(List.of("owner-ca"), wallet.certificateAuthorityKeys());
        Path keyFile = walletFolder(dir).resolve("ca-p256--owner-ca.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(walletFolder(dir))));
        X509Certificate caCert = pki.caCertificate().orElseThrow();
        assertArrayEquals(wallet.certificateAuthorityPublicKey("owner-ca").getEncoded(),
                caCert.getPublicKey().getEncoded());
        caCert.verify(wallet.certificateAuthorityPublicKey("owner-ca"));
        Pem.decodeCertificates(c.pem()).get(0).verify(wallet.certificateAuthorityPublicKey("owner-ca"));
        assertEquals(Optional.of("wallet certificate-authority key \"owner-ca\""), pki.caKeyLocation());
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
    void caPersistsAcrossRestartsAndNeedsThePassphrases() throws Exception {
        PkiService first = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY);
        DeviceCertificate c = first.issue("plug-1", payment, Duration.ofDays(90));
        // restart of both the PKI and the wallet: the same CA, its key still in the wallet, signs the next device
        PkiService again = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY);
        assertEquals(first.ca().certificate(), again.ca().certificate());
        assertEquals(Status.VALID, again.verify(c.pem()).status());
        DeviceCertificate next = again.issue("plug-2", payment, Duration.ofDays(90));
        assertEquals(Status.VALID, again.verify(next.pem()).status());
        Pem.decodeCertificates(next.pem()).get(0).verify(first.ca().publicKey());
        // without the PKI passphrase: verification still works (public CA certificate), issuing does not
        PkiService locked = service(dir, "", TrustPolicy.Mode.OWN_CA_ONLY);
        assertEquals(Status.VALID, locked.verify(c.pem()).status());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> locked.issue("plug-3", payment, Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("IOTPAY_PKI_PASSPHRASE"), e.getMessage());
        // a locked wallet (no passphrase) signs nothing: the CA cannot issue, verification still works
        PkiService walletLocked = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY,
                TestWallet.start(walletFolder(dir), ""), "owner-ca");
        assertEquals(Status.VALID, walletLocked.verify(c.pem()).status());
        WalletLockedException wl = assertThrows(WalletLockedException.class,
                () -> walletLocked.issue("plug-3", payment, Duration.ofDays(1)));
        assertTrue(wl.getMessage().contains("owner-ca"), wl.getMessage());
        // a wrong wallet passphrase does not decrypt the CA key
        PkiService wrong = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY,
                TestWallet.start(walletFolder(dir), "wrong"), "owner-ca");
        KeystoreException k = assertThrows(KeystoreException.class,
                () -> wrong.issue("plug-3", payment, Duration.ofDays(1)));
        assertEquals(KeystoreException.Reason.WRONG_PASSPHRASE, k.reason());
        assertEquals(2, again.certificates().size(), "nothing was issued by the refused attempts");
    }

    @Test
    void everyCertificateIsSignedByTheWalletOverItsOwnTbsCertificate() throws Exception {
        WalletService real = TestWallet.start(walletFolder(dir), WALLET_PASS);
        List<byte[]> signed = new ArrayList<>();
        Wallet recording = (Wallet) Proxy.newProxyInstance(Wallet.class.getClassLoader(),
                new Class<?>[] {Wallet.class}, (p, m, args) -> {
                    if (m.getName().equals("signCertificate")) {
                        signed.add(((byte[]) args[1]).clone());
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        PkiService pki = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY, recording, "owner-ca");
        DeviceCertificate c = pki.issue("plug-1", payment, Duration.ofDays(90));
        X509Certificate root = pki.caCertificate().orElseThrow();
        X509Certificate leaf = Pem.decodeCertificates(c.pem()).get(0);
        assertEquals(2, signed.size(), "the root and the device certificate, nothing else");
        assertArrayEquals(root.getTBSCertificate(), signed.get(0));
        assertArrayEquals(leaf.getTBSCertificate(), signed.get(1));
    }

    @Test
    void legacyCaP12IsStillUsedAndNoWalletKeyIsCreated() throws Exception {
        java.security.KeyPair kp = Crypto.newP256KeyPair();
        OwnerCa legacy = OwnerCa.create("Legacy household", owner, clock.instant().minusSeconds(60),
                Duration.ofDays(3650), CaSigner.ofKey(kp.getPrivate(), kp.getPublic(), "test"));
        Pkcs12.write(dir.resolve(OwnerCa.KEY_FILE), OwnerCa.ALIAS, kp.getPrivate(), List.of(legacy.certificate()),
                "s3cret".toCharArray());
        legacy.saveCertificate(dir);
        WalletService wallet = TestWallet.start(walletFolder(dir), WALLET_PASS);
        PkiService pki = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY, wallet, "owner-ca");
        assertTrue(pki.caKeyLocation().orElseThrow().contains("ca.p12"), pki.caKeyLocation().toString());
        DeviceCertificate c = pki.issue("plug-1", payment, Duration.ofDays(90));
        Pem.decodeCertificates(c.pem()).get(0).verify(kp.getPublic());
        assertEquals(Status.VALID, pki.verify(c.pem()).status());
        assertEquals(List.of(), wallet.certificateAuthorityKeys(), "a legacy CA does not get a wallet key");
        IllegalStateException exists = assertThrows(IllegalStateException.class, () -> pki.createCa(null, null));
        assertTrue(exists.getMessage().contains("exists already"), exists.getMessage());
        IllegalStateException locked = assertThrows(IllegalStateException.class,
                () -> service(dir, "", TrustPolicy.Mode.OWN_CA_ONLY, wallet, "owner-ca").ca());
        assertTrue(locked.getMessage().contains("ca.p12") && locked.getMessage().contains("IOTPAY_PKI_PASSPHRASE"),
                locked.getMessage());
    }

    @Test
    void aCaWhoseKeyIsNotInTheWalletIsRefusedClearly() {
        service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY).issue("plug-1", payment, Duration.ofDays(90));
        // another (empty) wallet, or another alias: the CA certificate is there, its key is not
        PkiService emptyWallet = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY,
                TestWallet.start(dir.resolve("wallets/empty"), WALLET_PASS), "owner-ca");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> emptyWallet.issue("plug-2", payment, Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("\"owner-ca\"") && e.getMessage().contains("caKeyAlias"), e.getMessage());
        PkiService otherAlias = service(dir, "s3cret", TrustPolicy.Mode.OWN_CA_ONLY,
                TestWallet.start(walletFolder(dir), WALLET_PASS), "fleet-ca");
        e = assertThrows(IllegalStateException.class, () -> otherAlias.issue("plug-2", payment, Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("\"fleet-ca\""), e.getMessage());
        assertEquals(1, emptyWallet.certificates().size());
    }

    @Test
    void aWalletKeyIsNeverReusedForANewCa() {
        WalletService wallet = TestWallet.start(walletFolder(dir), WALLET_PASS);
        service(dir.resolve("first"), "s3cret", TrustPolicy.Mode.OWN_CA_ONLY, wallet, "owner-ca").createCa(null, null);
        PkiService second = service(dir.resolve("second"), "s3cret", TrustPolicy.Mode.OWN_CA_ONLY, wallet,
                "owner-ca");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> second.createCa(null, null));
        assertTrue(e.getMessage().contains("\"owner-ca\"") && e.getMessage().contains("caKeyAlias"), e.getMessage());
        assertFalse(OwnerCa.exists(dir.resolve("second")));
        OwnerCa own = service(dir.resolve("second"), "s3cret", TrustPolicy.Mode.OWN_CA_ONLY, wallet, "second-ca")
                .createCa("Second household", null);
        assertEquals(List.of("owner-ca", "second-ca"), wallet.certificateAuthorityKeys());
        assertArrayEquals(wallet.certificateAuthorityPublicKey("second-ca").getEncoded(),
                own.certificate().getPublicKey().getEncoded());
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
        assertEquals("owner-ca", s.caKeyAlias());
        assertEquals("fleet-7", DeviceIdentityComponent.settings(config(Map.of("caKeyAlias", "fleet-7")), null, null)
                .caKeyAlias());
        IllegalArgumentException alias = assertThrows(IllegalArgumentException.class,
                () -> DeviceIdentityComponent.settings(config(Map.of("caKeyAlias", "../ca")), null, null));
        assertTrue(alias.getMessage().contains("caKeyAlias"), alias.getMessage());
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
            @Override public String caKeyAlias() { return v("caKeyAlias", "owner-ca"); }
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
