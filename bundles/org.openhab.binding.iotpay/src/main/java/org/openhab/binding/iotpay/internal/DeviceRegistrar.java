package org.openhab.binding.iotpay.internal;

import org.eclipse.jdt.annotation.NonNullByDefault;

import io.iotpay.api.device.MeteredDevice;

/**
 * Publishes a paid socket as a {@link MeteredDevice} service so the channel engine can switch it and follow its
 * meter. Implemented by the handler factory with the bundle context; mocked in tests.
 */
@NonNullByDefault
public interface DeviceRegistrar {

    /** A registration; closing it withdraws the service. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    Registration register(MeteredDevice device);
}
