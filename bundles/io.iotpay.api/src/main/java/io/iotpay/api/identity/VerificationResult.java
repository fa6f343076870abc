package io.iotpay.api.identity;

import static io.iotpay.api.internal.Checks.notNull;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of verifying a device certificate chain.
 *
 * @param valid true exactly when {@code status} is {@link Status#VALID}
 * @param status the outcome
 * @param detail human-readable explanation, never null
 * @param checkedAt when the check (including the on-chain lookup) was made
 * @param cacheAge age of the on-chain registry data used ({@link Duration#ZERO} if fetched now)
 */
public record VerificationResult(boolean valid, Status status, String detail, Instant checkedAt, Duration cacheAge) {

    /** Verification outcomes; only {@link #VALID} is a success. */
    public enum Status {
        /** Valid. */
        VALID,
        /** Past notAfter. */
        EXPIRED,
        /** Before notBefore. */
        NOT_YET_VALID,
        /** Issued by a CA not trusted. */
        UNKNOWN_CA,
        /** A signature in the chain does not verify. */
        BAD_SIGNATURE,
        /** Revoked in the on-chain registry. */
        REVOKED,
        /** Not registered in the on-chain registry. */
        NOT_ANCHORED,
        /** The registered owner is not trusted. */
        OWNER_NOT_TRUSTED
    }

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if {@code valid} disagrees with the status or the cache age is negative
     * @throws NullPointerException if a component is null
     */
    public VerificationResult {
        notNull(status, "verification status");
        notNull(detail, "verification detail");
        notNull(checkedAt, "verification checkedAt");
        notNull(cacheAge, "verification cache age");
        if (valid != (status == Status.VALID)) {
            throw new IllegalArgumentException("verification valid=" + valid + " contradicts status " + status);
        }
        if (cacheAge.isNegative()) {
            throw new IllegalArgumentException("verification cache age " + cacheAge + " is negative");
        }
    }

    /**
     * Creates a result whose {@code valid} flag follows the status.
     *
     * @param status the outcome
     * @param detail explanation
     * @param checkedAt when checked
     * @param cacheAge age of registry data
     * @return the result
     */
    public static VerificationResult of(Status status, String detail, Instant checkedAt, Duration cacheAge) {
        return new VerificationResult(status == Status.VALID, status, detail, checkedAt, cacheAge);
    }
}
