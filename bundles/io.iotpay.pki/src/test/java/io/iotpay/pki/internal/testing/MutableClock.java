package io.iotpay.pki.internal.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand. */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /** @param start initial instant */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** @param d how far to move */
    public void advance(Duration d) {
        now = now.plus(d);
    }

    /** @param t new instant */
    public void set(Instant t) {
        now = t;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
