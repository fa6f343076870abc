package io.iotpay.api.chain;

import static io.iotpay.api.internal.Checks.notNull;

/**
 * A transaction was mined but reverted (or failed in simulation before sending, then {@link #tx()} is null).
 */
public class TransactionRevertedException extends ChainException {

    private static final long serialVersionUID = 1L;

    private final transient TxHash tx;
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param chain the chain
     * @param tx the reverted transaction, or null if the revert happened during simulation (nothing was sent)
     * @param reason the decoded revert reason or custom error name, or {@code "unknown"}; never null
     */
    public TransactionRevertedException(ChainId chain, TxHash tx, String reason) {
        super(chain, (tx == null ? "transaction simulation" : "transaction " + tx.hash()) + " reverted: "
                + notNull(reason, "revert reason"));
        this.tx = tx;
        this.reason = reason;
    }

    /**
     * Returns the reverted transaction.
     *
     * @return the transaction hash, or null if the transaction was never sent
     */
    public TxHash tx() {
        return tx;
    }

    /**
     * Returns the revert reason.
     *
     * @return the decoded reason, custom error name, or {@code "unknown"}
     */
    public String reason() {
        return reason;
    }
}
