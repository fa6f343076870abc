package io.iotpay.api.chain;

/**
 * The estimated gas (or fee) of a transaction is above the connector's configured cap. Nothing was sent.
 */
public class GasLimitExceededException extends ChainException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param chain the chain concerned
     * @param message what went wrong
     */
    public GasLimitExceededException(ChainId chain, String message) {
        super(chain, message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param chain the chain concerned
     * @param message what went wrong
     * @param cause the cause, may be null
     */
    public GasLimitExceededException(ChainId chain, String message, Throwable cause) {
        super(chain, message, cause);
    }
}
