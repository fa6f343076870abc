package io.iotpay.pki.internal.x509;

import io.iotpay.api.chain.AccountId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The owner certificate authority of a household or fleet operator: a self-signed root that issues device
 * certificates.
 *
 * <p><b>Why P-256 and not secp256k1.</b> The CA signs X.509 certificates that TLS stacks (JSSE, OpenSSL, browsers,
 * embedded mbedTLS/wolfSSL) and {@code openssl verify} must check. They all support ECDSA over P-256 (prime256v1) with
 * SHA-256; TLS 1.3 removed secp256k1 from its signature schemes and most stacks cannot verify it. The payment key stays
 * secp256k1 (it is what the chain checks) and is bound to the certificate by a separate signature (see
 * {@link PaymentKeyLink}), so each key does the job its verifiers understand.
 *
 * <p><b>Storage.</b> The wallet's keystore API signs only payment intents and never exposes keys, so the CA key lives
 * in its own PKCS#12 file {@value #KEY_FILE} (PBES2/AES-256, passphrase from configuration or the environment
 * variable {@code IOTPAY_PKI_PASSPHRASE}), owner-only (0600) in an owner-only folder; the public certificate is also
 * written as {@value #CERT_FILE}.
 */
public final class OwnerCa {

    /** Key file inside the PKI folder. */
    public static final String KEY_FILE = "ca.p12";
    /** Certificate file inside the PKI folder. */
    public static final String CERT_FILE = "ca.pem";
    /** Alias of the CA key entry (openssl prints it as friendlyName). */
    public static final String ALIAS = "iotpay-owner-ca";

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final AccountId owner;

    private OwnerCa(PrivateKey key, X509Certificate certificate, AccountId owner) {
        this.key = key;
        this.certificate = certificate;
        this.owner = owner;
    }

    /**
     * Creates a new CA in memory.
     *
     * @param name human name, becomes the subject CN (e.g. "Smith household")
     * @param owner the owner's account, written as a SubjectAltName URI
     * @param notBefore start of validity
     * @param validity how long the root is valid
     * @return the CA
     */
    public static OwnerCa create(String name, AccountId owner, Instant notBefore, Duration validity) {
        Objects.requireNonNull(owner, "owner");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("CA name must not be blank");
        }
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("CA validity " + validity + " must be positive");
        }
        KeyPair kp = Crypto.newP256KeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "IOTPAY")
                .addRDN(BCStyle.CN, name).build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, Crypto.newSerial(),
                    Date.from(notBefore), Date.from(notBefore.plus(validity)), subject, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(kp.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(kp.getPublic()))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                            new GeneralName(GeneralName.uniformResourceIdentifier, owner.toString())));
            return new OwnerCa(kp.getPrivate(), sign(b, kp.getPrivate()), owner);
        } catch (CertIOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build the CA certificate: " + e.getMessage(), e);
        }
    }

    static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signingKey) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(Crypto.SIGNATURE_ALGORITHM).setProvider(Crypto.BC)
                    .build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot sign the certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@value #KEY_FILE} (encrypted, 0600) and {@value #CERT_FILE} into a folder (created 0700).
     *
     * @param folder the PKI folder
     * @param passphrase protects the key, not empty
     */
    public void save(Path folder, char[] passphrase) {
        SecureFiles.ensureOwnerOnlyDir(folder);
        Pkcs12.write(folder.resolve(KEY_FILE), ALIAS, key, List.of(certificate), passphrase);
        SecureFiles.writeOwnerOnly(folder.resolve(CERT_FILE), Pem.encode(certificate));
    }

    /**
     * Tells whether a folder holds a CA key.
     *
     * @param folder the PKI folder
     * @return true if {@value #KEY_FILE} exists
     */
    public static boolean exists(Path folder) {
        return Files.isRegularFile(folder.resolve(KEY_FILE));
    }

    /**
     * Loads the CA from a folder.
     *
     * @param folder the PKI folder
     * @param passphrase the passphrase
     * @return the CA
     * @throws IllegalArgumentException on a wrong passphrase or a file that is not an IOTPAY CA
     */
    public static OwnerCa load(Path folder, char[] passphrase) {
        Pkcs12.KeyEntry e = Pkcs12.read(folder.resolve(KEY_FILE), passphrase);
        X509Certificate cert = e.chain().get(0);
        return new OwnerCa(e.key(), cert, ownerOf(cert));
    }

    /**
     * Reads only the public CA certificate of a folder.
     *
     * @param folder the PKI folder
     * @return the certificate
     */
    public static X509Certificate loadCertificate(Path folder) {
        try {
            return Pem.decodeCertificates(Files.readString(folder.resolve(CERT_FILE), StandardCharsets.UTF_8)).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder.resolve(CERT_FILE), e);
        }
    }

    /**
     * The owner a CA certificate names in its SubjectAltName.
     *
     * @param caCert a CA certificate
     * @return the owner
     * @throws IllegalArgumentException if it names none
     */
    public static AccountId ownerOf(X509Certificate caCert) {
        return DeviceProfile.caip10Uris(caCert).stream().findFirst().orElseThrow(() -> new IllegalArgumentException(
                "CA certificate " + caCert.getSubjectX500Principal().getName() + " names no owner CAIP-10 URI"));
    }

    /** @return the CA certificate */
    public X509Certificate certificate() {
        return certificate;
    }

    /** @return the CA public key */
    public PublicKey publicKey() {
        return certificate.getPublicKey();
    }

    /** @return the owner account */
    public AccountId owner() {
        return owner;
    }

    /** @return the serial of the CA certificate */
    public BigInteger serial() {
        return certificate.getSerialNumber();
    }

    PrivateKey privateKey() {
        return key;
    }
}
