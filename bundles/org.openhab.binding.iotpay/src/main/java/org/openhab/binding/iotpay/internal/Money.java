package org.openhab.binding.iotpay.internal;

import java.math.BigDecimal;
import java.math.BigInteger;

import javax.measure.quantity.Energy;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;
import org.openhab.core.library.types.DecimalType;
import org.openhab.core.library.types.QuantityType;
import org.openhab.core.library.unit.Units;
import org.openhab.core.types.State;

import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;

/**
 * Conversions between IOTPAY values and openHAB states. Money stays exact: {@link Amount} base units become a
 * {@link BigDecimal} in whole asset units (never a float or double).
 */
@NonNullByDefault
public final class Money {

    private Money() {
    }

    /** The amount in whole asset units, e.g. 0.0015 for 1.5e15 wei. */
    public static DecimalType toState(Amount amount) {
        return new DecimalType(amount.toBigDecimal());
    }

    /**
     * Parses a decimal configuration or action value such as "0.25" into an exact amount.
     *
     * @param what names the value in the error message
     * @throws IllegalArgumentException when blank, not a decimal, negative or finer than the asset's decimals
     */
    public static Amount parse(@Nullable String text, Asset asset, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is missing: expected a decimal amount of " + asset.symbol()
                    + " such as 0.25");
        }
        String trimmed = text.trim();
        try {
            BigDecimal value = new BigDecimal(trimmed);
            if (value.signum() < 0) {
                throw new IllegalArgumentException(what + " \"" + trimmed + "\" is negative");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " \"" + trimmed + "\" is not a decimal number such as 0.25");
        }
        try {
            return Amount.parse(trimmed, asset);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(what + " \"" + trimmed + "\" is not a valid amount of " + asset.symbol()
                    + " (" + asset.decimals() + " decimals): " + e.getMessage(), e);
        }
    }

    /** Optional variant of {@link #parse}: blank gives null. */
    public static @Nullable Amount parseOptional(@Nullable String text, Asset asset, String what) {
        return text == null || text.isBlank() ? null : parse(text, asset, what);
    }

    /**
     * A metered quantity in sub-units (mWh, ms) as an openHAB state: energy in kWh for {@link MeteringUnit#KILOWATT_HOUR},
     * otherwise a plain number of units.
     */
    public static State quantityState(BigInteger subunits, MeteringUnit unit) {
        BigDecimal units = new BigDecimal(subunits).divide(BigDecimal.valueOf(unit.subunitsPerUnit()));
        if (unit == MeteringUnit.KILOWATT_HOUR) {
            return new QuantityType<Energy>(units, Units.KILOWATT_HOUR);
        }
        return new DecimalType(units);
    }
}
