package io.iotpay.api.chain;

/**
 * Receives contract events from a {@link ChainConnector#subscribe subscription}. Called on a connector thread, in
 * chain order; implementations must return quickly and must not throw.
 */
@FunctionalInterface
public interface ChainEventListener {

    /**
     * Called for each new event, and again with {@link ChainEvent#removed()} set if a reorganisation removed it.
     *
     * @param e the event
     */
    void onEvent(ChainEvent e);
}
