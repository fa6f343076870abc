package io.iotpay.api.identity;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.TxHash;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The owner's device PKI: issues device certificates from the owner CA, registers them on chain, verifies peers'
 * certificate chains against trusted CAs and the on-chain registry, revokes.
 */
public interface DeviceIdentity {

    /**
     * Issues a certificate for a device and registers its hash on chain.
     *
     * @param deviceId the device
     * @param paymentAccount the account the device is paid to
     * @param validity how long the certificate is valid, positive
     * @return the certificate
     */
    DeviceCertificate issue(String deviceId, AccountId paymentAccount, Duration validity);

    /**
     * Verifies a PEM certificate chain (device certificate first). Never throws for invalid certificates: the result
     * says why.
     *
     * @param pemChain the chain in PEM
     * @return the result
     * @throws IllegalArgumentException if the text is not PEM at all
     */
    VerificationResult verify(String pemChain);

    /**
     * Revokes the current certificate of a device on chain.
     *
     * @param deviceId the device
     * @return the revocation transaction
     * @throws IllegalArgumentException if no certificate was issued for the device
     */
    TxHash revoke(String deviceId);

    /**
     * Looks up the registered owner of a device.
     *
     * @param deviceId the device
     * @return the owner, or empty
     */
    Optional<AccountId> ownerOf(String deviceId);

    /**
     * Lists the certificates this node issued.
     *
     * @return the certificates
     */
    List<DeviceCertificate> certificates();

    /**
     * Returns the full ownership chain of a device, rebuilt from the on-chain registry's events and checked step by
     * step (each transfer starts at the previous owner and consumes the next nonce). Its last record's owner equals
     * {@link #ownerOf}.
     *
     * @param deviceId the device
     * @return the records, registration first; empty if the device was never registered
     * @throws IllegalStateException if the events do not form a consistent chain
     * @throws UnsupportedOperationException if the implementation cannot read history (the default)
     * @since 1.1
     */
    default List<OwnershipRecord> history(String deviceId) {
        throw new UnsupportedOperationException("ownership history is not available");
    }

    /**
     * Returns the current certificate chain of a device issued on this node, as a peer presents it: PEM, the device
     * certificate first, then its CA certificate.
     *
     * @param deviceId the device
     * @return the PEM chain; empty if no certificate was issued here for the device
     * @throws UnsupportedOperationException if the implementation keeps no issued chains (the default)
     * @since 1.2
     */
    default Optional<String> certificateChain(String deviceId) {
        throw new UnsupportedOperationException("issued certificate chains are not available");
    }

    /**
     * Returns a mutual-TLS context for peer connections of a device issued on this node: it presents the device's
     * TLS key (P-256) with its certificate chain, and accepts a peer only if its chain verifies as {@code VALID}
     * here, as {@link #verify} would say at handshake time (trusted CA, dates, payment-key link, allowed owner,
     * on-chain anchoring and revocation within the configured cache freshness). Host names are not checked: peers
     * are identified by the payment account in their certificate. TLS 1.3 only; servers must require client
     * certificates.
     *
     * @param deviceId the local device whose certificate is presented
     * @return a new context (build one again after the device's certificate changes)
     * @throws IllegalArgumentException if no certificate was issued here for the device
     * @throws IllegalStateException if the device's key cannot be read (e.g. the keys are locked)
     * @throws UnsupportedOperationException if the implementation has no TLS support (the default)
     * @since 1.3
     */
    default javax.net.ssl.SSLContext tlsContext(String deviceId) {
        throw new UnsupportedOperationException("mutual TLS is not available");
    }
}
