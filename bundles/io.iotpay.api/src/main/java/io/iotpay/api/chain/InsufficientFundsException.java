package io.iotpay.api.chain;

/**
 * The sending account cannot pay the amount plus the fee. Nothing was sent.
 */
public class InsufficientFundsException extends ChainException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param chain the chain concerned
     * @param message what went wrong
     */
    public InsufficientFundsException(ChainId chain, String message) {
        super(chain, message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param chain the chain concerned
     * @param message what went wrong
     * @param cause the cause, may be null
     */
    public InsufficientFundsException(ChainId chain, String message, Throwable cause) {
        super(chain, message, cause);
    }
}
