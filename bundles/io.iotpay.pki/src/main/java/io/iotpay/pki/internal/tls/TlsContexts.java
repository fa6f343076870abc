package io.iotpay.pki.internal.tls;

import io.iotpay.api.identity.VerificationResult;
import io.iotpay.pki.internal.x509.CertificateVerifier;
import io.iotpay.pki.internal.x509.Crypto;
import io.iotpay.pki.internal.x509.Pkcs12;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * Builds SSLContexts for mutual TLS between IOTPAY nodes: the key manager presents the device's P-256 key with its
 * certificate chain (device certificate, then the owner CA), the trust manager is a {@link VerifyingTrustManager}.
 * TLS 1.3 only. Servers must require client authentication ({@link #serverParameters}).
 */
public final class TlsContexts {

    /** Protocol used. */
    public static final String PROTOCOL = "TLSv1.3";

    private TlsContexts() {
    }

    /**
     * Creates a context.
     *
     * @param key the device's TLS private key (P-256)
     * @param chain device certificate first, then its CA
     * @param verifier checks peers
     * @param observer told about each peer verification, may be null
     * @return the context
     */
    public static SSLContext create(PrivateKey key, List<X509Certificate> chain, CertificateVerifier verifier,
            Consumer<VerificationResult> observer) {
        try {
            char[] transientPass = "in-memory".toCharArray();
            KeyStore ks = Pkcs12.keyStore("device", key, chain, transientPass);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, transientPass);
            SSLContext ctx = SSLContext.getInstance(PROTOCOL);
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {new VerifyingTrustManager(verifier, observer)},
                    Crypto.random());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * Key managers only (for a server that plugs its own trust manager elsewhere).
     *
     * @param key the private key
     * @param chain the chain
     * @return the key managers
     */
    public static KeyManager[] keyManagers(PrivateKey key, List<X509Certificate> chain) {
        try {
            char[] transientPass = "in-memory".toCharArray();
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(Pkcs12.keyStore("device", key, chain, transientPass), transientPass);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build key managers: " + e.getMessage(), e);
        }
    }

    /**
     * Server parameters: TLS 1.3, client certificate required.
     *
     * @param ctx the context
     * @return the parameters
     */
    public static SSLParameters serverParameters(SSLContext ctx) {
        SSLParameters p = ctx.getDefaultSSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        p.setNeedClientAuth(true);
        return p;
    }
}
