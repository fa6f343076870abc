package io.iotpay.pki.internal.x509;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.device.DeviceIds;
import io.iotpay.api.wallet.Signature;

import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * Issues X.509 v3 device certificates from an {@link OwnerCa} (profile in {@link DeviceProfile} and
 * {@code docs/pki.md}). The payment-key link signature is checked before anything is signed, so the CA never issues a
 * certificate whose link would not verify.
 */
public final class DeviceCertificateIssuer {

    private final OwnerCa ca;

    /**
     * @param ca the issuing CA
     */
    public DeviceCertificateIssuer(OwnerCa ca) {
        this.ca = Objects.requireNonNull(ca, "ca");
    }

    /**
     * Issues a device certificate.
     *
     * @param deviceId device id, becomes the subject CN
     * @param paymentAccount the device's payment account, a SubjectAltName URI
     * @param tlsKey the device's TLS public key (P-256)
     * @param link the payment key's signature over {@link PaymentKeyLink#message}
     * @param notBefore start of validity
     * @param notAfter end of validity
     * @return the certificate
     * @throws IllegalArgumentException if an input is invalid or the link does not verify
     */
    public X509Certificate issue(String deviceId, AccountId paymentAccount, PublicKey tlsKey, Signature link,
            Instant notBefore, Instant notAfter) {
        return issue(deviceId, paymentAccount, tlsKey, link, notBefore, notAfter, true);
    }

    /** Package-private for tests: {@code checkLink = false} lets a test build a certificate with a broken link. */
    X509Certificate issue(String deviceId, AccountId paymentAccount, PublicKey tlsKey, Signature link,
            Instant notBefore, Instant notAfter, boolean checkLink) {
        DeviceIds.require(deviceId);
        Objects.requireNonNull(paymentAccount, "paymentAccount");
        Objects.requireNonNull(tlsKey, "tlsKey");
        Objects.requireNonNull(link, "link");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " must be after notBefore " + notBefore);
        }
        if (checkLink) {
            PaymentKeyLink.check(deviceId, paymentAccount, tlsKey, link).ifPresent(why -> {
                throw new IllegalArgumentException("refusing to issue for " + deviceId + ": " + why);
            });
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, deviceId).build();
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, Crypto.newSerial(),
                    Date.from(notBefore), Date.from(notAfter), subject, tlsKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(tlsKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(ca.certificate()))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                            new GeneralName(GeneralName.uniformResourceIdentifier, paymentAccount.toString())))
                    .addExtension(DeviceProfile.DEVICE_LINK_OID, false, DeviceProfile.encodeLink(ca.owner(), link));
            return OwnerCa.sign(b, ca.key());
        } catch (CertIOException | NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot build the device certificate: " + e.getMessage(), e);
        }
    }

    /** @return the issuing CA */
    public OwnerCa ca() {
        return ca;
    }
}
