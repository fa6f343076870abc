package io.iotpay.api.wallet;

/**
 * Whiteboard service notified of spending decisions the wallet made (for notifications, openHAB triggers, audits).
 * Called on a wallet thread; implementations must return quickly and must not throw.
 */
public interface WalletListener {

    /**
     * Called after the wallet refused a payment; the same exception is thrown to the caller.
     *
     * @param e the refusal
     */
    void onSpendingRefused(SpendingRefusedException e);

    /**
     * Called when a payment waits for approval. Does nothing by default.
     *
     * @param p the pending approval
     */
    default void onApprovalRequested(PendingApproval p) {
    }
}
