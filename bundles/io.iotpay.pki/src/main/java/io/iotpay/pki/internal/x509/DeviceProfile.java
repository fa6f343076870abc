package io.iotpay.pki.internal.x509;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.identity.DeviceCertificate;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The IOTPAY device certificate profile: where each IOTPAY fact lives in an X.509 certificate, and how to read it back.
 * See {@code docs/pki.md} for the full profile.
 *
 * <ul>
 * <li>device id: subject {@code CN};</li>
 * <li>payment account: a SubjectAltName {@code uniformResourceIdentifier} holding the bare CAIP-10 string, e.g.
 * {@code eip155:31337:0xf39f...} (a CAIP-10 string is a syntactically valid absolute URI whose scheme is the CAIP-2
 * namespace, and {@code openssl x509 -text} prints it as {@code URI:eip155:31337:0x...});</li>
 * <li>owner and payment-key link: the non-critical extension {@link #DEVICE_LINK_OID}:
 *
 * <pre>
 * IotpayDeviceLink ::= SEQUENCE {
 *     version        INTEGER,        -- 1
 *     owner          UTF8String,     -- CAIP-10 account of the owner (the CA's household / fleet operator)
 *     linkScheme     UTF8String,     -- "eip191-personal-sign"
 *     linkSignature  OCTET STRING }  -- 65 bytes r||s||v by the payment key, see PaymentKeyLink
 * </pre>
 *
 * </li>
 * </ul>
 * A CA certificate carries its owner's CAIP-10 account the same way as a SubjectAltName URI.
 */
public final class DeviceProfile {

    /**
     * Arc owned by IOTPAY without registration: {@code 2.25.<UUID>} (ITU-T X.667 / RFC 4122 UUID-derived OID), from
     * the random UUID 7a3bca0e-7b6c-401d-9763-217035e2cdb1.
     */
    public static final ASN1ObjectIdentifier IOTPAY_ARC = new ASN1ObjectIdentifier(
            "2.25.162476259194545027135337028979133697457");
    /** The device-link extension. */
    public static final ASN1ObjectIdentifier DEVICE_LINK_OID = IOTPAY_ARC.branch("1");
    /** Version written in the extension. */
    public static final int LINK_VERSION = 1;
    /** The only link scheme so far. */
    public static final String LINK_SCHEME = "eip191-personal-sign";

    private DeviceProfile() {
    }

    /** The IOTPAY facts read from a device certificate. */
    public record DeviceFacts(String deviceId, AccountId paymentAccount, AccountId owner, Signature link) {
    }

    /**
     * Encodes the device-link extension value.
     *
     * @param owner the owner account
     * @param link the payment-key link signature
     * @return the DER-encodable value
     */
    public static ASN1Encodable encodeLink(AccountId owner, Signature link) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(LINK_VERSION));
        v.add(new DERUTF8String(owner.toString()));
        v.add(new DERUTF8String(LINK_SCHEME));
        v.add(new DEROctetString(link.bytes()));
        return new DERSequence(v);
    }

    /**
     * Reads the IOTPAY facts from a certificate.
     *
     * @param cert the device certificate
     * @return the facts
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static DeviceFacts read(X509Certificate cert) {
        String deviceId = commonName(cert).orElseThrow(
                () -> new IllegalArgumentException("certificate subject has no CN (device id)"));
        AccountId payment = caip10Uris(cert).stream().findFirst().orElseThrow(
                () -> new IllegalArgumentException("certificate has no CAIP-10 SubjectAltName URI (payment account)"));
        byte[] ext = cert.getExtensionValue(DEVICE_LINK_OID.getId());
        if (ext == null) {
            throw new IllegalArgumentException("certificate has no IOTPAY device-link extension " + DEVICE_LINK_OID);
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(
                    ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets()));
            if (seq.size() != 4) {
                throw new IllegalArgumentException("device-link extension has " + seq.size() + " fields, expected 4");
            }
            int version = ASN1Integer.getInstance(seq.getObjectAt(0)).intValueExact();
            if (version != LINK_VERSION) {
                throw new IllegalArgumentException("device-link extension version " + version + " is not supported");
            }
            AccountId owner = AccountId.parse(DERUTF8String.getInstance(seq.getObjectAt(1)).getString());
            String scheme = DERUTF8String.getInstance(seq.getObjectAt(2)).getString();
            if (!LINK_SCHEME.equals(scheme)) {
                throw new IllegalArgumentException("device-link scheme \"" + scheme + "\" is not supported");
            }
            byte[] sig = ASN1OctetString.getInstance(seq.getObjectAt(3)).getOctets();
            return new DeviceFacts(deviceId, payment, owner, new Signature(sig, SignatureScheme.SECP256K1_RECOVERABLE));
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
                    && iae.getMessage().startsWith("device-link")) {
                throw iae;
            }
            throw new IllegalArgumentException("device-link extension is malformed: " + e.getMessage(), e);
        }
    }

    /**
     * The subject CN.
     *
     * @param cert a certificate
     * @return the first CN, if any
     */
    public static Optional<String> commonName(X509Certificate cert) {
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] cn = name.getRDNs(BCStyle.CN);
        return cn.length == 0 ? Optional.empty()
                : Optional.of(IETFUtils.valueToString(cn[0].getFirst().getValue()));
    }

    /**
     * All SubjectAltName URIs that parse as CAIP-10 accounts.
     *
     * @param cert a certificate
     * @return the accounts, in certificate order
     */
    public static List<AccountId> caip10Uris(X509Certificate cert) {
        List<AccountId> out = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (ext == null) {
            return out;
        }
        GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(ext).getOctets());
        for (GeneralName n : names.getNames()) {
            if (n.getTagNo() == GeneralName.uniformResourceIdentifier) {
                try {
                    out.add(AccountId.parse(n.getName().toString()));
                } catch (IllegalArgumentException notCaip10) {
                    // other URIs are allowed and ignored
                }
            }
        }
        return out;
    }

    /**
     * SHA-256 of the DER encoding: the on-chain registry key.
     *
     * @param cert a certificate
     * @return 32 bytes
     */
    public static byte[] hash(X509Certificate cert) {
        try {
            return PaymentKeyLink.sha256(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * Converts to the API value.
     *
     * @param cert the device certificate
     * @return the API record
     */
    public static DeviceCertificate toApi(X509Certificate cert) {
        DeviceFacts f = read(cert);
        return new DeviceCertificate(f.deviceId(), f.paymentAccount(), f.owner(),
                cert.getSubjectX500Principal().getName(), cert.getIssuerX500Principal().getName(),
                cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), hash(cert), Pem.encode(cert));
    }
}
