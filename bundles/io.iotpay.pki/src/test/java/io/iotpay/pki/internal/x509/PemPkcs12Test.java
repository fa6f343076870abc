package io.iotpay.pki.internal.x509;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemPkcs12Test {

    @TempDir
    Path dir;

    private final AccountId owner = Fixtures.account(Fixtures.KEY1);
    private final OwnerCa ca = Fixtures.ca("Round trip CA", owner);
    private final Fixtures.Device plug = Fixtures.device(ca, "plug-rt", Fixtures.KEY0);

    @Test
    void pemChainRoundTrip() {
        String pem = Pem.encode(plug.chain());
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n"));
        List<X509Certificate> back = Pem.decodeCertificates(pem);
        assertEquals(plug.chain(), back);
    }

    @Test
    void pemSkipsOtherBlocksAndRejectsGarbage() {
        String withKey = Pem.encodeEncryptedKey(plug.tls().getPrivate(), "pw".toCharArray()) + Pem.encode(plug.cert());
        assertEquals(List.of(plug.cert()), Pem.decodeCertificates(withKey));
        assertThrows(IllegalArgumentException.class, () -> Pem.decodeCertificates("no pem here"));
        assertThrows(IllegalArgumentException.class,
                () -> Pem.decodeCertificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
    }

    @Test
    void encryptedKeyRoundTrip() throws Exception {
        String pem = Pem.encodeEncryptedKey(plug.tls().getPrivate(), "correct horse".toCharArray());
        assertTrue(pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        PrivateKey back = Pem.decodeEncryptedKey(pem, "correct horse".toCharArray());
        assertTrue(signsFor(back, plug.cert()));
        assertThrows(IllegalArgumentException.class, () -> Pem.decodeEncryptedKey(pem, "wrong".toCharArray()));
    }

    @Test
    void pkcs12KeyRoundTripIsOwnerOnly() throws Exception {
        Path p12 = dir.resolve("plug.p12");
        Pkcs12.write(p12, "plug-rt", plug.tls().getPrivate(), plug.chain(), "pass phrase".toCharArray());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p12)));
        Pkcs12.KeyEntry e = Pkcs12.read(p12, "pass phrase".toCharArray());
        assertEquals(plug.chain(), e.chain());
        assertTrue(signsFor(e.key(), plug.cert()));
        assertEquals(plug.chain(), Pkcs12.readCertificates(p12, "pass phrase".toCharArray()));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> Pkcs12.read(p12, "nope".toCharArray()));
        assertTrue(wrong.getMessage().contains("wrong passphrase"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("pass phrase"));
    }

    @Test
    void pkcs12CertificatesOnly() {
        Path p12 = dir.resolve("ca.p12");
        Pkcs12.writeCertificates(p12, List.of(ca.certificate()), "x".toCharArray());
        assertEquals(List.of(ca.certificate()), Pkcs12.readCertificates(p12, "x".toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> Pkcs12.read(p12, "x".toCharArray()));
    }

    @Test
    void legacyCaKeyFileIsStillRead() throws Exception {
        // a CA created before the key moved into the wallet: ca.p12 (key + certificate) and ca.pem
        Path folder = dir.resolve("pki");
        java.security.KeyPair kp = Crypto.newP256KeyPair();
        OwnerCa original = OwnerCa.create("Legacy CA", owner, Fixtures.T0, java.time.Duration.ofDays(365),
                CaSigner.ofKey(kp.getPrivate(), kp.getPublic(), "test"));
        SecureFiles.ensureOwnerOnlyDir(folder);
        Pkcs12.write(folder.resolve(OwnerCa.KEY_FILE), OwnerCa.ALIAS, kp.getPrivate(), List.of(original.certificate()),
                "ca secret".toCharArray());
        original.saveCertificate(folder);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertTrue(OwnerCa.exists(folder));
        assertTrue(OwnerCa.hasLegacyKeyFile(folder));
        OwnerCa back = OwnerCa.loadLegacy(folder, "ca secret".toCharArray());
        assertEquals(original.certificate(), back.certificate());
        assertEquals(owner, back.owner());
        assertTrue(back.keyDescription().contains("ca.p12"), back.keyDescription());
        assertEquals(original.certificate(), OwnerCa.loadCertificate(folder));
        // the loaded CA issues certificates the original CA's certificate verifies
        Fixtures.Device d = Fixtures.device(back, "plug-2", Fixtures.KEY0);
        d.cert().verify(original.publicKey());
        String caPem = Files.readString(folder.resolve(OwnerCa.CERT_FILE), StandardCharsets.UTF_8);
        assertFalse(caPem.contains("PRIVATE"));
        assertThrows(IllegalArgumentException.class, () -> OwnerCa.loadLegacy(folder, "wrong".toCharArray()));
    }

    @Test
    void caCertificateFileIsPublicAndTheKeyMustMatchIt() throws Exception {
        Path folder = dir.resolve("pki");
        ca.saveCertificate(folder);
        assertTrue(OwnerCa.exists(folder));
        assertFalse(OwnerCa.hasLegacyKeyFile(folder), "no key file is written");
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(OwnerCa.CERT_FILE), files.map(p -> p.getFileName().toString()).toList());
        }
        assertFalse(Files.readString(folder.resolve(OwnerCa.CERT_FILE)).contains("PRIVATE"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OwnerCa.load(folder, Fixtures.inMemoryKey()));
        assertTrue(e.getMessage().contains("different public key"), e.getMessage());
    }

    @Test
    void aCaKeyThatSignsWithAnotherKeyIsCaught() {
        // the signer claims one public key but signs with another: the certificate is checked before it is returned
        CaSigner honest = Fixtures.inMemoryKey();
        CaSigner other = Fixtures.inMemoryKey();
        CaSigner lying = new CaSigner() {
            @Override
            public java.security.PublicKey publicKey() {
                return honest.publicKey();
            }

            @Override
            public byte[] signTbsCertificate(byte[] tbs) {
                return other.signTbsCertificate(tbs);
            }

            @Override
            public String describe() {
                return "lying key";
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OwnerCa.create("X", owner,
                Fixtures.T0, java.time.Duration.ofDays(1), lying));
        assertTrue(e.getMessage().contains("lying key"), e.getMessage());
    }

    @Test
    void caProfile() {
        X509Certificate c = ca.certificate();
        assertEquals(0, c.getBasicConstraints());
        assertTrue(c.getKeyUsage()[5], "keyCertSign");
        assertTrue(c.getKeyUsage()[6], "cRLSign");
        assertEquals("SHA256withECDSA", c.getSigAlgName());
        assertEquals(3, c.getVersion());
        assertEquals(List.of(owner), DeviceProfile.caip10Uris(c));
        assertTrue(c.getCriticalExtensionOIDs().containsAll(List.of("2.5.29.19", "2.5.29.15")));
    }

    @Test
    void deviceProfile() throws Exception {
        X509Certificate c = plug.cert();
        assertEquals(3, c.getVersion());
        assertEquals(-1, c.getBasicConstraints());
        boolean[] ku = c.getKeyUsage();
        assertTrue(ku[0], "digitalSignature");
        for (int i = 1; i < ku.length; i++) {
            assertFalse(ku[i], "only digitalSignature, bit " + i);
        }
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), c.getExtendedKeyUsage());
        assertEquals("EC", c.getPublicKey().getAlgorithm());
        assertTrue(c.getNonCriticalExtensionOIDs().contains(DeviceProfile.DEVICE_LINK_OID.getId()));
        assertTrue(c.getNonCriticalExtensionOIDs().containsAll(List.of("2.5.29.14", "2.5.29.35", "2.5.29.17")));
        assertEquals("CN=plug-rt", c.getSubjectX500Principal().getName());
        assertTrue(c.getSerialNumber().signum() > 0 && c.getSerialNumber().bitLength() <= 159);
        DeviceProfile.DeviceFacts f = DeviceProfile.read(c);
        assertEquals(owner, f.owner());
        assertEquals(plug.payment(), f.paymentAccount());
        assertArrayEquals(PaymentKeyLink.signPersonalMessage(Fixtures.KEY0,
                PaymentKeyLink.message("plug-rt", plug.payment(), c.getPublicKey())).bytes(), f.link().bytes());
    }

    private static boolean signsFor(PrivateKey key, X509Certificate cert) throws Exception {
        byte[] data = "probe".getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(data);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(cert.getPublicKey());
        v.update(data);
        return v.verify(sig);
    }
}
