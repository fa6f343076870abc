package io.iotpay.api.chain;

import static io.iotpay.api.internal.Checks.copyOfLength;
import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.toHex;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An anchored Merkle root as recorded on chain.
 *
 * @param batchId the batch id, {@code >= 0}
 * @param root the Merkle root, 32 bytes (copied in and out)
 * @param leafCount number of leaves, {@code >= 1}
 * @param blockNumber the block that recorded it, {@code >= 0}
 * @param timestamp the block time
 * @param tx the anchoring transaction
 */
public record Anchor(long batchId, byte[] root, long leafCount, long blockNumber, Instant timestamp, TxHash tx) {

    /**
     * Validates the fields and copies the root.
     *
     * @throws IllegalArgumentException if a number is out of range or the root is not 32 bytes
     * @throws NullPointerException if a reference field is null
     */
    public Anchor {
        root = copyOfLength(root, 32, "anchor root");
        notNull(timestamp, "anchor timestamp");
        notNull(tx, "anchor transaction");
        if (batchId < 0) {
            throw new IllegalArgumentException("anchor batch id " + batchId + " is negative");
        }
        if (leafCount < 1) {
            throw new IllegalArgumentException("anchor leaf count " + leafCount + " is invalid: expected >= 1");
        }
        if (blockNumber < 0) {
            throw new IllegalArgumentException("anchor block number " + blockNumber + " is negative");
        }
    }

    /**
     * Returns a copy of the root.
     *
     * @return 32 bytes
     */
    @Override
    public byte[] root() {
        return root.clone();
    }

    /**
     * Compares all fields, the root by content.
     *
     * @param o the other object
     * @return true if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Anchor a && batchId == a.batchId && Arrays.equals(root, a.root) && leafCount == a.leafCount
                && blockNumber == a.blockNumber && timestamp.equals(a.timestamp) && tx.equals(a.tx);
    }

    /**
     * Hashes all fields, the root by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(batchId, Arrays.hashCode(root), leafCount, blockNumber, timestamp, tx);
    }

    /**
     * Shows all fields, the root as hex.
     *
     * @return a readable form
     */
    @Override
    public String toString() {
        return "Anchor[batchId=" + batchId + ", root=" + toHex(root) + ", leafCount=" + leafCount + ", blockNumber="
                + blockNumber + ", timestamp=" + timestamp + ", tx=" + tx + "]";
    }
}
