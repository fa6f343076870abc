package io.iotpay.pki.internal.x509;

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

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CertificateVerifierTest {

    private final AccountId owner = Fixtures.account(Fixtures.KEY1);
    private final OwnerCa ca = Fixtures.ca("Smith household", owner);
    private final FakeRegistry registry = new FakeRegistry();
    private final MutableClock clock = new MutableClock(Fixtures.T0.plus(Duration.ofDays(10)));
    private Fixtures.Device plug;

    @BeforeEach
    void issuePlug() {
        plug = Fixtures.device(ca, "plug-1", Fixtures.KEY0);
        registry.register(owner, DeviceProfile.hash(plug.cert()), "plug-1");
    }

    private CertificateVerifier verifier(TrustPolicy.Mode mode, List<X509Certificate> anchors, Set<AccountId> owners,
            Duration freshness) {
        return new CertificateVerifier(new TrustPolicy(mode, anchors, owners),
                new RegistryStatusCache(registry, clock, freshness), clock);
    }

    private CertificateVerifier ownCa() {
        return verifier(TrustPolicy.Mode.OWN_CA_ONLY, List.of(ca.certificate()), Set.of(), Duration.ofSeconds(60));
    }

    @Test
    void issuedCertificateVerifies() {
        VerificationResult r = ownCa().verify(Pem.encode(plug.chain()));
        assertEquals(Status.VALID, r.status(), r.detail());
        assertTrue(r.valid());
        assertEquals(Duration.ZERO, r.cacheAge());
        assertEquals(clock.instant(), r.checkedAt());
        assertTrue(r.detail().contains("eip155:31337:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"), r.detail());
        // the leaf alone verifies as well (the CA comes from the trust anchors)
        assertEquals(Status.VALID, ownCa().verify(List.of(plug.cert())).status());
    }

    @Test
    void apiViewCarriesTheProfile() {
        DeviceCertificate d = DeviceProfile.toApi(plug.cert());
        assertEquals("plug-1", d.deviceId());
        assertEquals(plug.payment(), d.paymentAccount());
        assertEquals(owner, d.owner());
        assertEquals("CN=plug-1", d.subject());
        assertEquals("CN=Smith household,O=IOTPAY", d.issuer());
        assertEquals(Fixtures.T0, d.notBefore());
        assertEquals(Pem.encode(plug.cert()), d.pem());
    }

    @Test
    void expired() {
        clock.set(Fixtures.T0.plus(Duration.ofDays(365)).plusSeconds(1));
        VerificationResult r = ownCa().verify(plug.chain());
        assertEquals(Status.EXPIRED, r.status(), r.detail());
        assertFalse(r.valid());
    }

    @Test
    void lastSecondOfValidityIsStillValid() {
        clock.set(Fixtures.T0.plus(Duration.ofDays(365)));
        assertEquals(Status.VALID, ownCa().verify(plug.chain()).status());
    }

    @Test
    void notYetValid() {
        clock.set(Fixtures.T0.minusSeconds(1));
        VerificationResult r = ownCa().verify(plug.chain());
        assertEquals(Status.NOT_YET_VALID, r.status(), r.detail());
        assertTrue(r.detail().contains(Fixtures.T0.toString()), r.detail());
    }

    @Test
    void wrongCa() {
        OwnerCa other = Fixtures.ca("Jones household", Fixtures.account(Fixtures.KEY2));
        Fixtures.Device foreign = Fixtures.device(other, "plug-9", Fixtures.KEY0);
        VerificationResult r = ownCa().verify(foreign.chain());
        assertEquals(Status.UNKNOWN_CA, r.status(), r.detail());
        assertTrue(r.detail().contains("Jones household"), r.detail());
    }

    @Test
    void foreignCaUnderOurCaNameIsUnknownCa() {
        OwnerCa impostor = Fixtures.ca("Smith household", owner);
        Fixtures.Device fake = Fixtures.device(impostor, "plug-1", Fixtures.KEY0);
        assertEquals(Status.UNKNOWN_CA, ownCa().verify(fake.chain()).status());
        // without the impostor CA in the chain, the signature just does not verify
        assertEquals(Status.BAD_SIGNATURE, ownCa().verify(List.of(fake.cert())).status());
    }

    @Test
    void tamperedCertificateIsBadSignature() throws Exception {
        byte[] der = plug.cert().getEncoded();
        byte[] tbs = plug.cert().getTBSCertificate();
        // flip a byte inside the subject CN "plug-1" (-> "plug-0"), keeping the DER structure intact
        byte[] cn = "plug-1".getBytes(StandardCharsets.US_ASCII);
        int tbsAt = indexOf(der, tbs);
        int cnAt = indexOf(tbs, cn);
        assertTrue(tbsAt > 0 && cnAt > 0);
        byte[] tampered = der.clone();
        tampered[tbsAt + cnAt + cn.length - 1] ^= 0x01;
        X509Certificate t = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(tampered));
        assertEquals("plug-0", DeviceProfile.commonName(t).orElseThrow());
        TBSCertificate.getInstance(ASN1Sequence.fromByteArray(t.getTBSCertificate())); // still well-formed
        VerificationResult r = ownCa().verify(List.of(t, ca.certificate()));
        assertEquals(Status.BAD_SIGNATURE, r.status(), r.detail());
    }

    @Test
    void linkSignedByAnotherPaymentKeyIsRefused() {
        AccountId payment = Fixtures.account(Fixtures.KEY0);
        KeyPair tls = Crypto.newP256KeyPair();
        // KEY2 signs a link claiming KEY0's account
        Signature wrong = PaymentKeyLink.signPersonalMessage(Fixtures.KEY2,
                PaymentKeyLink.message("plug-2", payment, tls.getPublic()));
        DeviceCertificateIssuer issuer = new DeviceCertificateIssuer(ca);
        Instant nb = Fixtures.T0;
        Instant na = Fixtures.T0.plus(Duration.ofDays(30));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> issuer.issue("plug-2", payment, tls.getPublic(), wrong, nb, na));
        assertTrue(e.getMessage().contains("not by the payment account"), e.getMessage());
        // a CA that skipped the check would produce a certificate the verifier refuses
        X509Certificate bad = issuer.issue("plug-2", payment, tls.getPublic(), wrong, nb, na, false);
        registry.register(owner, DeviceProfile.hash(bad), "plug-2");
        VerificationResult r = ownCa().verify(List.of(bad, ca.certificate()));
        assertEquals(Status.BAD_SIGNATURE, r.status(), r.detail());
        assertTrue(r.detail().contains("payment-key link"), r.detail());
    }

    @Test
    void linkOverAnotherTlsKeyIsRefused() {
        AccountId payment = Fixtures.account(Fixtures.KEY0);
        KeyPair tls = Crypto.newP256KeyPair();
        KeyPair other = Crypto.newP256KeyPair();
        Signature linkForOther = PaymentKeyLink.signPersonalMessage(Fixtures.KEY0,
                PaymentKeyLink.message("plug-3", payment, other.getPublic()));
        X509Certificate bad = new DeviceCertificateIssuer(ca).issue("plug-3", payment, tls.getPublic(), linkForOther,
                Fixtures.T0, Fixtures.T0.plus(Duration.ofDays(30)), false);
        registry.register(owner, DeviceProfile.hash(bad), "plug-3");
        assertEquals(Status.BAD_SIGNATURE, ownCa().verify(List.of(bad)).status());
    }

    @Test
    void revokedOnChain() {
        registry.revoke(owner, DeviceProfile.hash(plug.cert()));
        VerificationResult r = ownCa().verify(plug.chain());
        assertEquals(Status.REVOKED, r.status(), r.detail());
    }

    @Test
    void notAnchored() {
        Fixtures.Device unregistered = Fixtures.device(ca, "plug-5", Fixtures.KEY0);
        VerificationResult r = ownCa().verify(unregistered.chain());
        assertEquals(Status.NOT_ANCHORED, r.status(), r.detail());
    }

    @Test
    void registryDownFailsClosed() {
        registry.down = true;
        VerificationResult r = ownCa().verify(plug.chain());
        assertEquals(Status.NOT_ANCHORED, r.status(), r.detail());
        assertTrue(r.detail().contains("unreachable"), r.detail());
    }

    @Test
    void noRegistryFailsClosed() {
        CertificateVerifier v = new CertificateVerifier(
                new TrustPolicy(TrustPolicy.Mode.OWN_CA_ONLY, List.of(ca.certificate()), Set.of()), null, clock);
        assertEquals(Status.NOT_ANCHORED, v.verify(plug.chain()).status());
    }

    @Test
    void transferredDeviceIsNoLongerTrustedUnderTheOldOwnersCertificate() {
        registry.forceOwner("plug-1", Fixtures.account(Fixtures.KEY2));
        VerificationResult r = ownCa().verify(plug.chain());
        assertEquals(Status.OWNER_NOT_TRUSTED, r.status(), r.detail());
    }

    @Test
    void ownerAllowList() {
        CertificateVerifier v = verifier(TrustPolicy.Mode.OWN_CA_ONLY, List.of(ca.certificate()),
                Set.of(Fixtures.account(Fixtures.KEY2)), Duration.ZERO);
        assertEquals(Status.OWNER_NOT_TRUSTED, v.verify(plug.chain()).status());
        CertificateVerifier ok = verifier(TrustPolicy.Mode.OWN_CA_ONLY, List.of(ca.certificate()), Set.of(owner),
                Duration.ZERO);
        assertEquals(Status.VALID, ok.verify(plug.chain()).status());
    }

    @Test
    void cacheServesWithinFreshnessAndShowsItsAge() {
        CertificateVerifier v = ownCa(); // freshness 60 s
        assertEquals(Status.VALID, v.verify(plug.chain()).status());
        int reads = registry.reads.get();
        registry.revoke(owner, DeviceProfile.hash(plug.cert())); // behind the cache's back
        clock.advance(Duration.ofSeconds(60));
        VerificationResult cached = v.verify(plug.chain());
        assertEquals(Status.VALID, cached.status(), "within freshness the cached status is used");
        assertEquals(Duration.ofSeconds(60), cached.cacheAge());
        assertEquals(reads, registry.reads.get());
        clock.advance(Duration.ofSeconds(1));
        VerificationResult fresh = v.verify(plug.chain());
        assertEquals(Status.REVOKED, fresh.status(), fresh.detail());
        assertEquals(Duration.ZERO, fresh.cacheAge());
        assertEquals(reads + 1, registry.reads.get());
    }

    @Test
    void zeroFreshnessAsksEveryTime() {
        CertificateVerifier v = verifier(TrustPolicy.Mode.OWN_CA_ONLY, List.of(ca.certificate()), Set.of(),
                Duration.ZERO);
        v.verify(plug.chain());
        int reads = registry.reads.get();
        registry.revoke(owner, DeviceProfile.hash(plug.cert()));
        assertEquals(Status.REVOKED, v.verify(plug.chain()).status());
        assertEquals(reads + 1, registry.reads.get());
    }

    @Test
    void listedCas() {
        AccountId jones = Fixtures.account(Fixtures.KEY2);
        OwnerCa other = Fixtures.ca("Jones household", jones);
        Fixtures.Device theirs = Fixtures.device(other, "meter-7", Fixtures.KEY0);
        registry.register(jones, DeviceProfile.hash(theirs.cert()), "meter-7");
        assertEquals(Status.UNKNOWN_CA, ownCa().verify(theirs.chain()).status());
        CertificateVerifier listed = verifier(TrustPolicy.Mode.LISTED_CAS,
                List.of(ca.certificate(), other.certificate()), Set.of(), Duration.ZERO);
        assertEquals(Status.VALID, listed.verify(theirs.chain()).status());
        assertEquals(Status.VALID, listed.verify(plug.chain()).status());
    }

    @Test
    void anyAnchoredAcceptsAPresentedCaOnlyWithMatchingOnChainOwner() {
        AccountId jones = Fixtures.account(Fixtures.KEY2);
        OwnerCa other = Fixtures.ca("Jones household", jones);
        Fixtures.Device theirs = Fixtures.device(other, "meter-8", Fixtures.KEY0);
        CertificateVerifier any = verifier(TrustPolicy.Mode.ANY_ANCHORED, List.of(ca.certificate()), Set.of(),
                Duration.ZERO);
        assertEquals(Status.NOT_ANCHORED, any.verify(theirs.chain()).status());
        assertEquals(Status.UNKNOWN_CA, any.verify(List.of(theirs.cert())).status(), "CA must be presented");
        registry.register(jones, DeviceProfile.hash(theirs.cert()), "meter-8");
        assertEquals(Status.VALID, any.verify(theirs.chain()).status());
        // somebody else's CA claiming a device registered by Jones: owner mismatch with the chain
        AccountId mallory = Fixtures.account(Fixtures.KEY0);
        OwnerCa mal = Fixtures.ca("Mallory", mallory);
        Fixtures.Device stolen = Fixtures.device(mal, "meter-8", Fixtures.KEY0);
        registry.forceOwner("meter-8", jones);
        // Mallory cannot register under Jones' device (NotOwner), so the cert is simply not anchored
        assertThrows(IllegalStateException.class,
                () -> registry.register(mallory, DeviceProfile.hash(stolen.cert()), "meter-8"));
        assertFalse(any.verify(stolen.chain()).valid());
    }

    @Test
    void caCertificateIsNotADeviceCertificate() {
        VerificationResult r = ownCa().verify(List.of(ca.certificate()));
        assertEquals(Status.BAD_SIGNATURE, r.status());
        assertTrue(r.detail().startsWith("not an IOTPAY device certificate"), r.detail());
    }

    @Test
    void garbageIsNotPem() {
        assertThrows(IllegalArgumentException.class, () -> ownCa().verify("hello"));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
