package io.iotpay.api.chain;

import static io.iotpay.api.internal.Checks.notNull;

import java.time.Instant;

/**
 * Health of a chain connection as last checked by its connector.
 *
 * @param chain the chain
 * @param reachable true if the node answered and reports the configured chain id
 * @param headBlock the latest block number seen, or {@code -1} if never reached
 * @param checkedAt when the check was made
 * @param detail a human-readable explanation (node version, error), never null, may be empty; never contains secrets
 */
public record ChainStatus(ChainId chain, boolean reachable, long headBlock, Instant checkedAt, String detail) {

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if {@code headBlock < -1}
     * @throws NullPointerException if a reference field is null
     */
    public ChainStatus {
        notNull(chain, "status chain");
        notNull(checkedAt, "status checkedAt");
        notNull(detail, "status detail");
        if (headBlock < -1) {
            throw new IllegalArgumentException("status head block " + headBlock + " is invalid: expected >= -1");
        }
    }
}
