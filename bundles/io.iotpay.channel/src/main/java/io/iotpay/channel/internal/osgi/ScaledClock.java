package io.iotpay.channel.internal.osgi;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that runs {@code speed} times faster than the system clock from its creation on (demos, itests). */
public final class ScaledClock extends Clock {

    private final long startReal;
    private final long speed;

    public ScaledClock(long speed) {
        if (speed < 1) {
            throw new IllegalArgumentException("clock speed " + speed + " must be at least 1");
        }
        this.startReal = System.currentTimeMillis();
        this.speed = speed;
    }

    @Override
    public long millis() {
        long real = System.currentTimeMillis();
        return startReal + Math.multiplyExact(real - startReal, speed);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
