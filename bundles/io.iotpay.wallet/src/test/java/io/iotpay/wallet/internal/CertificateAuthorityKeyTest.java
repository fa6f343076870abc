package io.iotpay.wallet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.iotpay.api.wallet.KeystoreException;
import io.iotpay.api.wallet.WalletLockedException;
import io.iotpay.wallet.internal.ca.CaKeyStore;
import io.iotpay.wallet.internal.crypto.Secp256k1Provider;

/** Certificate-authority keys (P-256) inside the wallet: storage, restart, signing, refusals. */
class CertificateAuthorityKeyTest {
    private static final String PASS = "household passphrase";

    @TempDir
    Path dir;

    private final List<WalletService> started = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(WalletService::deactivate);
    }

    private WalletService start(String passphrase) {
        WalletService w = new WalletService(WalletServiceTest.config(dir.resolve("keystore").toString(), passphrase),
                Map.of(), Clock.systemUTC(), Secp256k1Provider.create(), new SecureRandom());
        started.add(w);
        return w;
    }

    /** A DER TBSCertificate as an X.509 library would build it (self-signed, given signature algorithm). */
    static byte[] tbs(PublicKey subjectKey, AlgorithmIdentifier sigAlg, long serial) throws Exception {
        V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
        X500Name name = new X500Name("O=IOTPAY,CN=Test household");
        g.setSerialNumber(new ASN1Integer(serial));
        g.setSignature(sigAlg);
        g.setIssuer(name);
        g.setSubject(name);
        g.setStartDate(new Time(new java.util.Date(1_767_225_600_000L)));
        g.setEndDate(new Time(new java.util.Date(1_893_456_000_000L)));
        g.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
        return g.generateTBSCertificate().getEncoded(ASN1Encoding.DER);
    }

    static final AlgorithmIdentifier ECDSA_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);

    /** The whole certificate: TBSCertificate, algorithm, signature (RFC 5280 4.1), parsed by the JDK. */
    static X509Certificate certificate(byte[] tbs, byte[] signature) throws Exception {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(TBSCertificate.getInstance(tbs));
        v.add(ECDSA_SHA256);
        v.add(new DERBitString(signature));
        byte[] der = new DERSequence(v).getEncoded(ASN1Encoding.DER);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    static boolean jdkVerifies(PublicKey key, byte[] data, byte[] signature) throws Exception {
        java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
        s.initVerify(key);
        s.update(data);
        return s.verify(signature);
    }

    @Test
    void createSignRestartAndSignAgainWithTheSameKey() throws Exception {
        WalletService w = start(PASS);
        PublicKey pub = w.createCertificateAuthorityKey("owner-ca");
        assertEquals("EC", pub.getAlgorithm());
        assertEquals(new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16),
                ((ECPublicKey) pub).getParams().getOrder(), "the P-256 group order");
        assertEquals(pub, w.certificateAuthorityPublicKey("owner-ca"));
        assertEquals(List.of("owner-ca"), w.certificateAuthorityKeys());
        assertTrue(w.accounts().isEmpty(), "a CA key is not an account");

        byte[] tbs = tbs(pub, ECDSA_SHA256, 1);
        byte[] sig = w.signCertificate("owner-ca", tbs);
        assertTrue(jdkVerifies(pub, tbs, sig), "the JDK verifies SHA256withECDSA over the TBSCertificate");
        X509Certificate cert = certificate(tbs, sig);
        cert.verify(pub); // the assembled self-signed root verifies with its own key
        assertEquals("SHA256withECDSA", cert.getSigAlgName());

        w.deactivate();
        started.remove(w);
        WalletService again = start(PASS);
        assertEquals(List.of("owner-ca"), again.certificateAuthorityKeys());
        assertEquals(pub, again.certificateAuthorityPublicKey("owner-ca"), "the same key after a restart");
        byte[] tbs2 = tbs(pub, ECDSA_SHA256, 2);
        byte[] sig2 = again.signCertificate("owner-ca", tbs2);
        assertTrue(jdkVerifies(pub, tbs2, sig2));
        certificate(tbs2, sig2).verify(pub);
        // deterministic ECDSA (RFC 6979): the same TBSCertificate gives the same signature
        assertArrayEquals(sig, again.signCertificate("owner-ca", tbs));

        PublicKey other = again.createCertificateAuthorityKey("fleet-ca");
        assertNotEquals(pub, other);
        assertEquals(List.of("fleet-ca", "owner-ca"), again.certificateAuthorityKeys());
        assertFalse(jdkVerifies(pub, tbs, again.signCertificate("fleet-ca", tbs)), "each alias its own key");
    }

    @Test
    void keyFileIsEncryptedMarkedP256AndOwnerOnly() throws Exception {
        WalletService w = start(PASS);
        PublicKey pub = w.createCertificateAuthorityKey("owner-ca");
        w.signCertificate("owner-ca", tbs(pub, ECDSA_SHA256, 7));
        List<byte[]> keys = w.keyArrays();
        assertEquals(1, keys.size());
        byte[] scalar = keys.get(0).clone();
        assertEquals(32, scalar.length);
        assertFalse(Arrays.equals(new byte[32], scalar));

        Path folder = dir.resolve("keystore");
        Path file = folder.resolve("ca-p256--owner-ca.json");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        byte[] raw = Files.readAllBytes(file);
        String text = new String(raw, StandardCharsets.UTF_8);
        String hex = HexFormat.of().formatHex(scalar);
        assertFalse(text.toLowerCase(java.util.Locale.ROOT).contains(hex), "no private scalar in hex");
        assertFalse(text.contains(new BigInteger(1, scalar).toString()), "no private scalar in decimal");
        assertFalse(text.contains(java.util.Base64.getEncoder().encodeToString(scalar)), "no private scalar in base64");
        assertEquals(-1, indexOf(raw, scalar), "no private scalar as raw bytes");

        JsonNode json = new ObjectMapper().readTree(text);
        assertEquals("P-256", json.get("curve").asText());
        assertEquals("certificate-authority", json.get("kind").asText());
        assertEquals("owner-ca", json.get("alias").asText());
        assertFalse(json.has("address"), "no address: it is not an account");
        assertEquals(3, json.get("version").asInt());
        assertEquals("scrypt", json.get("crypto").get("kdf").asText());
        assertEquals("aes-128-ctr", json.get("crypto").get("cipher").asText());

        // the wallet's keystore import never takes it for a secp256k1 account
        KeystoreException e = assertThrows(KeystoreException.class,
                () -> w.importKeystore("stolen", file, PASS.toCharArray()));
        assertEquals(KeystoreException.Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("P-256"), e.getMessage());
        assertTrue(w.accounts().isEmpty());

        w.deactivate();
        started.remove(w);
        assertArrayEquals(new byte[32], keys.get(0), "key array zeroed on deactivate");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void onlyDerTbsCertificatesWithEcdsaSha256AreSigned() throws Exception {
        WalletService w = start(PASS);
        PublicKey pub = w.createCertificateAuthorityKey("owner-ca");
        byte[] good = tbs(pub, ECDSA_SHA256, 3);
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(good);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.signCertificate("owner-ca", digest));
        assertTrue(e.getMessage().contains("TBSCertificate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.signCertificate("owner-ca", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.signCertificate("owner-ca", null));
        assertThrows(IllegalArgumentException.class,
                () -> w.signCertificate("owner-ca", "hello".getBytes(StandardCharsets.UTF_8)));
        // a whole certificate is not a TBSCertificate
        byte[] cert = certificate(good, w.signCertificate("owner-ca", good)).getEncoded();
        assertThrows(IllegalArgumentException.class, () -> w.signCertificate("owner-ca", cert));
        // trailing bytes after the TBSCertificate
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        assertThrows(IllegalArgumentException.class, () -> w.signCertificate("owner-ca", trailing));
        // another signature algorithm named in the TBSCertificate
        byte[] sha384 = tbs(pub, new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA384), 4);
        IllegalArgumentException alg = assertThrows(IllegalArgumentException.class,
                () -> w.signCertificate("owner-ca", sha384));
        assertTrue(alg.getMessage().contains("1.2.840.10045.4.3.3"), alg.getMessage());
        byte[] withParams = tbs(pub, new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256, DERNull.INSTANCE),
                5);
        assertThrows(IllegalArgumentException.class, () -> w.signCertificate("owner-ca", withParams));
        // the good one still signs
        assertTrue(jdkVerifies(pub, good, w.signCertificate("owner-ca", good)));
    }

    @Test
    void aliasesAreCheckedAndNamed() throws Exception {
        WalletService w = start(PASS);
        PublicKey pub = w.createCertificateAuthorityKey("owner-ca");
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> w.createCertificateAuthorityKey("owner-ca"));
        assertTrue(dup.getMessage().contains("\"owner-ca\"") && dup.getMessage().contains("exists"),
                dup.getMessage());
        assertEquals(pub, w.certificateAuthorityPublicKey("owner-ca"), "the duplicate did not replace the key");
        byte[] tbs = tbs(pub, ECDSA_SHA256, 1);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> w.signCertificate("nobody-ca", tbs));
        assertTrue(unknown.getMessage().contains("\"nobody-ca\""), unknown.getMessage());
        IllegalArgumentException unknownPub = assertThrows(IllegalArgumentException.class,
                () -> w.certificateAuthorityPublicKey("nobody-ca"));
        assertTrue(unknownPub.getMessage().contains("\"nobody-ca\""), unknownPub.getMessage());
        for (String bad : new String[] {"", "../x", "a/b", ".hidden", "x".repeat(65)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.createCertificateAuthorityKey(bad), bad);
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> w.createCertificateAuthorityKey(null));
        assertEquals(List.of("owner-ca"), w.certificateAuthorityKeys());
    }

    @Test
    void aLockedWalletRefusesAndAWrongPassphraseDoesNotDecrypt() throws Exception {
        WalletService w = start(PASS);
        PublicKey pub = w.createCertificateAuthorityKey("owner-ca");
        w.deactivate();
        started.remove(w);
        byte[] tbs = tbs(pub, ECDSA_SHA256, 1);

        WalletService locked = start("");
        WalletLockedException e = assertThrows(WalletLockedException.class,
                () -> locked.signCertificate("owner-ca", tbs));
        assertTrue(e.getMessage().contains("\"owner-ca\""), e.getMessage());
        assertThrows(IllegalStateException.class, () -> locked.createCertificateAuthorityKey("other-ca"));
        assertEquals(pub, locked.certificateAuthorityPublicKey("owner-ca"), "the public key needs no passphrase");
        assertEquals(List.of("owner-ca"), locked.certificateAuthorityKeys());

        WalletService wrong = start("not the passphrase");
        KeystoreException k = assertThrows(KeystoreException.class, () -> wrong.signCertificate("owner-ca", tbs));
        assertEquals(KeystoreException.Reason.WRONG_PASSPHRASE, k.reason());
    }

    @Test
    void aTamperedPublicKeyIsDetectedBeforeSigning() throws Exception {
        WalletService w = start(PASS);
        w.createCertificateAuthorityKey("owner-ca");
        PublicKey foreign = w.createCertificateAuthorityKey("foreign-ca");
        w.deactivate();
        started.remove(w);
        Path file = dir.resolve("keystore/ca-p256--owner-ca.json");
        Path foreignFile = dir.resolve("keystore/ca-p256--foreign-ca.json");
        ObjectMapper m = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode) m
                .readTree(Files.readString(file));
        json.put("publicKey", m.readTree(Files.readString(foreignFile)).get("publicKey").asText());
        Files.writeString(file, json.toString());
        WalletService again = start(PASS);
        KeystoreException e = assertThrows(KeystoreException.class,
                () -> again.signCertificate("owner-ca", tbs(foreign, ECDSA_SHA256, 1)));
        assertEquals(KeystoreException.Reason.CORRUPTED, e.reason());
        assertTrue(e.getMessage().contains("owner-ca"), e.getMessage());
    }

    @Test
    void caKeyFilesAreNotListedAsAccountsAndSurviveAlongsideThem() throws Exception {
        WalletService w = start(PASS);
        w.importMnemonic("payer", WalletServiceTest.ANVIL, io.iotpay.api.chain.ChainId.DEVNET, 0);
        PublicKey pub = w.createCertificateAuthorityKey("payer"); // CA-key aliases are their own namespace
        w.deactivate();
        started.remove(w);
        WalletService again = start(PASS);
        assertEquals(1, again.accounts().size());
        assertEquals(List.of("payer"), again.certificateAuthorityKeys());
        byte[] tbs = tbs(pub, ECDSA_SHA256, 9);
        assertTrue(jdkVerifies(pub, tbs, again.signCertificate("payer", tbs)));
        assertTrue(Files.exists(dir.resolve("keystore").resolve(CaKeyStore.FILE_PREFIX + "payer.json")));
    }
}
