package io.iotpay.api.device;

import io.iotpay.api.money.MeteringUnit;

/**
 * A device whose delivery can be metered and switched: a smart plug, an openHAB thing, a simulated device, an HTTP
 * resource. Registered as an OSGi service; the channel engine switches it and follows its readings.
 */
public interface MeteredDevice {

    /**
     * Returns the device id.
     *
     * @return an id matching {@link DeviceIds#PATTERN}
     */
    String deviceId();

    /**
     * Returns the unit this device meters.
     *
     * @return the unit; readings count its sub-units
     */
    MeteringUnit unit();

    /** Switches delivery on. */
    void switchOn();

    /** Switches delivery off. */
    void switchOff();

    /**
     * Tells whether delivery is on.
     *
     * @return true if on
     */
    boolean isOn();

    /**
     * Reads the meter now.
     *
     * @return the reading
     */
    MeterReading read();

    /**
     * Adds a listener for new readings.
     *
     * @param listener the listener
     */
    void addListener(MeterListener listener);

    /**
     * Removes a listener; unknown listeners are ignored.
     *
     * @param listener the listener
     */
    void removeListener(MeterListener listener);
}
