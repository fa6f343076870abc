package io.iotpay.api.money;

/**
 * What a price is per, and the integer sub-unit in which delivery is metered.
 * <p>
 * Quantities are always counted in whole sub-units ({@link #subunitSymbol()}), so metering never needs fractions:
 * energy in milliwatt-hours, time in milliseconds, requests one by one.
 */
public enum MeteringUnit {

    /** Kilowatt-hour, metered in milliwatt-hours (1 kWh = 1,000,000 mWh). */
    KILOWATT_HOUR("kWh", 1_000_000L, "mWh"),
    /** Minute, metered in milliseconds (1 min = 60,000 ms). */
    MINUTE("min", 60_000L, "ms"),
    /** One request, metered one by one. */
    REQUEST("request", 1L, "request");

    private final String symbol;
    private final long subunitsPerUnit;
    private final String subunitSymbol;

    MeteringUnit(String symbol, long subunitsPerUnit, String subunitSymbol) {
        this.symbol = symbol;
        this.subunitsPerUnit = subunitsPerUnit;
        this.subunitSymbol = subunitSymbol;
    }

    /**
     * Returns the display symbol of the unit.
     *
     * @return {@code "kWh"}, {@code "min"} or {@code "request"}
     */
    public String symbol() {
        return symbol;
    }

    /**
     * Returns how many metered sub-units make one unit.
     *
     * @return 1,000,000 for kWh, 60,000 for minutes, 1 for requests
     */
    public long subunitsPerUnit() {
        return subunitsPerUnit;
    }

    /**
     * Returns the display symbol of the sub-unit.
     *
     * @return {@code "mWh"}, {@code "ms"} or {@code "request"}
     */
    public String subunitSymbol() {
        return subunitSymbol;
    }

    /**
     * Finds a unit by its symbol.
     *
     * @param symbol {@code "kWh"}, {@code "min"} or {@code "request"} (exact case)
     * @return the unit
     * @throws IllegalArgumentException if no unit has that symbol
     */
    public static MeteringUnit ofSymbol(String symbol) {
        for (MeteringUnit u : values()) {
            if (u.symbol.equals(symbol)) {
                return u;
            }
        }
        throw new IllegalArgumentException("metering unit " + (symbol == null ? "null" : "\"" + symbol + "\"")
                + " is unknown: expected kWh, min or request");
    }
}
