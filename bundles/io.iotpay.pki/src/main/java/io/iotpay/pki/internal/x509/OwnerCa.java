package io.iotpay.pki.internal.x509;

import io.iotpay.api.chain.AccountId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
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
 * <p><b>Storage.</b> The CA key is a certificate-authority key in the wallet's encrypted keystore (api.wallet 2.1:
 * generated there, never exported); every certificate is signed through {@link CaSigner#contentSigner()}, which hands
 * the DER TBSCertificate to {@link io.iotpay.api.wallet.Wallet#signCertificate}. The public certificate is written as
 * {@value #CERT_FILE} in the PKI folder. A CA created before this change keeps its key in the legacy PKCS#12 file
 * {@value #KEY_FILE} (PBES2/AES-256, PKI passphrase); {@link #loadLegacy} still reads it; nothing writes it any more.
 */
public final class OwnerCa {

    /** Legacy key file inside the PKI folder (CAs created before the CA key moved into the wallet). */
    public static final String KEY_FILE = "ca.p12";
    /** Certificate file inside the PKI folder. */
    public static final String CERT_FILE = "ca.pem";
    /** Alias of the CA key entry in the legacy {@value #KEY_FILE} (openssl prints it as friendlyName). */
    public static final String ALIAS = "iotpay-owner-ca";

    private final CaSigner key;
    private final X509Certificate certificate;
    private final AccountId owner;

    private OwnerCa(CaSigner key, X509Certificate certificate, AccountId owner) {
        this.key = key;
        this.certificate = certificate;
        this.owner = owner;
    }

    /**
     * Creates a new CA: its self-signed root certificate, signed by {@code key}.
     *
     * @param name human name, becomes the subject CN (e.g. "Smith household")
     * @param owner the owner's account, written as a SubjectAltName URI
     * @param notBefore start of validity
     * @param validity how long the root is valid
     * @param key the CA key (a wallet certificate-authority key in production)
     * @return the CA
     */
    public static OwnerCa create(String name, AccountId owner, Instant notBefore, Duration validity, CaSigner key) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("CA name must not be blank");
        }
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("CA validity " + validity + " must be positive");
        }
        PublicKey pub = key.publicKey();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "IOTPAY")
                .addRDN(BCStyle.CN, name).build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, Crypto.newSerial(),
                    Date.from(notBefore), Date.from(notBefore.plus(validity)), subject, pub)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(pub))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(pub))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                            new GeneralName(GeneralName.uniformResourceIdentifier, owner.toString())));
            return new OwnerCa(key, sign(b, key), owner);
        } catch (CertIOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build the CA certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Signs a certificate with the CA key (through {@link CaSigner#contentSigner()}: the builder's DER TBSCertificate
     * goes to the key holder) and checks the result against the key's public key, so a certificate the CA's key does
     * not verify never leaves this method.
     */
    static X509Certificate sign(X509v3CertificateBuilder b, CaSigner key) {
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().getCertificate(b.build(key.contentSigner()));
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot sign the certificate: " + e.getMessage(), e);
        }
        try {
            cert.verify(key.publicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the certificate signed by the " + key.describe()
                    + " does not verify with its public key: " + e.getMessage(), e);
        }
        return cert;
    }

    /**
     * Writes the CA certificate {@value #CERT_FILE} (public) into a folder (created 0700). The key stays where it is
     * (the wallet).
     *
     * @param folder the PKI folder
     */
    public void saveCertificate(Path folder) {
        SecureFiles.ensureOwnerOnlyDir(folder);
        SecureFiles.writeOwnerOnly(folder.resolve(CERT_FILE), Pem.encode(certificate));
    }

    /**
     * Tells whether a folder holds an owner CA: its certificate {@value #CERT_FILE}, or a legacy {@value #KEY_FILE}.
     *
     * @param folder the PKI folder
     * @return true if there is a CA
     */
    public static boolean exists(Path folder) {
        return Files.isRegularFile(folder.resolve(CERT_FILE)) || hasLegacyKeyFile(folder);
    }

    /**
     * Tells whether a folder holds a legacy CA key file {@value #KEY_FILE} (created before the CA key moved into the
     * wallet).
     *
     * @param folder the PKI folder
     * @return true if {@value #KEY_FILE} exists
     */
    public static boolean hasLegacyKeyFile(Path folder) {
        return Files.isRegularFile(folder.resolve(KEY_FILE));
    }

    /**
     * Loads a CA whose certificate is {@value #CERT_FILE} in the folder and whose key is {@code key}.
     *
     * @param folder the PKI folder
     * @param key the CA key (the wallet's)
     * @return the CA
     * @throws IllegalStateException if the key is not the certificate's key
     */
    public static OwnerCa load(Path folder, CaSigner key) {
        X509Certificate cert = loadCertificate(folder);
        if (!java.util.Arrays.equals(cert.getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
            throw new IllegalStateException("the owner CA certificate " + folder.resolve(CERT_FILE)
                    + " was not made with the " + key.describe() + " (different public key)");
        }
        return new OwnerCa(key, cert, ownerOf(cert));
    }

    /**
     * Loads a legacy CA from {@value #KEY_FILE} (key and certificate, PKCS#12 under the PKI passphrase).
     *
     * @param folder the PKI folder
     * @param passphrase the PKI passphrase
     * @return the CA
     * @throws IllegalArgumentException on a wrong passphrase or a file that is not an IOTPAY CA
     */
    public static OwnerCa loadLegacy(Path folder, char[] passphrase) {
        Pkcs12.KeyEntry e = Pkcs12.read(folder.resolve(KEY_FILE), passphrase);
        X509Certificate cert = e.chain().get(0);
        return new OwnerCa(CaSigner.ofKey(e.key(), cert.getPublicKey(), "legacy CA key file "
                + folder.resolve(KEY_FILE)), cert, ownerOf(cert));
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

    /** @return the CA key (signing only; same package) */
    CaSigner key() {
        return key;
    }

    /** @return where the CA key is, for people */
    public String keyDescription() {
        return key.describe();
    }
}
