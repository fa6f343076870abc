package io.iotpay.api.chain;

/**
 * A running event subscription. Closing it stops delivery; closing twice is harmless.
 */
public interface Subscription extends AutoCloseable {

    /**
     * Returns the last block whose events have all been delivered; persist it to resume later.
     *
     * @return the cursor
     */
    BlockCursor cursor();

    /** Stops the subscription. Never throws a checked exception. */
    @Override
    void close();
}
