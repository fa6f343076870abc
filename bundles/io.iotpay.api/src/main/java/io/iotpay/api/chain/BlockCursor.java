package io.iotpay.api.chain;

import static io.iotpay.api.internal.Checks.notNull;

/**
 * A position in the chain used to resume event subscriptions: the last fully processed block. Keeping the hash lets
 * a connector detect that the block was reorganised away while the subscriber was stopped.
 *
 * @param blockNumber the block number, {@code >= 0}
 * @param blockHash the block hash (chain-specific text)
 */
public record BlockCursor(long blockNumber, String blockHash) {

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if the block number is negative
     * @throws NullPointerException if the hash is null
     */
    public BlockCursor {
        notNull(blockHash, "cursor block hash");
        if (blockNumber < 0) {
            throw new IllegalArgumentException("cursor block number " + blockNumber + " is negative");
        }
    }
}
