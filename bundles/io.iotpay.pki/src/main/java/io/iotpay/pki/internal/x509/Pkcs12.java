package io.iotpay.pki.internal.x509;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * PKCS#12 files through the JDK's own implementation, which (since JDK 12) writes PBES2 with
 * PBKDF2-HMAC-SHA256/AES-256-CBC for keys and certificates and an HMAC-SHA256 MAC: OpenSSL 3 reads them
 * ({@code openssl pkcs12 -info -in x.p12}). Files holding a key are written owner-only (0600).
 */
public final class Pkcs12 {

    /** A key entry read back: the key and its chain, leaf first. */
    public record KeyEntry(PrivateKey key, List<X509Certificate> chain) {
    }

    private Pkcs12() {
    }

    /**
     * Builds an in-memory PKCS#12 key store with one key entry.
     *
     * @param alias the alias
     * @param key the private key
     * @param chain the chain, leaf first
     * @param passphrase protects the key
     * @return the key store
     */
    public static KeyStore keyStore(String alias, PrivateKey key, List<X509Certificate> chain, char[] passphrase) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(alias, key, passphrase, chain.toArray(new Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a key entry, atomically, owner-only.
     *
     * @param file the target
     * @param alias the alias (openssl shows it as friendlyName)
     * @param key the private key
     * @param chain the chain, leaf first
     * @param passphrase protects file and key, not empty
     */
    public static void write(Path file, String alias, PrivateKey key, List<X509Certificate> chain, char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new IllegalArgumentException("a passphrase is required to write a PKCS#12 key file");
        }
        KeyStore ks = keyStore(alias, key, chain, passphrase);
        SecureFiles.writeOwnerOnly(file, out -> store(ks, out, passphrase));
    }

    /**
     * Writes certificates only (trusted-certificate entries, e.g. a CA to hand out), atomically.
     *
     * @param file the target
     * @param certs the certificates; aliases are "cert-0", "cert-1", ...
     * @param passphrase integrity passphrase, not empty
     */
    public static void writeCertificates(Path file, List<X509Certificate> certs, char[] passphrase) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < certs.size(); i++) {
                ks.setCertificateEntry("cert-" + i, certs.get(i));
            }
            SecureFiles.writeOwnerOnly(file, out -> store(ks, out, passphrase));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKCS#12 certificate store: " + e.getMessage(), e);
        }
    }

    private static void store(KeyStore ks, OutputStream out, char[] passphrase) throws IOException {
        try {
            ks.store(out, passphrase);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode PKCS#12: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the first key entry.
     *
     * @param file the file
     * @param passphrase the passphrase
     * @return the entry
     * @throws IllegalArgumentException if the passphrase is wrong, the file is corrupted, or it holds no key
     */
    public static KeyEntry read(Path file, char[] passphrase) {
        KeyStore ks = load(file, passphrase);
        try {
            for (String alias : java.util.Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    Key k = ks.getKey(alias, passphrase);
                    Certificate[] chain = ks.getCertificateChain(alias);
                    if (k instanceof PrivateKey pk && chain != null) {
                        return new KeyEntry(pk, Arrays.stream(chain).map(X509Certificate.class::cast).toList());
                    }
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("wrong passphrase for the key in " + file.getFileName(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the key in " + file.getFileName() + ": "
                    + e.getMessage(), e);
        }
        throw new IllegalArgumentException(file.getFileName() + " holds no private key entry");
    }

    /**
     * Reads every certificate in the file (key-entry chains and trusted entries).
     *
     * @param file the file
     * @param passphrase the passphrase
     * @return the certificates
     */
    public static List<X509Certificate> readCertificates(Path file, char[] passphrase) {
        KeyStore ks = load(file, passphrase);
        try {
            java.util.LinkedHashSet<X509Certificate> out = new java.util.LinkedHashSet<>();
            for (String alias : java.util.Collections.list(ks.aliases())) {
                Certificate[] chain = ks.getCertificateChain(alias);
                if (chain != null) {
                    Arrays.stream(chain).map(X509Certificate.class::cast).forEach(out::add);
                } else if (ks.getCertificate(alias) instanceof X509Certificate c) {
                    out.add(c);
                }
            }
            return List.copyOf(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read certificates in " + file.getFileName(), e);
        }
    }

    private static KeyStore load(Path file, char[] passphrase) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, passphrase);
            return ks;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException("wrong passphrase for " + file.getFileName(), e);
            }
            throw new IllegalArgumentException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
