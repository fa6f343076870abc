package io.iotpay.api.money;

import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.quote;

import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The price of ONE {@link MeteringUnit} (one kWh, one minute, one request).
 *
 * @param amount the price of one unit
 * @param unit the unit
 */
public record Price(Amount amount, MeteringUnit unit) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a component is null
     */
    public Price {
        notNull(amount, "price amount");
        notNull(unit, "price unit");
    }

    /**
     * Creates a price.
     *
     * @param amount the price of one unit
     * @param unit the unit
     * @return the price
     */
    public static Price of(Amount amount, MeteringUnit unit) {
        return new Price(amount, unit);
    }

    /**
     * Returns the asset of the price.
     *
     * @return the asset
     */
    public Asset asset() {
        return amount.asset();
    }

    /**
     * Computes the cost of a metered quantity: {@code amount.units * quantityInSubunits / unit.subunitsPerUnit},
     * rounded to whole base units as asked. Exact integer arithmetic, never floating point.
     * <p>
     * Providers typically bill with {@link RoundingMode#DOWN} (never charge more than delivered), consumers check
     * vouchers against {@link RoundingMode#UP} limits.
     *
     * @param quantityInSubunits the delivered quantity in sub-units (mWh, ms, requests), {@code >= 0}
     * @param rounding the rounding of the result; {@link RoundingMode#UNNECESSARY} throws if inexact
     * @return the cost
     * @throws IllegalArgumentException if the quantity is negative
     * @throws ArithmeticException if rounding is {@code UNNECESSARY} and inexact, or the cost exceeds uint256
     */
    public Amount costOf(BigInteger quantityInSubunits, RoundingMode rounding) {
        notNull(quantityInSubunits, "quantity");
        if (quantityInSubunits.signum() < 0) {
            throw new IllegalArgumentException("quantity " + quantityInSubunits + " " + unit.subunitSymbol()
                    + " is negative: expected >= 0");
        }
        return amount.multiplyRatio(quantityInSubunits, BigInteger.valueOf(unit.subunitsPerUnit()), rounding);
    }

    /**
     * Tells whether this price is at most another price (a cap).
     *
     * @param other the other price, same asset and unit
     * @return true if this amount is less than or equal to the other's
     * @throws AssetMismatchException if the assets differ
     * @throws IllegalArgumentException if the units differ
     */
    public boolean isAtMost(Price other) {
        notNull(other, "other price");
        if (unit != other.unit) {
            throw new IllegalArgumentException("cannot compare a price per " + unit.symbol() + " with a price per "
                    + other.unit.symbol());
        }
        return amount.compareTo(other.amount) <= 0;
    }

    /**
     * Parses {@code "<decimal> <symbol>/<unit>"}, e.g. {@code "0.25 ETH/kWh"}, exactly.
     *
     * @param text the text
     * @param asset the asset; its symbol must match the text's symbol exactly
     * @return the price
     * @throws IllegalArgumentException if the text is malformed, the symbol does not match or the decimal is not exact
     */
    public static Price parse(String text, Asset asset) {
        notNull(asset, "price asset");
        String expected = "expected \"<decimal> <symbol>/<unit>\", e.g. \"0.25 " + asset.symbol() + "/kWh\"";
        if (text == null) {
            throw new IllegalArgumentException("price is null: " + expected);
        }
        int space = text.indexOf(' ');
        int slash = text.lastIndexOf('/');
        if (space <= 0 || slash < space || text.indexOf(' ', space + 1) >= 0) {
            throw new IllegalArgumentException("price " + quote(text) + " is malformed: " + expected);
        }
        String symbol = text.substring(space + 1, slash);
        if (!symbol.equals(asset.symbol())) {
            throw new IllegalArgumentException("price " + quote(text) + " is in " + quote(symbol) + " but the asset is "
                    + asset.symbol());
        }
        return new Price(Amount.parse(text.substring(0, space), asset),
                MeteringUnit.ofSymbol(text.substring(slash + 1)));
    }

    /**
     * Formats the price.
     *
     * @return e.g. {@code "0.25 ETH/kWh"}
     */
    @Override
    public String toString() {
        return amount.toDecimalString() + " " + amount.asset().symbol() + "/" + unit.symbol();
    }
}
