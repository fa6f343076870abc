package io.iotpay.api.device;

import static io.iotpay.api.internal.Checks.quote;

import java.util.regex.Pattern;

/**
 * The rule for device ids used across the API: {@code [A-Za-z0-9._:-]{1,128}} (openHAB thing UIDs such as
 * {@code iotpay:paidsocket:plug1} fit).
 */
public final class DeviceIds {

    /** The device id pattern. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private DeviceIds() {
    }

    /**
     * Checks a device id.
     *
     * @param deviceId the id
     * @return the id
     * @throws IllegalArgumentException if it does not match {@link #PATTERN}
     */
    public static String require(String deviceId) {
        if (deviceId == null || !PATTERN.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("device id " + quote(deviceId)
                    + " is invalid: expected [A-Za-z0-9._:-]{1,128}");
        }
        return deviceId;
    }
}
