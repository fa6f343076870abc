/*
 * IOTPAY openHAB binding.
 */
package org.openhab.binding.iotpay.internal;

import java.util.Set;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.openhab.core.thing.ThingTypeUID;
import org.openhab.core.thing.profiles.ProfileTypeUID;

/**
 * Identifiers shared by the binding: thing types, channels, profile, service properties.
 */
@NonNullByDefault
public final class IotpayBindingConstants {

    public static final String BINDING_ID = "iotpay";

    public static final ThingTypeUID THING_TYPE_WALLET = new ThingTypeUID(BINDING_ID, "wallet");
    public static final ThingTypeUID THING_TYPE_PAIDSOCKET = new ThingTypeUID(BINDING_ID, "paidsocket");
    public static final ThingTypeUID THING_TYPE_PURCHASE = new ThingTypeUID(BINDING_ID, "purchase");
    public static final Set<ThingTypeUID> SUPPORTED_THING_TYPES = Set.of(THING_TYPE_WALLET, THING_TYPE_PAIDSOCKET,
            THING_TYPE_PURCHASE);

    public static final ProfileTypeUID PROFILE_PAYMENT_GATE = new ProfileTypeUID(BINDING_ID, "payment-gate");

    // wallet bridge channels
    public static final String CHANNEL_BALANCE = "balance";
    public static final String CHANNEL_LOCKED = "locked";
    public static final String CHANNEL_SPENT_TODAY = "spent-today";

    // paid socket channels
    public static final String CHANNEL_POWER = "power";
    public static final String CHANNEL_ENERGY = "energy";
    public static final String CHANNEL_RELAY = "relay";
    public static final String CHANNEL_OWNER_OVERRIDE = "owner-override";
    public static final String CHANNEL_PAYER = "payer";
    public static final String CHANNEL_ENERGY_SOLD = "energy-sold";
    public static final String CHANNEL_EARNED_SESSION = "earned-session";
    public static final String CHANNEL_EARNED_TODAY = "earned-today";
    public static final String CHANNEL_EARNED_TOTAL = "earned-total";

    // shared by paid socket and purchase
    public static final String CHANNEL_CONTROL = "control";
    public static final String CHANNEL_SESSION_STATE = "session-state";
    public static final String CHANNEL_PRICE = "price";
    public static final String CHANNEL_SESSION_EVENT = "session-event";

    // purchase channels
    public static final String CHANNEL_ENERGY_BOUGHT = "energy-bought";
    public static final String CHANNEL_AMOUNT_PAID = "amount-paid";

    /** Commands of the {@code control} channel. */
    public static final String CONTROL_START = "START";
    public static final String CONTROL_PAUSE = "PAUSE";
    public static final String CONTROL_RESUME = "RESUME";
    public static final String CONTROL_STOP = "STOP";

    /** Session state shown while no session exists. */
    public static final String STATE_IDLE = "IDLE";

    /** Service property carrying the device id of a {@code MeteredDevice} registered by a paid socket. */
    public static final String DEVICE_PROPERTY = "iotpay.device";

    /** mDNS service type IOTPAY providers announce. */
    public static final String MDNS_SERVICE_TYPE = "_iotpay._tcp.local.";

    /** Thing property and representation property of discovered providers. */
    public static final String PROPERTY_PROVIDER_URL = "providerUrl";
    public static final String PROPERTY_DEVICE_ID = "deviceId";

    private IotpayBindingConstants() {
    }
}
