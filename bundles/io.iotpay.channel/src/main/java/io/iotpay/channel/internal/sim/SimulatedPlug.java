package io.iotpay.channel.internal.sim;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import io.iotpay.api.device.DeviceIds;
import io.iotpay.api.device.MeterListener;
import io.iotpay.api.device.MeterReading;
import io.iotpay.api.device.MeteredDevice;
import io.iotpay.api.money.MeteringUnit;

/**
 * A simulated smart plug with an energy meter and a relay. The load follows a {@link PowerProfile}; energy is
 * integrated exactly (milliwatt-milliseconds, no floating point) while the relay is on and read out as a cumulative
 * counter in mWh (rounded down), or, for {@link MeteringUnit#MINUTE}, in milliseconds of relay-on time. Time comes
 * from an injectable {@link Clock}, so tests drive simulated hours in microseconds.
 */
public final class SimulatedPlug implements MeteredDevice {

    private static final BigInteger MW_MS_PER_MWH = BigInteger.valueOf(3_600_000L);

    private final String deviceId;
    private final MeteringUnit unit;
    private final PowerProfile profile;
    private final Clock clock;
    private final long createdMs;
    private final List<MeterListener> listeners = new CopyOnWriteArrayList<>();
    private long lastMs;
    private boolean on;
    private BigInteger energyMwMs = BigInteger.ZERO;
    private long onTimeMs;

    public SimulatedPlug(String deviceId, MeteringUnit unit, PowerProfile profile, Clock clock) {
        this.deviceId = DeviceIds.require(deviceId);
        this.unit = Objects.requireNonNull(unit, "unit");
        if (unit == MeteringUnit.REQUEST) {
            throw new IllegalArgumentException("a simulated plug meters kWh or minutes, not requests");
        }
        this.profile = Objects.requireNonNull(profile, "profile");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.createdMs = clock.millis();
        this.lastMs = createdMs;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public MeteringUnit unit() {
        return unit;
    }

    @Override
    public synchronized void switchOn() {
        advance();
        on = true;
    }

    @Override
    public synchronized void switchOff() {
        advance();
        on = false;
    }

    @Override
    public synchronized boolean isOn() {
        return on;
    }

    @Override
    public MeterReading read() {
        MeterReading r;
        synchronized (this) {
            advance();
            long now = lastMs;
            long power = on ? profile.powerAt(now - createdMs) : 0;
            BigInteger counter = unit == MeteringUnit.KILOWATT_HOUR ? energyMwMs.divide(MW_MS_PER_MWH)
                    : BigInteger.valueOf(onTimeMs);
            r = new MeterReading(deviceId, Instant.ofEpochMilli(now), power, counter, on);
        }
        for (MeterListener l : listeners) {
            l.onReading(r);
        }
        return r;
    }

    /** Exact energy so far in milliwatt-milliseconds (for tests). */
    public synchronized BigInteger energyMilliwattMillis() {
        advance();
        return energyMwMs;
    }

    @Override
    public void addListener(MeterListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(MeterListener listener) {
        listeners.remove(listener);
    }

    private void advance() {
        long now = clock.millis();
        if (now < lastMs) {
            now = lastMs; // a clock going backwards never un-meters energy
        }
        if (on) {
            long t = lastMs;
            while (t < now) {
                long rel = t - createdMs;
                long next = profile.nextChangeAfter(rel);
                long end = next == Long.MAX_VALUE ? now : Math.min(now, createdMs + next);
                energyMwMs = energyMwMs.add(BigInteger.valueOf(profile.powerAt(rel))
                        .multiply(BigInteger.valueOf(end - t)));
                t = end;
            }
            onTimeMs += now - lastMs;
        }
        lastMs = now;
    }
}
