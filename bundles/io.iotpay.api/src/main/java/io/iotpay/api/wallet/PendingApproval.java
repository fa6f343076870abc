package io.iotpay.api.wallet;

import static io.iotpay.api.internal.Checks.notNull;

import java.time.Instant;

/**
 * A payment waiting for a person's approval because its increment is above the policy's approval threshold.
 *
 * @param id the approval id, to pass to {@link Wallet#approve} or {@link Wallet#deny}
 * @param intent the payment
 * @param requestedAt when approval was requested
 */
public record PendingApproval(String id, PaymentIntent intent, Instant requestedAt) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the id is empty
     * @throws NullPointerException if a component is null
     */
    public PendingApproval {
        notNull(id, "approval id");
        notNull(intent, "approval intent");
        notNull(requestedAt, "approval requestedAt");
        if (id.isBlank()) {
            throw new IllegalArgumentException("approval id must not be blank");
        }
    }
}
