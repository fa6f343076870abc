package io.iotpay.wallet.internal.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.iotpay.api.wallet.KeystoreException;
import io.iotpay.api.wallet.WalletLockedException;
import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.keystore.KeystoreError;
import io.iotpay.wallet.internal.keystore.KeystoreV3;

/**
 * Certificate-authority keys (ECDSA P-256) of the wallet: generated here, stored as Web3 Secret Storage v3 files in
 * the wallet's keystore folder under the wallet passphrase (same scrypt/AES-128-CTR/MAC format, same atomic owner-only
 * never-overwriting write as the account files), one file {@code ca-p256--<alias>.json} per key. The file has no
 * {@code address}; it carries {@code "curve": "P-256"}, {@code "kind": "certificate-authority"}, the alias and the
 * uncompressed public key, so it can never be taken for a secp256k1 account (the wallet's keystore import refuses
 * it, and this class refuses any file that does not name P-256).
 * <p>
 * The only signing operation is {@link #signCertificate}: a DER TBSCertificate with signature algorithm
 * ecdsa-with-SHA256, hashed here with SHA-256, signed with deterministic ECDSA (RFC 6979).
 * <p>
 * Concurrency (M6): the decrypted keys are read and zeroed only under this object's monitor; a signature is made
 * entirely under it, so {@link #close} waits for the signatures in progress and no signature ever sees a half-zeroed
 * key; after {@link #close} signing refuses with {@link WalletLockedException}.
 */
public final class CaKeyStore {
    private static final Logger LOG = LoggerFactory.getLogger(CaKeyStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** File name prefix of CA key files in the keystore folder. */
    public static final String FILE_PREFIX = "ca-p256--";
    /** The {@value KeystoreV3#CURVE_FIELD} value of CA key files. */
    public static final String CURVE = "P-256";
    /** The {@code kind} value of CA key files. */
    public static final String KIND = "certificate-authority";
    /** Allowed aliases (also safe as a file name part). */
    public static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Upper bound of a TBSCertificate the wallet accepts. */
    static final int MAX_TBS_BYTES = 64 * 1024;

    private static final X9ECParameters X9 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(X9);

    /** A decrypted key; guarded by the store's lock. */
    private static final class Entry {
        byte[] key;
        byte[] publicKey;
    }

    private final Path folder;
    private final char[] passphrase;
    private final KeystoreV3.ScryptParams scrypt;
    private final SecureRandom random;
    private final Map<String, Entry> decrypted = new HashMap<>();
    /** Set by {@link #close}: nothing is decrypted, signed or created afterwards (the passphrase is zeroed next). */
    private boolean closed;

    /**
     * @param folder the wallet's keystore folder
     * @param passphrase the wallet passphrase (the wallet's own array, not copied; null = locked)
     * @param scrypt cost of new files
     * @param random key generation and KDF salts
     */
    public CaKeyStore(Path folder, char[] passphrase, KeystoreV3.ScryptParams scrypt, SecureRandom random) {
        this.folder = folder;
        this.passphrase = passphrase;
        this.scrypt = scrypt;
        this.random = random;
    }

    /** Generates and stores a new key; returns its public key. */
    public synchronized PublicKey create(String alias) {
        requireAlias(alias);
        if (closed) {
            throw new IllegalStateException("the wallet is stopped; cannot create the certificate-authority key \""
                    + alias + "\"");
        }
        if (passphrase == null) {
            throw new IllegalStateException("the wallet has no passphrase configured (config 'passphrase' or "
                    + "environment " + io.iotpay.wallet.internal.WalletConfig.PASSPHRASE_ENV + "), so it cannot create "
                    + "the certificate-authority key \"" + alias + "\"");
        }
        Path file = file(alias);
        if (Files.exists(file)) {
            throw new IllegalArgumentException("a certificate-authority key with alias \"" + alias
                    + "\" exists already in the wallet");
        }
        ECKeyPairGenerator g = new ECKeyPairGenerator();
        g.init(new ECKeyGenerationParameters(DOMAIN, random));
        AsymmetricCipherKeyPair kp = g.generateKeyPair();
        byte[] key = BigIntegers.asUnsignedByteArray(32, ((ECPrivateKeyParameters) kp.getPrivate()).getD());
        try {
            byte[] pub = publicPoint(key);
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put(KeystoreV3.CURVE_FIELD, CURVE);
            extra.put("kind", KIND);
            extra.put("alias", alias);
            extra.put("publicKey", Bytes.toHex(pub));
            String content = KeystoreV3.encrypt(key, null, extra, passphrase, scrypt, random);
            try {
                KeystoreV3.writeAtomically(file, content);
            } catch (KeystoreError e) {
                if (Files.exists(file)) {
                    throw new IllegalArgumentException("a certificate-authority key with alias \"" + alias
                            + "\" exists already in the wallet", e);
                }
                throw toApi(e);
            }
            Entry e = new Entry();
            e.key = key;
            e.publicKey = pub;
            key = null;
            decrypted.put(alias, e);
            LOG.info("IOTPAY wallet: certificate-authority key \"{}\" (P-256) created", alias);
            return toPublicKey(pub);
        } finally {
            Bytes.wipe(key);
        }
    }

    /** The aliases of the stored keys, sorted. */
    public synchronized List<String> aliases() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, FILE_PREFIX + "*.json")) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                String alias = name.substring(FILE_PREFIX.length(), name.length() - ".json".length());
                if (ALIAS.matcher(alias).matches()) {
                    out.add(alias);
                }
            }
        } catch (IOException e) {
            throw new KeystoreException(KeystoreException.Reason.IO, "cannot list the wallet folder " + folder
                    + ": " + e, e);
        }
        out.sort(null);
        return out;
    }

    /** The public key, read from the file (no passphrase needed); checked against the key when it is decrypted. */
    public synchronized PublicKey publicKey(String alias) {
        Entry e = decrypted.get(requireAlias(alias));
        if (e != null) {
            return toPublicKey(e.publicKey);
        }
        JsonNode root = readPublic(alias);
        JsonNode pub = root.get("publicKey");
        if (pub == null || !pub.isTextual()) {
            throw corrupted(alias, "has no public key");
        }
        byte[] point;
        try {
            point = Bytes.fromHex(pub.asText(), "publicKey");
            DOMAIN.getCurve().decodePoint(point);
        } catch (RuntimeException ex) {
            throw corrupted(alias, "has an invalid public key");
        }
        return toPublicKey(point);
    }

    /**
     * Signs a DER TBSCertificate with signature algorithm ecdsa-with-SHA256: SHA-256 over exactly these bytes,
     * deterministic ECDSA, DER {@code Ecdsa-Sig-Value}.
     */
    public byte[] signCertificate(String alias, byte[] tbsCertificate) {
        requireAlias(alias);
        TBSCertificate tbs = parseTbs(tbsCertificate);
        byte[] digest = new byte[32];
        SHA256Digest sha = new SHA256Digest();
        sha.update(tbsCertificate, 0, tbsCertificate.length);
        sha.doFinal(digest, 0);
        byte[] der;
        synchronized (this) {
            der = ecdsaSha256Der(unlocked(alias).key, digest);
        }
        LOG.info("IOTPAY wallet: certificate-authority key \"{}\" signed certificate serial {} for {}", alias,
                tbs.getSerialNumber().getValue().toString(16), tbs.getSubject());
        return der;
    }

    /**
     * Deterministic ECDSA (RFC 6979, HMAC-SHA256) over P-256 of a SHA-256 digest computed by this class; DER
     * {@code SEQUENCE { r, s }}.
     */
    static byte[] ecdsaSha256Der(byte[] key, byte[] sha256) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(new BigInteger(1, key), DOMAIN));
        BigInteger[] rs = signer.generateSignature(sha256);
        try {
            return StandardDSAEncoding.INSTANCE.encode(DOMAIN.getN(), rs[0], rs[1]);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot encode the ECDSA signature", ex);
        }
    }

    /**
     * Deactivation: waits for a signature or creation in progress, zeroes every decrypted key and refuses everything
     * that needs a key or the passphrase afterwards. Idempotent.
     */
    public synchronized void close() {
        closed = true;
        for (Entry e : decrypted.values()) {
            Bytes.wipe(e.key);
            e.key = null;
        }
        decrypted.clear();
    }

    /** Whether a key is held decrypted (tests). */
    synchronized boolean anyKeyInMemory() {
        return decrypted.values().stream().anyMatch(e -> e.key != null);
    }

    /** The in-memory key arrays (tests check that they are zeroed). */
    public synchronized List<byte[]> keyArrays() {
        List<byte[]> out = new ArrayList<>();
        decrypted.values().forEach(e -> out.add(e.key));
        return out;
    }

    // ------------------------------------------------------------------------------------------------ internals

    /** Checks the input: one DER TBSCertificate, nothing before or after it, signature ecdsa-with-SHA256. */
    static TBSCertificate parseTbs(byte[] der) {
        if (der == null || der.length == 0) {
            throw new IllegalArgumentException("the TBSCertificate to sign is missing");
        }
        if (der.length > MAX_TBS_BYTES) {
            throw new IllegalArgumentException("the TBSCertificate to sign is " + der.length + " bytes, more than "
                    + MAX_TBS_BYTES);
        }
        TBSCertificate tbs;
        try {
            tbs = TBSCertificate.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the data to sign is not a DER TBSCertificate (RFC 5280): "
                    + e.getMessage());
        }
        try {
            if (!Arrays.equals(tbs.getEncoded(ASN1Encoding.DER), der)) {
                throw new IllegalArgumentException("the data to sign is a TBSCertificate but not in DER encoding");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the TBSCertificate cannot be re-encoded: " + e.getMessage());
        }
        AlgorithmIdentifier alg = tbs.getSignature();
        if (!X9ObjectIdentifiers.ecdsa_with_SHA256.equals(alg.getAlgorithm()) || alg.getParameters() != null) {
            throw new IllegalArgumentException("the TBSCertificate names signature algorithm "
                    + alg.getAlgorithm().getId() + (alg.getParameters() != null ? " with parameters" : "")
                    + "; a certificate-authority key signs only ecdsa-with-SHA256 ("
                    + X9ObjectIdentifiers.ecdsa_with_SHA256.getId() + ", no parameters)");
        }
        return tbs;
    }

    private Entry unlocked(String alias) {
        if (closed) {
            throw new WalletLockedException("certificate-authority key \"" + alias + "\" (the wallet is stopped)");
        }
        if (passphrase == null) {
            throw new WalletLockedException("certificate-authority key \"" + alias + "\" (the wallet has no "
                    + "passphrase configured: config 'passphrase' or environment "
                    + io.iotpay.wallet.internal.WalletConfig.PASSPHRASE_ENV + ")");
        }
        Entry e = decrypted.get(alias);
        if (e != null) {
            return e;
        }
        JsonNode root = readPublic(alias);
        byte[] key;
        try {
            key = KeystoreV3.decrypt(file(alias), passphrase, 32, 32).privateKey();
        } catch (KeystoreError ex) {
            throw toApi(ex);
        }
        BigInteger d = new BigInteger(1, key);
        if (d.signum() == 0 || d.compareTo(DOMAIN.getN()) >= 0) {
            Bytes.wipe(key);
            throw corrupted(alias, "holds no valid P-256 private key");
        }
        byte[] pub = publicPoint(key);
        JsonNode stored = root.get("publicKey");
        if (stored == null || !Bytes.toHex(pub).equalsIgnoreCase(stored.asText())) {
            Bytes.wipe(key);
            throw corrupted(alias, "names a public key that does not belong to its private key");
        }
        e = new Entry();
        e.key = key;
        e.publicKey = pub;
        decrypted.put(alias, e);
        return e;
    }

    /** Reads the file's public fields (no decryption) and checks that it is a P-256 CA key file. */
    private JsonNode readPublic(String alias) {
        Path f = file(alias);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the wallet holds no certificate-authority key with alias \"" + alias
                    + "\"");
        } catch (IOException e) {
            throw new KeystoreException(KeystoreException.Reason.IO, "cannot read the certificate-authority key \""
                    + alias + "\": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !CURVE.equals(text(root, KeystoreV3.CURVE_FIELD))
                || !KIND.equals(text(root, "kind")) || !alias.equals(text(root, "alias"))) {
            throw corrupted(alias, "is not a P-256 certificate-authority key file for this alias");
        }
        return root;
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private Path file(String alias) {
        return folder.resolve(FILE_PREFIX + alias + ".json");
    }

    private static String requireAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw new IllegalArgumentException("certificate-authority key alias \"" + alias + "\" must match "
                    + ALIAS.pattern());
        }
        return alias;
    }

    /** Uncompressed point {@code 04 || x || y} of a private scalar. */
    static byte[] publicPoint(byte[] key) {
        ECPoint q = new FixedPointCombMultiplier().multiply(DOMAIN.getG(), new BigInteger(1, key)).normalize();
        return q.getEncoded(false);
    }

    static PublicKey toPublicKey(byte[] point) {
        try {
            byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                    SECObjectIdentifiers.secp256r1), point).getEncoded(ASN1Encoding.DER);
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the P-256 public key: " + e.getMessage(), e);
        }
    }

    private static KeystoreException corrupted(String alias, String what) {
        return new KeystoreException(KeystoreException.Reason.CORRUPTED, "the certificate-authority key file of \""
                + alias + "\" " + what, null);
    }

    private static KeystoreException toApi(KeystoreError e) {
        return new KeystoreException(KeystoreException.Reason.valueOf(e.kind().name()), e.getMessage(), e);
    }
}
