package io.iotpay.api.chain;

import static io.iotpay.api.internal.Checks.notNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What the on-chain device registry records about one certificate hash: unlike
 * {@link DeviceRegistryClient#isValid}, it tells a revoked certificate from one that was never anchored.
 *
 * @param state the state
 * @param anchoredAt when the certificate was anchored (block time), empty if never
 * @param revokedAt when it was revoked (block time), empty unless {@link State#REVOKED}
 * @since 1.1
 */
public record CertificateStatus(State state, Optional<Instant> anchoredAt, Optional<Instant> revokedAt) {

    /** The registry's view of a certificate hash. */
    public enum State {
        /** The hash was never anchored. */
        NOT_ANCHORED,
        /** Anchored and not revoked. */
        VALID,
        /** Anchored, then revoked (final). */
        REVOKED
    }

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the times do not fit the state
     * @throws NullPointerException if a component is null
     */
    public CertificateStatus {
        notNull(state, "certificate state");
        notNull(anchoredAt, "certificate anchoredAt");
        notNull(revokedAt, "certificate revokedAt");
        if ((state == State.NOT_ANCHORED) == anchoredAt.isPresent()) {
            throw new IllegalArgumentException("certificate state " + state + " contradicts anchoredAt " + anchoredAt);
        }
        if ((state == State.REVOKED) != revokedAt.isPresent()) {
            throw new IllegalArgumentException("certificate state " + state + " contradicts revokedAt " + revokedAt);
        }
    }
}
