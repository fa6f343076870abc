package io.iotpay.api.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.ChainId;

import java.math.BigInteger;
import java.math.RoundingMode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PriceTest {

    private static final Asset ETH = Asset.DEVNET_ETH;

    @Test
    void meteringUnits() {
        assertEquals("kWh", MeteringUnit.KILOWATT_HOUR.symbol());
        assertEquals(1_000_000L, MeteringUnit.KILOWATT_HOUR.subunitsPerUnit());
        assertEquals("mWh", MeteringUnit.KILOWATT_HOUR.subunitSymbol());
        assertEquals(60_000L, MeteringUnit.MINUTE.subunitsPerUnit());
        assertEquals("ms", MeteringUnit.MINUTE.subunitSymbol());
        assertEquals(1L, MeteringUnit.REQUEST.subunitsPerUnit());
        assertEquals("request", MeteringUnit.REQUEST.subunitSymbol());
        assertEquals(MeteringUnit.MINUTE, MeteringUnit.ofSymbol("min"));
        assertThrows(IllegalArgumentException.class, () -> MeteringUnit.ofSymbol("KWH"));
    }

    @Test
    void costOfWholeUnits() {
        Price p = Price.parse("0.25 ETH/kWh", ETH);
        assertEquals(Amount.parse("0.25", ETH), p.amount());
        assertEquals(MeteringUnit.KILOWATT_HOUR, p.unit());
        // 2 kWh = 2,000,000 mWh
        assertEquals(Amount.parse("0.5", ETH),
                p.costOf(BigInteger.valueOf(2_000_000), RoundingMode.UNNECESSARY));
        // 1 mWh = 0.25e18 / 1e6 = 250000000000 wei, exact
        assertEquals(Amount.ofUnits(250_000_000_000L, ETH), p.costOf(BigInteger.ONE, RoundingMode.UNNECESSARY));
        assertEquals(Amount.zero(ETH), p.costOf(BigInteger.ZERO, RoundingMode.UNNECESSARY));
    }

    @ParameterizedTest
    @CsvSource({
        // price units per kWh, quantity mWh, mode, expected units
        "1000001, 1, DOWN, 1", "1000001, 1, UP, 2", "1000001, 1, HALF_EVEN, 1", "1500000, 1, HALF_EVEN, 2",
        "2500000, 1, HALF_EVEN, 2", "2500000, 1, HALF_UP, 3", "999999, 1, DOWN, 0", "999999, 1, UP, 1",
        "3, 500000, HALF_EVEN, 2", "3, 1000000, UNNECESSARY, 3" })
    void costOfRoundsAsAsked(long priceUnits, long quantity, RoundingMode mode, long expected) {
        Price p = new Price(Amount.ofUnits(priceUnits, ETH), MeteringUnit.KILOWATT_HOUR);
        assertEquals(Amount.ofUnits(expected, ETH), p.costOf(BigInteger.valueOf(quantity), mode));
    }

    @Test
    void costOfUnnecessaryThrowsWhenInexact() {
        Price p = new Price(Amount.ofUnits(1, ETH), MeteringUnit.MINUTE);
        assertThrows(ArithmeticException.class, () -> p.costOf(BigInteger.valueOf(30_000), RoundingMode.UNNECESSARY));
        assertEquals(Amount.ofUnits(1, ETH), p.costOf(BigInteger.valueOf(30_000), RoundingMode.UP));
    }

    @Test
    void costOfRejectsNegativeAndOverflow() {
        Price p = new Price(Amount.ofUnits(Amount.MAX_UNITS, ETH), MeteringUnit.REQUEST);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.costOf(BigInteger.valueOf(-1), RoundingMode.DOWN));
        assertTrue(e.getMessage().contains("-1"));
        assertThrows(ArithmeticException.class, () -> p.costOf(BigInteger.TWO, RoundingMode.DOWN));
    }

    @Test
    void isAtMost() {
        Price cheap = Price.parse("0.1 ETH/kWh", ETH);
        Price dear = Price.parse("0.3 ETH/kWh", ETH);
        assertTrue(cheap.isAtMost(dear));
        assertTrue(cheap.isAtMost(cheap));
        assertFalse(dear.isAtMost(cheap));
        assertThrows(IllegalArgumentException.class, () -> cheap.isAtMost(Price.parse("0.3 ETH/min", ETH)));
        Asset bnb = Asset.BNB;
        assertThrows(AssetMismatchException.class, () -> cheap.isAtMost(Price.parse("0.3 BNB/kWh", bnb)));
    }

    @Test
    void toStringAndParseRoundTrip() {
        Price p = Price.parse("0.25 ETH/kWh", ETH);
        assertEquals("0.25 ETH/kWh", p.toString());
        assertEquals(p, Price.parse(p.toString(), ETH));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "0.25", "0.25ETH/kWh", "0.25 BNB/kWh", "0.25 ETH/kwh", "0.25 ETH kWh",
            "0.25  ETH/kWh", "-1 ETH/kWh", "0.0000000000000000001 ETH/kWh", "ETH/kWh 0.25" })
    void parseRejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> Price.parse(text, ETH));
    }

    @Test
    void differentChainAssetIsMismatch() {
        Asset other = Asset.nativeCoin(ChainId.ETHEREUM, 18, "ETH");
        Price a = Price.parse("1 ETH/kWh", ETH);
        Price b = Price.parse("1 ETH/kWh", other);
        assertThrows(AssetMismatchException.class, () -> a.isAtMost(b));
    }
}
