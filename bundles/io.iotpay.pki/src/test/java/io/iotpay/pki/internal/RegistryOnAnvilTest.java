package io.iotpay.pki.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.DeviceRegistryClient;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.chain.TxReceipt;
import io.iotpay.api.chain.CertificateStatus;
import io.iotpay.api.chain.ChainEvent;
import io.iotpay.api.identity.DeviceCertificate;
import io.iotpay.api.identity.OwnershipRecord;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.api.identity.VerificationResult.Status;
import io.iotpay.api.wallet.Signature;
import io.iotpay.chain.evm.internal.EvmConnectorConfig;
import io.iotpay.chain.evm.internal.EvmConnectorCore;
import io.iotpay.chain.evm.internal.EvmSettings;
import io.iotpay.devnet.internal.AnvilProcess;
import io.iotpay.devnet.internal.DevnetDeployer;
import io.iotpay.devnet.internal.SimpleRpc;
import io.iotpay.pki.internal.owner.OwnershipHistory;
import io.iotpay.pki.internal.owner.OwnershipTransfers;
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
                Optional.of(caOwner), TrustPolicy.Mode.OWN_CA_ONLY, Set.of(), freshness, Duration.ofDays(30),
                "owner-ca");
        // the CA key in a real wallet (its keystore folder inside the test folder)
        return new PkiService(s, connector.deviceRegistry(),
                io.iotpay.pki.internal.testing.TestWallet.start(folder.resolve("wallet"), "anvil wallet"),
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
        assertTrue(revoked.detail().contains("was revoked in the on-chain registry at"), revoked.detail());
        // the registry tells revoked from never anchored (isValid cannot)
        CertificateStatus status = registry.certificateStatus(c.sha256());
        assertEquals(CertificateStatus.State.REVOKED, status.state());
        assertTrue(!status.revokedAt().orElseThrow().isBefore(status.anchoredAt().orElseThrow()));
        byte[] never = new byte[32];
        never[0] = 7;
        assertEquals(CertificateStatus.State.NOT_ANCHORED, registry.certificateStatus(never).state());
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
                Duration.ofMinutes(5), Duration.ofDays(30), "owner-ca");
        // a verifying node only: no wallet
        PkiService verifier = new PkiService(s, connector.deviceRegistry(), null, (a, m) -> {
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
        assertEquals(List.of(), pki.history(device), "an unregistered device has no history");
    }

    @Test
    void aNeverAnchoredCertificateOfARegisteredDeviceIsNotAnchoredNotRevoked() {
        PkiService pki = service(dir, owner, Duration.ZERO);
        String device = unique("twin");
        pki.issue(device, payment, Duration.ofDays(1));
        // a second certificate for the same (registered) device from the same CA, never anchored
        Fixtures.Device d = Fixtures.device(pki.ca(), device, Fixtures.KEY0, Instant.now().minusSeconds(5),
                Instant.now().plus(Duration.ofDays(1)));
        VerificationResult r = pki.verify(List.of(d.cert(), d.ca()));
        assertEquals(Status.NOT_ANCHORED, r.status(), r.detail());
        assertTrue(r.detail().contains("never anchored"), r.detail());
    }

    /** Signs typed data the way the wallet does: its own EIP-712 encoder, then the key. */
    private static OwnershipTransfers transfers() {
        return new OwnershipTransfers(connector.deviceRegistry(), (account, data) -> PaymentKeyLink.signDigest(
                KEYS.get(account.address()), eip712Digest(data)));
    }

    /** The wallet's own EIP-712 encoder (the same conversion as {@code WalletService.signTypedData}). */
    private static byte[] eip712Digest(io.iotpay.api.wallet.TypedData data) {
        Map<String, List<io.iotpay.wallet.internal.eip712.Eip712.Field>> types = new java.util.LinkedHashMap<>();
        data.types().forEach((k, v) -> types.put(k, v.stream()
                .map(f -> new io.iotpay.wallet.internal.eip712.Eip712.Field(f.name(), f.type())).toList()));
        return io.iotpay.wallet.internal.eip712.Eip712.digest(new io.iotpay.wallet.internal.eip712.Eip712.TypedData(
                types, data.primaryType(), data.domain(), data.message()));
    }

    @Test
    void ownershipHistoryReplayedFromEventsEqualsOwnerOfAfterEveryTransfer() {
        PkiService pki = service(dir, owner, Duration.ZERO);
        String device = unique("heirloom");
        String other = unique("bystander");
        pki.issue(device, payment, Duration.ofDays(1));
        pki.issue(other, payment, Duration.ofDays(1));
        DeviceRegistryClient registry = connector.deviceRegistry();
        OwnershipTransfers t = transfers();
        List<AccountId> expected = new ArrayList<>(List.of(owner));
        assertEquals(expected, pki.history(device).stream().map(OwnershipRecord::to).toList());
        AccountId current = owner;
        AccountId k0 = Fixtures.account(Fixtures.KEY0);
        AccountId k2 = Fixtures.account(Fixtures.KEY2);
        // every owner sends the transfer away from itself: give each gas money
        for (AccountId a : List.of(owner, k0, k2)) {
            new SimpleRpc(anvil.rpcUri()).call("anvil_setBalance", a.address(), "0x56bc75e2d63100000");
        }
        for (AccountId next : List.of(k2, k0, owner, k2)) {
            OwnershipTransfers.Terms terms = t.terms(device, next, Instant.now().plus(Duration.ofHours(1)));
            t.submit(terms, t.sign(terms, current), t.sign(terms, next), RegistryOnAnvilTest::mined);
            // another device's transfer in between must not leak into this device's history
            if (next.equals(k0)) {
                OwnershipTransfers.Terms o = t.terms(other, k2, Instant.now().plus(Duration.ofHours(1)));
                t.submit(o, t.sign(o, owner), t.sign(o, k2), RegistryOnAnvilTest::mined);
            }
            expected.add(next);
            current = next;
            List<OwnershipRecord> h = pki.history(device);
            assertEquals(expected, h.stream().map(OwnershipRecord::to).toList());
            assertEquals(registry.ownerOf(device), OwnershipHistory.owner(h), "replayed owner == ownerOf");
            assertEquals(BigInteger.valueOf(h.size() - 1), registry.transferNonce(device));
            for (int i = 1; i < h.size(); i++) {
                assertEquals(Optional.of(h.get(i - 1).to()), h.get(i).from(), "each transfer starts at the owner");
                assertEquals(Optional.of(BigInteger.valueOf(i - 1)), h.get(i).nonce());
            }
        }
        assertTrue(pki.history(device).get(0).registration());
        assertEquals(List.of(owner, k2), pki.history(other).stream().map(OwnershipRecord::to).toList());
        assertEquals(registry.ownerOf(other), OwnershipHistory.owner(pki.history(other)));

        // one signature missing (the current owner's twice) is refused before anything is sent
        OwnershipTransfers.Terms terms = t.terms(device, owner, Instant.now().plus(Duration.ofHours(1)));
        Signature fromSig = t.sign(terms, current);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.submit(terms, fromSig, fromSig, RegistryOnAnvilTest::mined));
        assertTrue(e.getMessage().contains("new owner"), e.getMessage());
        assertEquals(Optional.of(current), registry.ownerOf(device));
        assertEquals(expected.size(), pki.history(device).size());
    }

    @Test
    void historyFromASubscriptionReplaysToTheSameChain() throws Exception {
        PkiService pki = service(dir, owner, Duration.ZERO);
        String device = unique("streamed");
        pki.issue(device, payment, Duration.ofDays(1));
        OwnershipTransfers t = transfers();
        AccountId k2 = Fixtures.account(Fixtures.KEY2);
        OwnershipTransfers.Terms terms = t.terms(device, k2, Instant.now().plus(Duration.ofHours(1)));
        t.submit(terms, t.sign(terms, owner), t.sign(terms, k2), RegistryOnAnvilTest::mined);
        DeviceRegistryClient registry = connector.deviceRegistry();
        String key = OwnershipTransfers.deviceKey(device);
        List<ChainEvent> seen = new CopyOnWriteArrayList<>();
        long head = connector.status().headBlock();
        // from genesis: block 0's hash is whatever the node says, a wrong one only makes the poller re-read block 0
        try (io.iotpay.api.chain.Subscription sub = connector.subscribe(registry.contract(),
                new io.iotpay.api.chain.BlockCursor(0, genesisHash()), e -> {
                    if (key.equals(e.fields().get("deviceId"))) {
                        seen.add(e);
                    }
                })) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sub.cursor().blockNumber() < head && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertTrue(sub.cursor().blockNumber() >= head, "subscription caught up");
        }
        List<OwnershipRecord> fromSubscription = OwnershipHistory.replay(device, seen);
        assertEquals(pki.history(device), fromSubscription);
        assertEquals(registry.ownerOf(device), OwnershipHistory.owner(fromSubscription));
    }

    private static String genesisHash() {
        return new SimpleRpc(anvil.rpcUri()).call("eth_getBlockByNumber", "0x0", false).path("hash").asText();
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
