package io.iotpay.api.chain;

import io.iotpay.api.wallet.Signature;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Client of the on-chain device registry: which device certificates are valid (registered, not revoked) and who owns a
 * device. Certificates are identified by the SHA-256 hash of their DER encoding. Transactions are signed through the
 * wallet; see {@link ChainConnector} for the exceptions. Byte arrays are copied, never kept.
 */
public interface DeviceRegistryClient {

    /**
     * Registers a device certificate for a device owned by {@code owner}.
     *
     * @param owner the owner, signs the transaction
     * @param certHash32 SHA-256 of the certificate (32 bytes)
     * @param deviceId the device id
     * @return the transaction hash
     */
    TxHash register(AccountId owner, byte[] certHash32, String deviceId);

    /**
     * Revokes a device certificate.
     *
     * @param owner the owner, signs the transaction
     * @param certHash32 SHA-256 of the certificate (32 bytes)
     * @return the transaction hash
     */
    TxHash revoke(AccountId owner, byte[] certHash32);

    /**
     * Tells whether a certificate is registered and not revoked, at the latest block.
     *
     * @param certHash32 SHA-256 of the certificate (32 bytes)
     * @return true if valid
     */
    boolean isValid(byte[] certHash32);

    /**
     * Returns the owner of a device.
     *
     * @param deviceId the device id
     * @return the owner, or empty if the device is not registered
     */
    Optional<AccountId> ownerOf(String deviceId);

    /**
     * Transfers a device to a new owner with the signatures of both owners over {@link #transferDigest}.
     *
     * @param deviceId the device id
     * @param from the current owner
     * @param to the new owner
     * @param fromSig signature of the current owner
     * @param toSig signature of the new owner
     * @param nonce the registry's transfer nonce for the device (replay protection)
     * @param deadline after this time the signatures are no longer accepted
     * @return the transaction hash (sent by {@code from})
     */
    TxHash transferOwnership(String deviceId, AccountId from, AccountId to, Signature fromSig, Signature toSig,
            BigInteger nonce, Instant deadline);

    /**
     * Computes the digest both owners sign to transfer a device (EIP-712 on EVM chains, its own typed structure).
     *
     * @param deviceId the device id
     * @param from the current owner
     * @param to the new owner
     * @param nonce the transfer nonce
     * @param deadline the deadline
     * @return the 32-byte digest
     */
    byte[] transferDigest(String deviceId, AccountId from, AccountId to, BigInteger nonce, Instant deadline);

    /**
     * Returns the registry contract's account, e.g. to {@link ChainConnector#subscribe subscribe} to its events or to
     * build the typed data of an ownership transfer.
     *
     * @return the contract
     * @throws UnsupportedOperationException if this client does not expose it (the default)
     * @since 1.1
     */
    default AccountId contract() {
        throw new UnsupportedOperationException("this device registry client does not expose its contract");
    }

    /**
     * Tells whether a certificate hash is valid, revoked or was never anchored, at the latest block.
     *
     * @param certHash32 SHA-256 of the certificate (32 bytes)
     * @return the status
     * @throws UnsupportedOperationException if this client cannot tell (the default)
     * @since 1.1
     */
    default CertificateStatus certificateStatus(byte[] certHash32) {
        throw new UnsupportedOperationException("this device registry client cannot report certificate status");
    }

    /**
     * Returns the nonce the next ownership transfer of a device must carry (the number of transfers so far).
     *
     * @param deviceId the device id
     * @return the nonce, {@code >= 0}
     * @throws UnsupportedOperationException if this client cannot tell (the default)
     * @since 1.1
     */
    default BigInteger transferNonce(String deviceId) {
        throw new UnsupportedOperationException("this device registry client cannot report transfer nonces");
    }

    /**
     * Reads, from the chain's event log, every ownership event of a device from the first block to the latest, in
     * chain order: {@code DeviceRegistered} (fields {@code deviceId}, {@code owner}) and {@code OwnershipTransferred}
     * (fields {@code deviceId}, {@code from}, {@code to}, {@code nonce}). Addresses are lower-case hex text, the nonce a
     * {@code java.math.BigInteger}. The caller replays them to rebuild (and check) the ownership chain without trusting
     * any single read of {@link #ownerOf}.
     *
     * @param deviceId the device id
     * @return the events, oldest first; empty if the device was never registered
     * @throws UnsupportedOperationException if this client cannot read events (the default)
     * @since 1.1
     */
    default List<ChainEvent> ownershipEvents(String deviceId) {
        throw new UnsupportedOperationException("this device registry client cannot read ownership events");
    }
}
