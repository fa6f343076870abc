package io.iotpay.api.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MeterReadingTest {

    @Test
    void valid() {
        MeterReading r = new MeterReading("iotpay:paidsocket:plug1", Instant.EPOCH, -500, BigInteger.TEN, true);
        assertEquals(-500, r.powerMilliwatts());
        assertThrows(IllegalArgumentException.class,
                () -> new MeterReading("plug", Instant.EPOCH, 0, BigInteger.valueOf(-1), true));
        assertThrows(NullPointerException.class, () -> new MeterReading("plug", null, 0, BigInteger.ONE, true));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", "plug 1", "plug/1", "plug#1" })
    void badDeviceIds(String id) {
        assertThrows(IllegalArgumentException.class, () -> DeviceIds.require(id));
        assertThrows(IllegalArgumentException.class, () -> new MeterReading(id, Instant.EPOCH, 0, BigInteger.ONE,
                false));
    }

    @Test
    void deviceIdLength() {
        DeviceIds.require("a".repeat(128));
        assertThrows(IllegalArgumentException.class, () -> DeviceIds.require("a".repeat(129)));
    }
}
