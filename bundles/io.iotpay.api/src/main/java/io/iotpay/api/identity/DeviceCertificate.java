package io.iotpay.api.identity;

import static io.iotpay.api.internal.Checks.copyOfLength;
import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.toHex;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.device.DeviceIds;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A device certificate issued by its owner's CA, binding a device id to a payment account.
 *
 * @param deviceId the device
 * @param paymentAccount the account the device is paid to
 * @param owner the owner's account (as registered on chain)
 * @param subject the certificate subject DN
 * @param issuer the issuer DN
 * @param notBefore start of validity
 * @param notAfter end of validity, after {@code notBefore}
 * @param sha256 SHA-256 of the DER encoding, 32 bytes (copied in and out); the on-chain registry key
 * @param pem the certificate in PEM
 */
public record DeviceCertificate(String deviceId, AccountId paymentAccount, AccountId owner, String subject,
        String issuer, Instant notBefore, Instant notAfter, byte[] sha256, String pem) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the device id or hash length is invalid or validity is inverted
     * @throws NullPointerException if a component is null
     */
    public DeviceCertificate {
        DeviceIds.require(deviceId);
        notNull(paymentAccount, "certificate payment account");
        notNull(owner, "certificate owner");
        notNull(subject, "certificate subject");
        notNull(issuer, "certificate issuer");
        notNull(notBefore, "certificate notBefore");
        notNull(notAfter, "certificate notAfter");
        sha256 = copyOfLength(sha256, 32, "certificate sha256");
        notNull(pem, "certificate pem");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("certificate of " + deviceId + " has notAfter " + notAfter
                    + " not after notBefore " + notBefore);
        }
    }

    /**
     * Returns a copy of the certificate hash.
     *
     * @return 32 bytes
     */
    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /**
     * Compares all fields, the hash by content.
     *
     * @param o the other object
     * @return true if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCertificate c && deviceId.equals(c.deviceId)
                && paymentAccount.equals(c.paymentAccount) && owner.equals(c.owner) && subject.equals(c.subject)
                && issuer.equals(c.issuer) && notBefore.equals(c.notBefore) && notAfter.equals(c.notAfter)
                && Arrays.equals(sha256, c.sha256) && pem.equals(c.pem);
    }

    /**
     * Hashes all fields, the hash by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(deviceId, paymentAccount, owner, subject, issuer, notBefore, notAfter,
                Arrays.hashCode(sha256), pem);
    }

    /**
     * Shows the identifying fields (not the PEM).
     *
     * @return a readable form
     */
    @Override
    public String toString() {
        return "DeviceCertificate[deviceId=" + deviceId + ", paymentAccount=" + paymentAccount + ", owner=" + owner
                + ", subject=" + subject + ", issuer=" + issuer + ", notBefore=" + notBefore + ", notAfter="
                + notAfter + ", sha256=" + toHex(sha256) + "]";
    }
}
