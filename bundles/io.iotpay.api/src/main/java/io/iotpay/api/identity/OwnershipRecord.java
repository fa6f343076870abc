package io.iotpay.api.identity;

import static io.iotpay.api.internal.Checks.notNull;

import io.iotpay.api.chain.AccountId;

import java.math.BigInteger;
import java.util.Optional;

/**
 * One step of a device's ownership chain, rebuilt from the device registry's events: the registration (no previous
 * owner) or a transfer signed by both owners.
 *
 * @param deviceId the device
 * @param from the previous owner; empty for the registration
 * @param to the owner from this step on
 * @param nonce the registry's transfer nonce consumed by this step (0 for the first transfer); empty for the
 *        registration
 * @param blockNumber the block of the event, {@code >= 0}
 * @param txHash the transaction that emitted the event
 * @param logIndex the event's index in its block, {@code >= 0}
 * @since 1.1
 */
public record OwnershipRecord(String deviceId, Optional<AccountId> from, AccountId to, Optional<BigInteger> nonce,
        long blockNumber, String txHash, int logIndex) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if a number is negative or {@code from} and {@code nonce} disagree
     * @throws NullPointerException if a component is null
     */
    public OwnershipRecord {
        notNull(deviceId, "ownership device id");
        notNull(from, "ownership from");
        notNull(to, "ownership to");
        notNull(nonce, "ownership nonce");
        notNull(txHash, "ownership transaction hash");
        if (from.isPresent() != nonce.isPresent()) {
            throw new IllegalArgumentException("ownership record of " + deviceId
                    + ": a transfer has both a previous owner and a nonce, a registration neither");
        }
        if (nonce.isPresent() && nonce.get().signum() < 0) {
            throw new IllegalArgumentException("ownership nonce " + nonce.get() + " is negative");
        }
        if (blockNumber < 0 || logIndex < 0) {
            throw new IllegalArgumentException("ownership block number and log index must not be negative");
        }
    }

    /** @return true for the registration (first owner) */
    public boolean registration() {
        return from.isEmpty();
    }
}
