package io.iotpay.channel.internal.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.iotpay.api.device.MeterReading;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.channel.internal.testing.MutableClock;

class SimulatedPlugTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void twoKilowattsForAnHourIsTwoKilowattHours() {
        SimulatedPlug plug = new SimulatedPlug("plug-1", MeteringUnit.KILOWATT_HOUR,
                PowerProfile.constant(2_000_000), clock);
        plug.switchOn();
        clock.advance(Duration.ofHours(1));
        MeterReading r = plug.read();
        assertEquals(BigInteger.valueOf(2_000_000), r.cumulativeSubunits()); // mWh
        assertEquals(2_000_000, r.powerMilliwatts());
        assertTrue(r.relayOn());
    }

    @Test
    void relayOffMetersNothing() {
        SimulatedPlug plug = new SimulatedPlug("plug-1", MeteringUnit.KILOWATT_HOUR,
                PowerProfile.constant(1_000_000), clock);
        clock.advance(Duration.ofMinutes(30));
        assertEquals(BigInteger.ZERO, plug.read().cumulativeSubunits());
        assertEquals(0, plug.read().powerMilliwatts());
        plug.switchOn();
        clock.advance(Duration.ofMinutes(30));
        plug.switchOff();
        clock.advance(Duration.ofMinutes(30));
        assertEquals(BigInteger.valueOf(500_000), plug.read().cumulativeSubunits());
        assertFalse(plug.isOn());
    }

    @Test
    void stepsAndCyclesIntegrateExactlyAcrossBoundaries() {
        // 1 kW for 10 s, then 3 kW for 20 s, repeating every 30 s
        PowerProfile p = PowerProfile.cycle(List.of(new PowerProfile.Step(0, 1_000_000),
                new PowerProfile.Step(10_000, 3_000_000)), 30_000);
        SimulatedPlug plug = new SimulatedPlug("plug-2", MeteringUnit.KILOWATT_HOUR, p, clock);
        plug.switchOn();
        // one big jump over 120 cycles = 1 hour: (1 kW*10 s + 3 kW*20 s) per 30 s = 70 kJ per 30 s -> 2.333.. kWh/h
        clock.advance(Duration.ofHours(1));
        assertEquals(BigInteger.valueOf(7_000_000_000L).multiply(BigInteger.valueOf(120)).multiply(
                BigInteger.valueOf(1)).divide(BigInteger.ONE), plug.energyMilliwattMillis().divide(
                        BigInteger.valueOf(10)));
        assertEquals(BigInteger.valueOf(2_333_333), plug.read().cumulativeSubunits());
        // the same hour in 1 ms steps gives the same counter
        SimulatedPlug fine = new SimulatedPlug("plug-3", MeteringUnit.KILOWATT_HOUR, p, clock);
        fine.switchOn();
        for (int i = 0; i < 3600; i++) {
            clock.advance(Duration.ofMillis(999));
            fine.read();
            clock.advance(Duration.ofMillis(1));
        }
        assertEquals(BigInteger.valueOf(2_333_333), fine.read().cumulativeSubunits());
    }

    @Test
    void minuteMeteringCountsRelayOnMilliseconds() {
        SimulatedPlug plug = new SimulatedPlug("charger-1", MeteringUnit.MINUTE, PowerProfile.constant(11_000_000),
                clock);
        plug.switchOn();
        clock.advance(Duration.ofSeconds(90));
        plug.switchOff();
        clock.advance(Duration.ofSeconds(90));
        assertEquals(BigInteger.valueOf(90_000), plug.read().cumulativeSubunits());
    }

    @Test
    void listenersSeeEveryReadingAndClockGoingBackDoesNotUnmeter() {
        SimulatedPlug plug = new SimulatedPlug("plug-4", MeteringUnit.KILOWATT_HOUR, PowerProfile.constant(3_600_000),
                clock);
        List<MeterReading> seen = new ArrayList<>();
        plug.addListener(seen::add);
        plug.switchOn();
        clock.advance(Duration.ofSeconds(1));
        MeterReading a = plug.read();
        clock.advance(Duration.ofSeconds(-1));
        MeterReading b = plug.read();
        assertEquals(BigInteger.valueOf(1000), a.cumulativeSubunits());
        assertEquals(a.cumulativeSubunits(), b.cumulativeSubunits());
        assertEquals(List.of(a, b), seen);
        assertThrows(IllegalArgumentException.class, () -> PowerProfile.steps(List.of(new PowerProfile.Step(5, 1))));
    }
}
