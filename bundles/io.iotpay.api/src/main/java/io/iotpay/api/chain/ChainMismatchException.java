package io.iotpay.api.chain;

/**
 * The node behind a connector reports another chain than the one configured (for example a BSC connector pointed at an
 * Ethereum node). The connector refuses to sign or send anything until this is fixed.
 */
public class ChainMismatchException extends ChainException {

    private static final long serialVersionUID = 1L;

    private final transient ChainId actual;

    /**
     * Creates the exception.
     *
     * @param configured the chain the connector is configured for
     * @param actual the chain the node reports
     */
    public ChainMismatchException(ChainId configured, ChainId actual) {
        super(configured, "node reports chain " + actual + " but the connector is configured for " + configured);
        this.actual = actual;
    }

    /**
     * Returns the chain the node reports.
     *
     * @return the actual chain
     */
    public ChainId actual() {
        return actual;
    }
}
