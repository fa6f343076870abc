package io.iotpay.api.chain;

import java.util.Optional;

/**
 * Client of the on-chain anchoring contract that stores Merkle roots of notarised batches. Transactions are signed
 * through the wallet by the connector's configured anchoring account; see {@link ChainConnector} for the exceptions.
 */
public interface AnchorClient {

    /**
     * Anchors a Merkle root.
     *
     * @param merkleRoot32 the root (32 bytes)
     * @param batchId the batch id, unique per anchoring account, {@code >= 0}
     * @param leafCount the number of leaves in the tree, {@code >= 1}
     * @return the transaction hash
     */
    TxHash anchor(byte[] merkleRoot32, long batchId, long leafCount);

    /**
     * Reads an anchored batch.
     *
     * @param batchId the batch id
     * @return the anchor, or empty if the batch was never anchored
     */
    Optional<Anchor> anchorOf(long batchId);
}
