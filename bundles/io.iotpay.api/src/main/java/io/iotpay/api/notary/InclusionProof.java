package io.iotpay.api.notary;

import static io.iotpay.api.internal.Checks.copyOfLength;
import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.toHex;

import io.iotpay.api.chain.TxHash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Proof that a leaf is in an anchored Merkle tree: the sibling hashes from the leaf up to the root.
 *
 * @param leaf the leaf
 * @param siblings sibling hashes, leaf level first, 32 bytes each (deep-copied in and out)
 * @param root the Merkle root, 32 bytes (copied in and out)
 * @param leafCount leaves in the tree, {@code > leaf.index()}
 * @param anchorTx the transaction that anchored the root, or null if not anchored yet
 */
public record InclusionProof(LeafRef leaf, List<byte[]> siblings, byte[] root, long leafCount, TxHash anchorTx) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a hash is not 32 bytes or the leaf index is outside the tree
     * @throws NullPointerException if a required component or a sibling is null
     */
    public InclusionProof {
        notNull(leaf, "proof leaf");
        notNull(siblings, "proof siblings");
        List<byte[]> copy = new ArrayList<>(siblings.size());
        for (int i = 0; i < siblings.size(); i++) {
            copy.add(copyOfLength(siblings.get(i), 32, "proof sibling " + i));
        }
        siblings = Collections.unmodifiableList(copy);
        root = copyOfLength(root, 32, "proof root");
        if (leafCount <= leaf.index()) {
            throw new IllegalArgumentException("proof leaf index " + leaf.index() + " is outside a tree of "
                    + leafCount + " leaves");
        }
    }

    /**
     * Returns copies of the sibling hashes.
     *
     * @return a new mutable list of copies
     */
    @Override
    public List<byte[]> siblings() {
        List<byte[]> copy = new ArrayList<>(siblings.size());
        siblings.forEach(s -> copy.add(s.clone()));
        return copy;
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
     * Compares all fields, hashes by content.
     *
     * @param o the other object
     * @return true if equal
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InclusionProof p) || siblings.size() != p.siblings.size()) {
            return false;
        }
        for (int i = 0; i < siblings.size(); i++) {
            if (!Arrays.equals(siblings.get(i), p.siblings.get(i))) {
                return false;
            }
        }
        return leaf.equals(p.leaf) && Arrays.equals(root, p.root) && leafCount == p.leafCount
                && Objects.equals(anchorTx, p.anchorTx);
    }

    /**
     * Hashes all fields, hashes by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        int h = Objects.hash(leaf, Arrays.hashCode(root), leafCount, anchorTx);
        for (byte[] s : siblings) {
            h = 31 * h + Arrays.hashCode(s);
        }
        return h;
    }

    /**
     * Shows all fields, hashes as hex.
     *
     * @return a readable form
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("InclusionProof[leaf=").append(leaf).append(", siblings=[");
        for (int i = 0; i < siblings.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(toHex(siblings.get(i)));
        }
        return sb.append("], root=").append(toHex(root)).append(", leafCount=").append(leafCount)
                .append(", anchorTx=").append(anchorTx).append(']').toString();
    }
}
