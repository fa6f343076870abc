package io.iotpay.pki.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.DeviceRegistryClient;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.chain.TxReceipt;
import io.iotpay.api.identity.DeviceCertificate;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.api.identity.VerificationResult.Status;
import io.iotpay.api.wallet.Signature;
import io.iotpay.chain.evm.internal.EvmConnectorConfig;
import io.iotpay.chain.evm.internal.EvmConnectorCore;
import io.iotpay.chain.evm.internal.EvmSettings;
import io.iotpay.devnet.internal.AnvilProcess;
import io.iotpay.devnet.internal.DevnetDeployer;
import io.iotpay.devnet.internal.SimpleRpc;
import io.iotpay.pki.internal.x509.Fixtures;
import io.iotpay.pki.internal.x509.PaymentKeyLink;
import io.iotpay.pki.internal.x509.TrustPolicy;

import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PKI against the real DeviceRegistry contract on a real anvil (127.0.0.1), through the EVM connector. Fails
 * (never skips) when anvil is missing: install it with {@code cd tools && npm ci}.
 */
class RegistryOnAnvilTest {

    private static AnvilProcess anvil;
    private static EvmConnectorCore connector;
    /** Anvil development keys #0..#2 (public, devnet only): #1 owns the CA, #0 is the devices' payment key. */
    private static final Map<String, byte[]> KEYS = Map.of(
            Fixtures.account(Fixtures.KEY0).address(), Fixtures.KEY0,
            Fixtures.account(Fixtures.KEY1).address(), Fixtures.KEY1,
            Fixtures.account(Fixtures.KEY2).address(), Fixtures.KEY2);

    @TempDir
    Path dir;

    private final AccountId owner = Fixtures.account(Fixtures.KEY1);
    private final AccountId payment = Fixtures.account(Fixtures.KEY0);

    @BeforeAll
    static void startChain() {
        anvil = AnvilProcess.start();
        DevnetDeployer.Deployment d = new DevnetDeployer(new SimpleRpc(anvil.rpcUri())).deployAll(3600);
        connector = new EvmConnectorCore(EvmSettings.from(config(Map.of("rpcUrl", anvil.rpcUri().toString(),
                "registryContract", d.registry(), "channelsContract", d.channels(), "notaryContract", d.notary(),
                "txType", "eip1559", "pollIntervalMs", 50L, "confirmations", 1))),
                (from, tx, hash) -> PaymentKeyLink.signDigest(KEYS.get(from.address()), hash).bytes());
    }

    @AfterAll
    static void stopChain() {
        if (connector != null) {
            connector.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    /** A connector configuration: annotation defaults, overridden by name. Robust to new attributes. */
    private static EvmConnectorConfig config(Map<String, Object> overrides) {
        return (EvmConnectorConfig) Proxy.newProxyInstance(EvmConnectorConfig.class.getClassLoader(),
                new Class<?>[] {EvmConnectorConfig.class}, (p, m, args) -> {
                    if (m.getName().equals("annotationType")) {
                        return EvmConnectorConfig.class;
                    }
                    return overrides.containsKey(m.getName()) ? overrides.get(m.getName()) : m.getDefaultValue();
                });
    }

    private static void mined(TxHash tx) {
        DeviceIdentityComponent.awaitSuccess(connector, tx, Duration.ofSeconds(30));
    }

    private PkiService service(Path folder, AccountId caOwner, Duration freshness) {
        PkiService.Settings s = new PkiService.Settings(folder, "anvil test".toCharArray(), "Anvil household",
                Optional.of(caOwner), TrustPolicy.Mode.OWN_CA_ONLY, Set.of(), freshness, Duration.ofDays(30));
        return new PkiService(s, connector.deviceRegistry(),
                (account, msg) -> PaymentKeyLink.signPersonalMessage(KEYS.get(account.address()), msg),
                RegistryOnAnvilTest::mined, Optional::empty, Clock.systemUTC());
    }

    private static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    @Test
    void issueAnchorsOnChainThenRevocationIsSeen() {
        PkiService pki = service(dir, owner, Duration.ZERO);
        String device = unique("plug");
        DeviceCertificate c = pki.issue(device, payment, Duration.ofDays(1));
        DeviceRegistryClient registry = connector.deviceRegistry();
        assertTrue(registry.isValid(c.sha256()));
        assertEquals(Optional.of(owner), pki.ownerOf(device));
        VerificationResult ok = pki.verify(c.pem());
        assertEquals(Status.VALID, ok.status(), ok.detail());
        TxHash tx = pki.revoke(device);
        TxReceipt receipt = connector.awaitReceipt(tx, 1, Duration.ofSeconds(30));
        assertTrue(receipt.success());
        VerificationResult revoked = pki.verify(c.pem());
        assertEquals(Status.REVOKED, revoked.status(), revoked.detail());
        assertTrue(revoked.detail().contains(device), revoked.detail());
    }

    @Test
    void revocationByAnotherNodeIsSeenOnceTheCacheExpires() throws Exception {
        PkiService issuer = service(dir.resolve("a"), owner, Duration.ZERO);
        String device = unique("meter");
        DeviceCertificate c = issuer.issue(device, payment, Duration.ofDays(1));
        // a verifying node with a long cache, trusting the issuer's CA
        java.nio.file.Files.createDirectories(dir.resolve("b/trusted"));
        java.nio.file.Files.writeString(dir.resolve("b/trusted/a.pem"),
                io.iotpay.pki.internal.x509.Pem.encode(issuer.ca().certificate()));
        io.iotpay.pki.internal.testing.MutableClock clock = new io.iotpay.pki.internal.testing.MutableClock(
                Instant.now());
        PkiService.Settings s = new PkiService.Settings(dir.resolve("b"), "b".toCharArray(), "B",
                Optional.of(Fixtures.account(Fixtures.KEY2)), TrustPolicy.Mode.LISTED_CAS, Set.of(),
                Duration.ofMinutes(5), Duration.ofDays(30));
        PkiService verifier = new PkiService(s, connector.deviceRegistry(), (a, m) -> {
            throw new UnsupportedOperationException();
        }, RegistryOnAnvilTest::mined, Optional::empty, clock);
        assertEquals(Status.VALID, verifier.verify(c.pem()).status());
        issuer.revoke(device);
        clock.advance(Duration.ofMinutes(5));
        VerificationResult stale = verifier.verify(c.pem());
        assertEquals(Status.VALID, stale.status(), "still inside the configured freshness");
        assertEquals(Duration.ofMinutes(5), stale.cacheAge());
        clock.advance(Duration.ofSeconds(1));
        VerificationResult fresh = verifier.verify(c.pem());
        assertEquals(Status.REVOKED, fresh.status(), fresh.detail());
        assertEquals(Duration.ZERO, fresh.cacheAge());
    }

    @Test
    void unanchoredCertificateOfAnUnknownDevice() {
        PkiService pki = service(dir, owner, Duration.ZERO);
        String device = unique("ghost");
        // a certificate from the node's own CA that was never registered on chain
        io.iotpay.pki.internal.x509.OwnerCa ca = pki.ca();
        Fixtures.Device d = Fixtures.device(ca, device, Fixtures.KEY0, Instant.now().minusSeconds(5),
                Instant.now().plus(Duration.ofDays(1)));
        VerificationResult r = pki.verify(List.of(d.cert(), d.ca()));
        assertEquals(Status.NOT_ANCHORED, r.status(), r.detail());
    }

    @Test
    void transferredDeviceNoLongerVerifiesUnderTheOldOwnersCertificate() {
        PkiService pki = service(dir, owner, Duration.ZERO);
        String device = unique("socket");
        DeviceCertificate c = pki.issue(device, payment, Duration.ofDays(1));
        DeviceRegistryClient registry = connector.deviceRegistry();
        AccountId newOwner = Fixtures.account(Fixtures.KEY2);
        Instant deadline = Instant.now().plus(Duration.ofHours(1));
        byte[] digest = registry.transferDigest(device, owner, newOwner, BigInteger.ZERO, deadline);
        Signature fromSig = PaymentKeyLink.signDigest(Fixtures.KEY1, digest);
        Signature toSig = PaymentKeyLink.signDigest(Fixtures.KEY2, digest);
        // one signature missing (the old owner's twice) is refused by the contract
        assertThrows(RuntimeException.class,
                () -> mined(registry.transferOwnership(device, owner, newOwner, fromSig, fromSig, BigInteger.ZERO,
                        deadline)));
        assertEquals(Optional.of(owner), registry.ownerOf(device));
        mined(registry.transferOwnership(device, owner, newOwner, fromSig, toSig, BigInteger.ZERO, deadline));
        assertEquals(Optional.of(newOwner), pki.ownerOf(device));
        VerificationResult r = pki.verify(c.pem());
        assertEquals(Status.OWNER_NOT_TRUSTED, r.status(), r.detail());
    }

    @Test
    void mutualTlsRefusesARevokedConsumerAndAcceptsAValidOne() throws Exception {
        PkiService pki = service(dir, owner, Duration.ZERO);
        String provider = unique("provider");
        String consumer = unique("consumer");
        pki.issue(provider, payment, Duration.ofDays(1));
        pki.issue(consumer, payment, Duration.ofDays(1));
        List<VerificationResult> serverSaw = new CopyOnWriteArrayList<>();
        assertEquals("CN=" + consumer, handshake(pki.sslContext(provider, serverSaw::add),
                pki.sslContext(consumer, null)));
        assertEquals(Status.VALID, serverSaw.get(0).status());
        pki.revoke(consumer);
        serverSaw.clear();
        assertThrows(Exception.class, () -> handshake(pki.sslContext(provider, serverSaw::add),
                pki.sslContext(consumer, null)));
        assertEquals(Status.REVOKED, serverSaw.get(0).status(), serverSaw.get(0).detail());
    }

    private static String handshake(SSLContext server, SSLContext client) throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            ss.setSSLParameters(io.iotpay.pki.internal.tls.TlsContexts.serverParameters(server));
            ss.setSoTimeout(30_000);
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(30_000);
                    s.startHandshake();
                    int b = s.getInputStream().read();
                    s.getOutputStream().write(b + 1);
                    s.getOutputStream().flush();
                    return s.getSession().getPeerPrincipal().getName();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            List<Exception> clientErrors = new ArrayList<>();
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    ss.getLocalPort())) {
                c.setSoTimeout(30_000);
                c.startHandshake();
                c.getOutputStream().write(1);
                c.getOutputStream().flush();
                assertEquals(2, c.getInputStream().read());
            } catch (Exception e) {
                clientErrors.add(e);
            }
            String peer = served.get(30, TimeUnit.SECONDS);
            if (!clientErrors.isEmpty()) {
                throw clientErrors.get(0);
            }
            return peer;
        }
    }
}
