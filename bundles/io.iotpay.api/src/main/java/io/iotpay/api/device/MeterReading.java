package io.iotpay.api.device;

import static io.iotpay.api.internal.Checks.notNull;

import java.math.BigInteger;
import java.time.Instant;

/**
 * One reading of a metered device.
 *
 * @param deviceId the device
 * @param at when it was read
 * @param powerMilliwatts instantaneous power in milliwatts (signed: negative means feeding back); 0 for devices that
 *        do not meter power
 * @param cumulativeSubunits the device's counter in sub-units of its {@link io.iotpay.api.money.MeteringUnit} (mWh, ms,
 *        requests), {@code >= 0}, never decreasing for one device
 * @param relayOn whether the relay is on
 */
public record MeterReading(String deviceId, Instant at, long powerMilliwatts, BigInteger cumulativeSubunits,
        boolean relayOn) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the device id is invalid or the counter is negative
     * @throws NullPointerException if a required component is null
     */
    public MeterReading {
        DeviceIds.require(deviceId);
        notNull(at, "reading time");
        notNull(cumulativeSubunits, "reading counter");
        if (cumulativeSubunits.signum() < 0) {
            throw new IllegalArgumentException("reading counter " + cumulativeSubunits + " of device " + deviceId
                    + " is negative");
        }
    }
}
