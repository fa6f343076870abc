package io.iotpay.api.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.ChainId;

import java.math.BigInteger;
import java.math.RoundingMode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AmountTest {

    private static final Asset ETH = Asset.DEVNET_ETH;
    private static final Asset USDC = Asset.token(ChainId.DEVNET, "0x5FbDB2315678afecb367f032d93F642f64180aa3", 6,
            "USDC");
    private static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    private static Amount eth(long units) {
        return Amount.ofUnits(units, ETH);
    }

    @Test
    void rangeIsUint256() {
        assertEquals(MAX, Amount.MAX_UNITS);
        assertEquals(MAX, Amount.ofUnits(MAX, ETH).units());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Amount.ofUnits(BigInteger.TWO.pow(256), ETH));
        assertTrue(e.getMessage().contains(BigInteger.TWO.pow(256).toString()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Amount.ofUnits(-1, ETH));
        assertTrue(e.getMessage().contains("-1") && e.getMessage().contains("negative"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Amount.ofUnits((BigInteger) null, ETH));
        assertThrows(NullPointerException.class, () -> Amount.ofUnits(1, null));
    }

    @ParameterizedTest
    @CsvSource({ "1.5, 1500000000000000000", "0, 0", "0.000000000000000001, 1", "1, 1000000000000000000",
            "0.0015, 1500000000000000", "1.500000000000000000000, 1500000000000000000",
            "00012, 12000000000000000000" })
    void parsesExactly(String text, String units) {
        assertEquals(new BigInteger(units), Amount.parse(text, ETH).units());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", " 1", "1 ", "-1", "+1", "1e18", "1,5", ".5", "1.", "1..2", "0x10", "1 ETH", "١",
            "NaN", "Infinity" })
    void rejectsMalformedDecimals(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Amount.parse(text, ETH));
        assertTrue(e.getMessage().contains("not a plain decimal"), e.getMessage());
    }

    @Test
    void rejectsTooLongText() {
        assertThrows(IllegalArgumentException.class, () -> Amount.parse("1".repeat(201), ETH));
    }

    @Test
    void tooManyFractionDigitsThrowsUnlessRoundingGiven() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Amount.parse("1.0000001", USDC));
        assertTrue(e.getMessage().contains("\"1.0000001\"") && e.getMessage().contains("USDC")
                && e.getMessage().contains("6"), e.getMessage());
        assertEquals(BigInteger.valueOf(1_000_000), Amount.parse("1.0000001", USDC, RoundingMode.DOWN).units());
        assertEquals(BigInteger.valueOf(1_000_001), Amount.parse("1.0000001", USDC, RoundingMode.UP).units());
        assertEquals(BigInteger.valueOf(1_000_000), Amount.parse("1.0000005", USDC, RoundingMode.HALF_EVEN).units());
        assertEquals(BigInteger.valueOf(1_000_002), Amount.parse("1.0000015", USDC, RoundingMode.HALF_EVEN).units());
        assertThrows(IllegalArgumentException.class, () -> Amount.parse("1.0000001", USDC, RoundingMode.UNNECESSARY));
        assertEquals(BigInteger.valueOf(1_500_000), Amount.parse("1.5", USDC, RoundingMode.UNNECESSARY).units());
    }

    @Test
    void parseRejectsOverflow() {
        Asset zeroDecimals = Asset.nativeCoin(ChainId.DEVNET, 0, "X");
        assertEquals(MAX, Amount.parse(MAX.toString(), zeroDecimals).units());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Amount.parse(BigInteger.TWO.pow(256).toString(), zeroDecimals));
        assertTrue(e.getMessage().contains("2^256-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Amount.parse("1" + "0".repeat(60), ETH));
    }

    @ParameterizedTest
    @CsvSource({ "1500000000000000, 0.0015", "0, 0", "1000000000000000000, 1", "1, 0.000000000000000001",
            "123456789000000000000, 123.456789", "10000000000000000000, 10" })
    void formatsTrimmedPlain(String units, String text) {
        Amount a = Amount.ofUnits(new BigInteger(units), ETH);
        assertEquals(text, a.toDecimalString());
        assertEquals(a, Amount.parse(text, ETH));
    }

    @Test
    void toStringShowsDecimalSymbolAndUnits() {
        assertEquals("0.0015 ETH (1500000000000000 units)", eth(1500000000000000L).toString());
        assertEquals(MAX.toString().length() + 0, Amount.ofUnits(MAX, Asset.nativeCoin(ChainId.DEVNET, 0, "X"))
                .toDecimalString().length());
    }

    @Test
    void arithmetic() {
        assertEquals(eth(5), eth(2).plus(eth(3)));
        assertEquals(eth(1), eth(3).minus(eth(2)));
        assertEquals(eth(0), eth(3).minus(eth(3)));
        assertEquals(eth(12), eth(3).times(4));
        assertEquals(eth(0), eth(3).times(BigInteger.ZERO));
        assertSame(ETH, eth(3).times(4).asset());
        assertEquals(eth(2), eth(2).min(eth(3)));
        assertEquals(eth(3), eth(2).max(eth(3)));
        assertTrue(eth(0).isZero());
        assertFalse(eth(1).isZero());
        assertTrue(eth(2).isGreaterThan(eth(1)));
        assertFalse(eth(1).isGreaterThan(eth(1)));
        assertTrue(eth(1).isLessThan(eth(2)));
        assertEquals(0, eth(1).compareTo(eth(1)));
        assertEquals(Amount.zero(ETH), eth(0));
    }

    @Test
    void minusBelowZeroThrows() {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> eth(2).minus(eth(3)));
        assertTrue(e.getMessage().contains("would be negative"), e.getMessage());
    }

    @Test
    void overflowThrowsArithmeticException() {
        Amount max = Amount.ofUnits(MAX, ETH);
        assertThrows(ArithmeticException.class, () -> max.plus(eth(1)));
        assertThrows(ArithmeticException.class, () -> max.times(2));
        assertThrows(ArithmeticException.class, () -> eth(2).times(BigInteger.TWO.pow(255)));
        assertEquals(max, max.times(1));
        assertThrows(ArithmeticException.class,
                () -> max.multiplyRatio(BigInteger.valueOf(3), BigInteger.TWO, RoundingMode.DOWN));
        // the intermediate product may exceed uint256 as long as the result fits
        assertEquals(max, max.multiplyRatio(BigInteger.valueOf(7), BigInteger.valueOf(7), RoundingMode.UNNECESSARY));
        assertThrows(IllegalArgumentException.class, () -> eth(1).times(-1));
    }

    @Test
    void mismatchedAssetsThrowNamingBoth() {
        Amount u = Amount.ofUnits(1, USDC);
        for (Runnable r : new Runnable[] { () -> eth(1).plus(u), () -> eth(1).minus(u), () -> eth(1).compareTo(u),
                () -> eth(1).min(u), () -> eth(1).max(u), () -> eth(1).isGreaterThan(u), () -> eth(1).isLessThan(u) }) {
            AssetMismatchException e = assertThrows(AssetMismatchException.class, r::run);
            assertTrue(e.getMessage().contains("ETH") && e.getMessage().contains("USDC"), e.getMessage());
            assertEquals(ETH, e.expected());
            assertEquals(USDC, e.actual());
        }
        assertTrue(new AssetMismatchException("x", ETH, USDC) instanceof IllegalArgumentException);
        // same chain and token but different decimals is a different asset
        Asset eth6 = Asset.nativeCoin(ChainId.DEVNET, 6, "ETH");
        assertThrows(AssetMismatchException.class, () -> eth(1).plus(Amount.ofUnits(1, eth6)));
        assertNotEquals(eth(1), Amount.ofUnits(1, eth6));
    }

    @ParameterizedTest
    @CsvSource({
        // units, num, den, mode, expected
        "10, 1, 3, DOWN, 3", "10, 1, 3, UP, 4", "10, 1, 3, HALF_EVEN, 3", "10, 2, 3, HALF_EVEN, 7",
        "5, 1, 2, HALF_EVEN, 2", "7, 1, 2, HALF_EVEN, 4", "5, 1, 2, HALF_UP, 3", "5, 1, 2, DOWN, 2", "5, 1, 2, UP, 3",
        "5, 1, 2, CEILING, 3", "5, 1, 2, FLOOR, 2", "9, 1, 3, UNNECESSARY, 3", "0, 5, 7, UNNECESSARY, 0",
        "10, 0, 3, UP, 0", "1, 1, 1000000, UP, 1", "1, 1, 1000000, DOWN, 0" })
    void multiplyRatioRoundsAsAsked(long units, long num, long den, RoundingMode mode, long expected) {
        assertEquals(eth(expected), eth(units).multiplyRatio(BigInteger.valueOf(num), BigInteger.valueOf(den), mode));
    }

    @Test
    void multiplyRatioUnnecessaryThrowsWhenInexact() {
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> eth(10).multiplyRatio(BigInteger.ONE, BigInteger.valueOf(3), RoundingMode.UNNECESSARY));
        assertTrue(e.getMessage().contains("UNNECESSARY"), e.getMessage());
    }

    @Test
    void multiplyRatioRejectsBadArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> eth(10).multiplyRatio(BigInteger.ONE, BigInteger.ZERO, RoundingMode.DOWN));
        assertThrows(IllegalArgumentException.class,
                () -> eth(10).multiplyRatio(BigInteger.ONE, BigInteger.valueOf(-1), RoundingMode.DOWN));
        assertThrows(IllegalArgumentException.class,
                () -> eth(10).multiplyRatio(BigInteger.valueOf(-1), BigInteger.ONE, RoundingMode.DOWN));
        assertThrows(NullPointerException.class, () -> eth(10).multiplyRatio(BigInteger.ONE, BigInteger.ONE, null));
    }

    @Test
    void equalsAndHashCode() {
        assertEquals(eth(5), Amount.ofUnits(BigInteger.valueOf(5), ETH));
        assertEquals(eth(5).hashCode(), Amount.ofUnits(BigInteger.valueOf(5), ETH).hashCode());
        assertNotEquals(eth(5), eth(6));
        assertNotEquals(eth(5), Amount.ofUnits(5, USDC));
        assertNotEquals(eth(5), "5");
    }
}
