package org.openhab.binding.iotpay.internal;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;

import io.iotpay.api.identity.DeviceIdentity;
import io.iotpay.api.notary.Notary;

/**
 * IOTPAY core services the binding can use when they are installed, and does without otherwise (their rule actions
 * then answer NOT_READY). Filled by the handler factory's dynamic optional references.
 */
@NonNullByDefault
public class OptionalServices {

    private volatile @Nullable Notary notary;
    private volatile @Nullable DeviceIdentity identity;

    public @Nullable Notary notary() {
        return notary;
    }

    public @Nullable DeviceIdentity identity() {
        return identity;
    }

    public void setNotary(@Nullable Notary notary) {
        this.notary = notary;
    }

    public void setIdentity(@Nullable DeviceIdentity identity) {
        this.identity = identity;
    }
}
