package io.iotpay.channel.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;

class CreditTest {

    static final Asset ETH = Asset.DEVNET_ETH;

    @ParameterizedTest(name = "{0} units/{1} x {2} -> {3}")
    @CsvSource({
        // price units per unit, unit, quantity in subunits, owed (floor)
        "1000000, kWh, 1, 1",
        "999999, kWh, 1, 0",           // 0.999999 rounds down to 0
        "1999999, kWh, 1, 1",          // 1.999999 -> 1
        "3, kWh, 333333, 0",           // 0.999999 -> 0
        "3, kWh, 333334, 1",           // 1.000002 -> 1
        "60000, min, 1, 1",
        "59999, min, 1, 0",
        "7, request, 3, 21",
        "300000000000000000, kWh, 333333, 99999900000000000"})
    void owedRoundsDown(long price, String unit, long quantity, String owed) {
        Price p = Price.of(Amount.ofUnits(price, ETH), MeteringUnit.ofSymbol(unit));
        assertEquals(new BigInteger(owed), Credit.owed(p, BigInteger.valueOf(quantity)).units());
    }

    @Test
    void cumulativeCostDoesNotAccumulateRoundingErrors() {
        // 1e6 receipts of 1 mWh each at 0.999999 units/mWh: per-receipt rounding would pay 0; cumulative pays floor
        Price p = Price.of(Amount.ofUnits(999_999, ETH), MeteringUnit.KILOWATT_HOUR);
        assertEquals(BigInteger.valueOf(999_999), Credit.owed(p, BigInteger.valueOf(1_000_000)).units());
    }

    @Test
    void voucherTargetIsCappedByDepositAndBudget() {
        Price p = Price.of(Amount.ofUnits(1_000_000, ETH), MeteringUnit.KILOWATT_HOUR); // 1 unit per mWh
        Amount base = Amount.ofUnits(100, ETH);
        Amount prepay = Amount.ofUnits(10, ETH);
        Amount big = Amount.ofUnits(1_000_000, ETH);
        assertEquals(160, Credit.voucherTarget(p, BigInteger.valueOf(50), base, prepay, big, big).units().intValue());
        assertEquals(155, Credit.voucherTarget(p, BigInteger.valueOf(50), base, prepay, Amount.ofUnits(155, ETH), big)
                .units().intValue());
        assertEquals(140, Credit.voucherTarget(p, BigInteger.valueOf(50), base, prepay, big, Amount.ofUnits(40, ETH))
                .units().intValue());
    }
}
