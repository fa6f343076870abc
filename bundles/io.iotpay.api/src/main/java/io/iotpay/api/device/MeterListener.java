package io.iotpay.api.device;

/** Receives readings from a {@link MeteredDevice}. Must return quickly and not throw. */
@FunctionalInterface
public interface MeterListener {

    /**
     * Called for each new reading.
     *
     * @param r the reading
     */
    void onReading(MeterReading r);
}
