package io.iotpay.api.notary;

import io.iotpay.api.chain.Anchor;

import java.util.Optional;

/**
 * Notarises records: appends their hashes to Merkle batches per stream, anchors batch roots on chain and proves single
 * records later without revealing the others.
 */
public interface Notary {

    /**
     * Records data in a stream. Only its hash is kept in the tree; the caller keeps the data to prove it later.
     *
     * @param stream the stream name
     * @param data the record bytes
     * @return where the record sits
     */
    LeafRef record(String stream, byte[] data);

    /**
     * Closes the current batch (if it has leaves) and anchors its root on chain now.
     *
     * @return the anchor, or empty if nothing was pending
     */
    Optional<Anchor> anchorPending();

    /**
     * Builds the inclusion proof of a recorded leaf.
     *
     * @param leaf the leaf
     * @return the proof
     * @throws IllegalArgumentException if the leaf is unknown
     */
    InclusionProof prove(LeafRef leaf);

    /**
     * Checks that data is the recorded leaf of a proof and that the proof leads to its root (and, if anchored, that
     * the root is the one on chain).
     *
     * @param proof the proof
     * @param data the record bytes
     * @return true if everything matches
     */
    boolean verify(InclusionProof proof, byte[] data);
}
