package io.iotpay.api.money;

import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.quote;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * An exact, non-negative amount of an {@link Asset}, counted in base units (wei, mutez, token units).
 * <p>
 * Invariants: {@code 0 <= units <= 2^256 - 1}, so every amount fits a Solidity {@code uint256}. Immutable and
 * thread-safe. Never uses floating point.
 * <ul>
 * <li>Creating an amount outside the range ({@link #ofUnits}, {@link #parse}) throws {@link IllegalArgumentException}
 * naming the value: that is bad input.</li>
 * <li>Arithmetic whose result leaves the range throws {@link ArithmeticException}: {@link #minus} below zero ("would be
 * negative"), {@link #plus}, {@link #times} and {@link #multiplyRatio} above {@code 2^256 - 1} ("overflows
 * uint256").</li>
 * <li>Combining or comparing amounts of different assets throws {@link AssetMismatchException} naming both assets.</li>
 * <li>Every operation that could lose precision takes an explicit {@link RoundingMode};
 * {@link RoundingMode#UNNECESSARY} makes an inexact result throw.</li>
 * </ul>
 * Equality: same asset and same units ({@link #compareTo} is consistent with equals for amounts of one asset).
 */
public final class Amount implements Comparable<Amount> {

    /** The largest representable number of units, {@code 2^256 - 1}. */
    public static final BigInteger MAX_UNITS = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    /** Longest decimal text {@link #parse} accepts (longer input is rejected before any arithmetic). */
    public static final int MAX_DECIMAL_LENGTH = 200;

    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    private final BigInteger units;
    private final Asset asset;

    private Amount(BigInteger units, Asset asset) {
        this.units = units;
        this.asset = asset;
    }

    /**
     * Creates an amount from base units.
     *
     * @param units the base units, {@code 0..2^256-1}
     * @param asset the asset
     * @return the amount
     * @throws IllegalArgumentException if units are negative or above {@code 2^256 - 1}
     * @throws NullPointerException if an argument is null
     */
    public static Amount ofUnits(BigInteger units, Asset asset) {
        notNull(units, "amount units");
        notNull(asset, "amount asset");
        if (units.signum() < 0) {
            throw new IllegalArgumentException("amount units " + units + " of " + asset.symbol()
                    + " is negative: expected 0..2^256-1");
        }
        if (units.compareTo(MAX_UNITS) > 0) {
            throw new IllegalArgumentException("amount units " + units + " of " + asset.symbol()
                    + " is above 2^256-1 (does not fit uint256)");
        }
        return new Amount(units, asset);
    }

    /**
     * Creates an amount from base units.
     *
     * @param units the base units, {@code >= 0}
     * @param asset the asset
     * @return the amount
     * @throws IllegalArgumentException if units are negative
     */
    public static Amount ofUnits(long units, Asset asset) {
        return ofUnits(BigInteger.valueOf(units), asset);
    }

    /**
     * Returns zero of an asset.
     *
     * @param asset the asset
     * @return zero units of it
     */
    public static Amount zero(Asset asset) {
        return ofUnits(BigInteger.ZERO, asset);
    }

    /**
     * Parses a human decimal amount exactly, e.g. {@code "1.5"} ETH is {@code 1500000000000000000} wei.
     * <p>
     * Accepted text: {@code [0-9]+(\.[0-9]+)?}, at most {@value #MAX_DECIMAL_LENGTH} characters: no sign, exponent,
     * grouping, whitespace or symbol. Fraction digits beyond the asset's decimals are accepted only if they are zeros
     * (the value is still exact); otherwise this throws: use {@link #parse(String, Asset, RoundingMode)} to round.
     *
     * @param decimal the decimal text
     * @param asset the asset whose decimals apply
     * @return the amount
     * @throws IllegalArgumentException if the text is malformed, needs rounding, or is above {@code 2^256 - 1} units
     */
    public static Amount parse(String decimal, Asset asset) {
        return parse(decimal, asset, null);
    }

    /**
     * Parses a human decimal amount, rounding to the asset's base units as asked.
     * See {@link #parse(String, Asset)} for the accepted text.
     *
     * @param decimal the decimal text
     * @param asset the asset whose decimals apply
     * @param rounding how to round extra fraction digits; {@link RoundingMode#UNNECESSARY} behaves like
     *        {@link #parse(String, Asset)}
     * @return the amount
     * @throws IllegalArgumentException if the text is malformed, needs rounding under {@code UNNECESSARY}, or is above
     *         {@code 2^256 - 1} units
     */
    public static Amount parse(String decimal, Asset asset, RoundingMode rounding) {
        notNull(asset, "amount asset");
        if (decimal == null || decimal.length() > MAX_DECIMAL_LENGTH || !DECIMAL.matcher(decimal).matches()) {
            throw new IllegalArgumentException("amount " + quote(decimal) + " of " + asset.symbol()
                    + " is not a plain decimal: expected digits with an optional '.' and fraction digits, e.g. 0.25");
        }
        BigDecimal value = new BigDecimal(decimal);
        BigDecimal scaled;
        try {
            scaled = value.setScale(asset.decimals(), rounding == null ? RoundingMode.UNNECESSARY : rounding);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount " + quote(decimal) + " has more fraction digits than "
                    + asset.symbol() + " allows (" + asset.decimals() + "): pass a RoundingMode to round it", e);
        }
        BigInteger units = scaled.unscaledValue();
        if (units.compareTo(MAX_UNITS) > 0) {
            throw new IllegalArgumentException("amount " + quote(decimal) + " " + asset.symbol()
                    + " is above 2^256-1 units (does not fit uint256)");
        }
        return new Amount(units, asset);
    }

    /**
     * Returns the base units.
     *
     * @return the units, {@code 0..2^256-1}
     */
    public BigInteger units() {
        return units;
    }

    /**
     * Returns the asset.
     *
     * @return the asset
     */
    public Asset asset() {
        return asset;
    }

    /**
     * Adds an amount of the same asset.
     *
     * @param other the addend
     * @return the sum
     * @throws AssetMismatchException if the assets differ
     * @throws ArithmeticException if the sum exceeds {@code 2^256 - 1}
     */
    public Amount plus(Amount other) {
        requireSameAsset("plus", other);
        return checked(units.add(other.units), "plus");
    }

    /**
     * Subtracts an amount of the same asset.
     *
     * @param other the subtrahend
     * @return the difference
     * @throws AssetMismatchException if the assets differ
     * @throws ArithmeticException if the result would be negative
     */
    public Amount minus(Amount other) {
        requireSameAsset("minus", other);
        BigInteger r = units.subtract(other.units);
        if (r.signum() < 0) {
            throw new ArithmeticException(toDecimalString() + " " + asset.symbol() + " minus "
                    + other.toDecimalString() + " " + asset.symbol() + " would be negative");
        }
        return new Amount(r, asset);
    }

    /**
     * Multiplies by a non-negative integer.
     *
     * @param factor the factor, {@code >= 0}
     * @return the product
     * @throws IllegalArgumentException if the factor is negative
     * @throws ArithmeticException if the product exceeds {@code 2^256 - 1}
     */
    public Amount times(BigInteger factor) {
        notNull(factor, "factor");
        if (factor.signum() < 0) {
            throw new IllegalArgumentException("factor " + factor + " is negative: expected >= 0");
        }
        return checked(units.multiply(factor), "times " + factor);
    }

    /**
     * Multiplies by a non-negative integer.
     *
     * @param factor the factor, {@code >= 0}
     * @return the product
     * @throws IllegalArgumentException if the factor is negative
     * @throws ArithmeticException if the product exceeds {@code 2^256 - 1}
     */
    public Amount times(long factor) {
        return times(BigInteger.valueOf(factor));
    }

    /**
     * Computes {@code units * numerator / denominator}, rounded to whole base units as asked. The intermediate product
     * is exact (unbounded), only the result must fit uint256.
     *
     * @param numerator the numerator, {@code >= 0}
     * @param denominator the denominator, {@code > 0}
     * @param rounding the rounding of the quotient; {@link RoundingMode#UNNECESSARY} throws if it is not exact
     * @return the scaled amount
     * @throws IllegalArgumentException if the numerator is negative or the denominator is not positive
     * @throws ArithmeticException if rounding is {@code UNNECESSARY} and the quotient is inexact, or the result exceeds
     *         {@code 2^256 - 1}
     */
    public Amount multiplyRatio(BigInteger numerator, BigInteger denominator, RoundingMode rounding) {
        notNull(numerator, "numerator");
        notNull(denominator, "denominator");
        notNull(rounding, "rounding mode");
        if (numerator.signum() < 0) {
            throw new IllegalArgumentException("numerator " + numerator + " is negative: expected >= 0");
        }
        if (denominator.signum() <= 0) {
            throw new IllegalArgumentException("denominator " + denominator + " is invalid: expected > 0");
        }
        BigDecimal exact = new BigDecimal(units.multiply(numerator));
        BigInteger q;
        try {
            q = exact.divide(new BigDecimal(denominator), 0, rounding).toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new ArithmeticException(units + " units * " + numerator + " / " + denominator
                    + " is not a whole number of units and rounding is UNNECESSARY");
        }
        return checked(q, "multiplyRatio " + numerator + "/" + denominator);
    }

    /**
     * Returns the smaller of two amounts of the same asset.
     *
     * @param other the other amount
     * @return this if equal or smaller, else other
     * @throws AssetMismatchException if the assets differ
     */
    public Amount min(Amount other) {
        return compareTo(other) <= 0 ? this : other;
    }

    /**
     * Returns the larger of two amounts of the same asset.
     *
     * @param other the other amount
     * @return this if equal or larger, else other
     * @throws AssetMismatchException if the assets differ
     */
    public Amount max(Amount other) {
        return compareTo(other) >= 0 ? this : other;
    }

    /**
     * Tells whether this is zero.
     *
     * @return true if units are 0
     */
    public boolean isZero() {
        return units.signum() == 0;
    }

    /**
     * Tells whether this is strictly greater than another amount of the same asset.
     *
     * @param other the other amount
     * @return true if greater
     * @throws AssetMismatchException if the assets differ
     */
    public boolean isGreaterThan(Amount other) {
        return compareTo(other) > 0;
    }

    /**
     * Tells whether this is strictly less than another amount of the same asset.
     *
     * @param other the other amount
     * @return true if less
     * @throws AssetMismatchException if the assets differ
     */
    public boolean isLessThan(Amount other) {
        return compareTo(other) < 0;
    }

    /**
     * Tells whether this is the same asset as another amount.
     *
     * @param other the other amount
     * @return true if both assets are equal
     */
    public boolean isSameAsset(Amount other) {
        return asset.equals(notNull(other, "other amount").asset);
    }

    /**
     * Compares two amounts of the same asset by units.
     *
     * @param other the other amount
     * @return negative, zero or positive
     * @throws AssetMismatchException if the assets differ
     */
    @Override
    public int compareTo(Amount other) {
        requireSameAsset("compareTo", other);
        return units.compareTo(other.units);
    }

    /**
     * Returns the exact value in whole coins, e.g. {@code 0.0015} for 1500000000000000 wei.
     *
     * @return the value with the asset's decimals applied, trailing zeros removed
     */
    public BigDecimal toBigDecimal() {
        return new BigDecimal(units, asset.decimals()).stripTrailingZeros();
    }

    /**
     * Formats the exact value in whole coins, trailing zeros trimmed, never in exponent notation.
     *
     * @return e.g. {@code "0.0015"}, {@code "2"}, {@code "0"}
     */
    public String toDecimalString() {
        return toBigDecimal().toPlainString();
    }

    /**
     * Compares asset and units.
     *
     * @param o the other object
     * @return true if same asset and units
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Amount a && units.equals(a.units) && asset.equals(a.asset);
    }

    /**
     * Hashes asset and units.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return 31 * units.hashCode() + asset.hashCode();
    }

    /**
     * Formats for people and logs.
     *
     * @return e.g. {@code "0.0015 ETH (1500000000000000 units)"}
     */
    @Override
    public String toString() {
        return toDecimalString() + " " + asset.symbol() + " (" + units + " units)";
    }

    private void requireSameAsset(String operation, Amount other) {
        notNull(other, "other amount");
        if (!asset.equals(other.asset)) {
            throw new AssetMismatchException(operation, asset, other.asset);
        }
    }

    private Amount checked(BigInteger r, String operation) {
        if (r.compareTo(MAX_UNITS) > 0) {
            throw new ArithmeticException(this + " " + operation + " overflows uint256 (2^256-1 units)");
        }
        return new Amount(r, asset);
    }
}
