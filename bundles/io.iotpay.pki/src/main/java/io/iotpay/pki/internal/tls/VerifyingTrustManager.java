package io.iotpay.pki.internal.tls;

import io.iotpay.api.identity.VerificationResult;
import io.iotpay.pki.internal.x509.CertificateVerifier;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.function.Consumer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that accepts a TLS peer only if {@link CertificateVerifier} says its device certificate chain is
 * VALID: trusted CA, dates, payment-key link, owner, and on-chain anchoring/revocation. Host names are not checked:
 * IOTPAY peers are identified by device id and payment account from the certificate, not by DNS names; callers that
 * need the peer's identity read it from the session's peer certificate.
 *
 * <p>The refusal is a {@link CertificateException} whose message starts with {@code "IOTPAY peer certificate
 * <STATUS>: "} followed by the verifier's detail, so logs and callers see the reason (the TLS alert the peer gets is
 * the standard certificate_unknown / bad_certificate).
 */
public final class VerifyingTrustManager extends X509ExtendedTrustManager {

    private final CertificateVerifier verifier;
    private final Consumer<VerificationResult> observer;

    /**
     * @param verifier the verifier
     * @param observer told about every verification outcome (e.g. to log refusals), may be null
     */
    public VerifyingTrustManager(CertificateVerifier verifier, Consumer<VerificationResult> observer) {
        this.verifier = verifier;
        this.observer = observer;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("IOTPAY peer presented no certificate");
        }
        VerificationResult r = verifier.verify(Arrays.asList(chain));
        if (observer != null) {
            observer.accept(r);
        }
        if (!r.valid()) {
            throw new CertificateException("IOTPAY peer certificate " + r.status() + ": " + r.detail());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    /**
     * Announces no CA names: the peer then sends its certificate whatever its issuer, and the refusal (if any) comes
     * from {@link CertificateVerifier} with a clear reason instead of a bare "empty certificate chain". It is also
     * required for {@code ANY_ANCHORED}, where issuers are not known in advance.
     *
     * @return an empty array
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
