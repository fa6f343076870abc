package io.iotpay.channel.internal.osgi;

import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.iotpay.api.device.DeviceIds;
import io.iotpay.api.device.MeterListener;
import io.iotpay.api.device.MeterReading;
import io.iotpay.api.device.MeteredDevice;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.channel.internal.http.PaidResource;

/** A fixed content sold per request (e.g. a forecast file for the demo); its meter counts the requests served. */
public final class StaticPaidResource implements MeteredDevice, PaidResource {

    private final String deviceId;
    private final String contentType;
    private final byte[] content;
    private final Clock clock;
    private final List<MeterListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean on = true;
    private long served;

    public StaticPaidResource(String deviceId, String contentType, byte[] content, Clock clock) {
        this.deviceId = DeviceIds.require(deviceId);
        this.contentType = contentType;
        this.content = content.clone();
        this.clock = clock;
    }

    @Override
    public String contentType() {
        return contentType;
    }

    @Override
    public byte[] serve() {
        if (!on) {
            throw new IllegalStateException("resource " + deviceId + " is switched off");
        }
        synchronized (this) {
            served++;
        }
        read();
        return content.clone();
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public MeteringUnit unit() {
        return MeteringUnit.REQUEST;
    }

    @Override
    public void switchOn() {
        on = true;
    }

    @Override
    public void switchOff() {
        on = false;
    }

    @Override
    public boolean isOn() {
        return on;
    }

    @Override
    public MeterReading read() {
        long n;
        synchronized (this) {
            n = served;
        }
        MeterReading r = new MeterReading(deviceId, clock.instant(), 0, BigInteger.valueOf(n), on);
        for (MeterListener l : listeners) {
            l.onReading(r);
        }
        return r;
    }

    @Override
    public void addListener(MeterListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(MeterListener listener) {
        listeners.remove(listener);
    }
}
