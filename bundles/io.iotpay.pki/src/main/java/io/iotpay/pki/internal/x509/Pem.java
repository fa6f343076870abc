package io.iotpay.pki.internal.x509;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * PEM (RFC 7468) for certificates and PKCS#8 private keys, compatible with {@code openssl x509}, {@code openssl verify}
 * and {@code openssl pkey}. Private keys are only written encrypted (PBES2, AES-256-CBC, PBKDF2-HMAC-SHA256).
 */
public final class Pem {

    private Pem() {
    }

    /**
     * Encodes a certificate.
     *
     * @param cert the certificate
     * @return "-----BEGIN CERTIFICATE-----" block with a trailing newline
     */
    public static String encode(X509Certificate cert) {
        try {
            String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * Encodes a chain, leaf first.
     *
     * @param chain the certificates
     * @return the concatenated PEM blocks
     */
    public static String encode(List<X509Certificate> chain) {
        StringBuilder sb = new StringBuilder();
        chain.forEach(c -> sb.append(encode(c)));
        return sb.toString();
    }

    /**
     * Parses every certificate in a PEM text (other blocks are skipped).
     *
     * @param pem the text
     * @return the certificates in order, never empty
     * @throws IllegalArgumentException if there is no parseable certificate
     */
    public static List<X509Certificate> decodeCertificates(String pem) {
        if (pem == null) {
            throw new IllegalArgumentException("PEM text is null");
        }
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof org.bouncycastle.cert.X509CertificateHolder h) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(h.getEncoded())));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("PEM text does not hold a parseable certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("PEM text holds no CERTIFICATE block");
        }
        return out;
    }

    /**
     * Encodes a private key as encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY").
     *
     * @param key the key
     * @param passphrase the passphrase, not empty
     * @return PEM text
     */
    public static String encodeEncryptedKey(PrivateKey key, char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new IllegalArgumentException("a passphrase is required to export a private key");
        }
        try {
            var enc = new JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC)
                    .setProvider(Crypto.BC).setPassword(passphrase).setIterationCount(600_000).build();
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, enc));
            }
            return sw.toString();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot encrypt the private key: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes an encrypted PKCS#8 private key (EC keys only, returned as JDK keys).
     *
     * @param pem the PEM text
     * @param passphrase the passphrase
     * @return the key
     * @throws IllegalArgumentException if the text holds no encrypted key or the passphrase is wrong
     */
    public static PrivateKey decodeEncryptedKey(String pem, char[] passphrase) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PKCS8EncryptedPrivateKeyInfo info) {
                    PrivateKeyInfo pk = info.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                            .setProvider(Crypto.BC).build(passphrase));
                    // as a JDK key, so JSSE and java.security.Signature accept it without the BC provider
                    return java.security.KeyFactory.getInstance("EC")
                            .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pk.getEncoded()));
                }
            }
        } catch (PKCSException e) {
            throw new IllegalArgumentException("wrong passphrase or corrupted private key", e);
        } catch (IOException | OperatorCreationException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("PEM text holds no ENCRYPTED PRIVATE KEY block");
    }
}
