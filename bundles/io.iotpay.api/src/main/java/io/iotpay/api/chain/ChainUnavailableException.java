package io.iotpay.api.chain;

/**
 * Transient failure: the chain's node could not be reached (or kept failing) after the connector's retries.
 * Callers may retry later; nothing was sent, or it is unknown whether a transaction was sent (the message says which).
 */
public class ChainUnavailableException extends ChainException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param chain the chain concerned
     * @param message what went wrong
     */
    public ChainUnavailableException(ChainId chain, String message) {
        super(chain, message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param chain the chain concerned
     * @param message what went wrong
     * @param cause the cause, may be null
     */
    public ChainUnavailableException(ChainId chain, String message, Throwable cause) {
        super(chain, message, cause);
    }
}
