package org.openhab.binding.iotpay.internal.profile;

import static org.openhab.binding.iotpay.internal.IotpayBindingConstants.PROFILE_PAYMENT_GATE;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;
import org.openhab.binding.iotpay.internal.PaidSocketRegistry;
import org.openhab.binding.iotpay.internal.handler.PaidSocketHandler;
import org.openhab.core.library.types.OnOffType;
import org.openhab.core.thing.ThingUID;
import org.openhab.core.thing.profiles.ProfileCallback;
import org.openhab.core.thing.profiles.ProfileTypeUID;
import org.openhab.core.thing.profiles.StateProfile;
import org.openhab.core.types.Command;
import org.openhab.core.types.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code iotpay:payment-gate} profile, put on the plug's own link (plug binding channel to plug item). ON
 * commands from the item reach the plug only while the guarding paid socket allows power (a paid session runs, or
 * the owner override is on and honoured); a blocked ON is dropped and the item is set back to OFF. Everything else
 * passes unchanged.
 */
@NonNullByDefault
public class PaymentGateProfile implements StateProfile {

    private final Logger logger = LoggerFactory.getLogger(PaymentGateProfile.class);
    private final ProfileCallback callback;
    private final PaidSocketRegistry sockets;
    private final @Nullable ThingUID socket;
    private final boolean honorOwnerOverride;

    public PaymentGateProfile(ProfileCallback callback, PaidSocketRegistry sockets, @Nullable ThingUID socket,
            boolean honorOwnerOverride) {
        this.callback = callback;
        this.sockets = sockets;
        this.socket = socket;
        this.honorOwnerOverride = honorOwnerOverride;
    }

    @Override
    public ProfileTypeUID getProfileTypeUID() {
        return PROFILE_PAYMENT_GATE;
    }

    @Override
    public void onCommandFromItem(Command command) {
        if (command == OnOffType.ON && !allowsPower()) {
            logger.info("Payment gate on item {}: ON blocked, no paid session on {}",
                    callback.getItemChannelLink().getItemName(), socket);
            callback.sendUpdate(OnOffType.OFF);
            return;
        }
        callback.handleCommand(command);
    }

    private boolean allowsPower() {
        ThingUID uid = socket;
        if (uid == null) {
            return false; // misconfigured gate stays closed: fail safe
        }
        PaidSocketHandler handler = sockets.get(uid);
        return handler != null && handler.allowsPower(honorOwnerOverride);
    }

    @Override
    public void onCommandFromHandler(Command command) {
        callback.sendCommand(command);
    }

    @Override
    public void onStateUpdateFromHandler(State state) {
        callback.sendUpdate(state);
    }

    @Override
    public void onStateUpdateFromItem(State state) {
        // the plug's own binding needs no item state
    }
}
