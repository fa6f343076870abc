package io.iotpay.api.money;

/**
 * Two amounts (or prices, limits) of different assets were combined or compared. The message names both assets.
 */
public class AssetMismatchException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Asset expected;
    private final transient Asset actual;

    /**
     * Creates the exception.
     *
     * @param operation what was attempted, e.g. {@code "plus"}
     * @param expected the asset of the left-hand side
     * @param actual the asset of the right-hand side
     */
    public AssetMismatchException(String operation, Asset expected, Asset actual) {
        super("asset mismatch in " + operation + ": " + expected + " vs " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    /**
     * Returns the asset of the left-hand side.
     *
     * @return the expected asset
     */
    public Asset expected() {
        return expected;
    }

    /**
     * Returns the asset of the right-hand side.
     *
     * @return the actual asset
     */
    public Asset actual() {
        return actual;
    }
}
