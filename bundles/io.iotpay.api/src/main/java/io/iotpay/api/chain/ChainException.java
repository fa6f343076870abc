package io.iotpay.api.chain;

import static io.iotpay.api.internal.Checks.notNull;

/**
 * Base class of failures reported by a chain connector. Messages never contain keys or secrets.
 * Subclasses tell what went wrong; a plain {@code ChainException} is an unexpected chain error.
 */
public class ChainException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ChainId chain;

    /**
     * Creates the exception.
     *
     * @param chain the chain concerned
     * @param message what went wrong
     */
    public ChainException(ChainId chain, String message) {
        this(chain, message, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param chain the chain concerned
     * @param message what went wrong
     * @param cause the cause, may be null
     */
    public ChainException(ChainId chain, String message, Throwable cause) {
        super(message, cause);
        this.chain = notNull(chain, "exception chain");
    }

    /**
     * Returns the chain concerned.
     *
     * @return the chain
     */
    public ChainId chain() {
        return chain;
    }
}
