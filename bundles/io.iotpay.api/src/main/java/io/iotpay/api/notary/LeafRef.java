package io.iotpay.api.notary;

import static io.iotpay.api.internal.Checks.copyOfLength;
import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.toHex;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where a notarised record sits: its stream, batch, index and leaf hash.
 *
 * @param stream the stream name (e.g. {@code readings}, {@code receipts}), not blank
 * @param batchId the batch, {@code >= 0}
 * @param index the leaf index in the batch, {@code >= 0}
 * @param leafHash the leaf hash, 32 bytes (copied in and out)
 */
public record LeafRef(String stream, long batchId, long index, byte[] leafHash) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a number is negative, the stream blank or the hash not 32 bytes
     * @throws NullPointerException if a component is null
     */
    public LeafRef {
        notNull(stream, "leaf stream");
        if (stream.isBlank()) {
            throw new IllegalArgumentException("leaf stream must not be blank");
        }
        if (batchId < 0 || index < 0) {
            throw new IllegalArgumentException("leaf batch " + batchId + " / index " + index
                    + " is invalid: expected >= 0");
        }
        leafHash = copyOfLength(leafHash, 32, "leaf hash");
    }

    /**
     * Returns a copy of the leaf hash.
     *
     * @return 32 bytes
     */
    @Override
    public byte[] leafHash() {
        return leafHash.clone();
    }

    /**
     * Compares all fields, the hash by content.
     *
     * @param o the other object
     * @return true if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof LeafRef l && stream.equals(l.stream) && batchId == l.batchId && index == l.index
                && Arrays.equals(leafHash, l.leafHash);
    }

    /**
     * Hashes all fields, the hash by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(stream, batchId, index, Arrays.hashCode(leafHash));
    }

    /**
     * Shows all fields, the hash as hex.
     *
     * @return a readable form
     */
    @Override
    public String toString() {
        return "LeafRef[stream=" + stream + ", batchId=" + batchId + ", index=" + index + ", leafHash="
                + toHex(leafHash) + "]";
    }
}
