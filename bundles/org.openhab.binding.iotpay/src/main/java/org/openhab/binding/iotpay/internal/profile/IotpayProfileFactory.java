package org.openhab.binding.iotpay.internal.profile;

import static org.openhab.binding.iotpay.internal.IotpayBindingConstants.PROFILE_PAYMENT_GATE;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;
import org.openhab.binding.iotpay.internal.PaidSocketRegistry;
import org.openhab.binding.iotpay.internal.config.PaymentGateConfiguration;
import org.openhab.core.library.CoreItemFactory;
import org.openhab.core.thing.ThingUID;
import org.openhab.core.thing.profiles.Profile;
import org.openhab.core.thing.profiles.ProfileCallback;
import org.openhab.core.thing.profiles.ProfileContext;
import org.openhab.core.thing.profiles.ProfileFactory;
import org.openhab.core.thing.profiles.ProfileType;
import org.openhab.core.thing.profiles.ProfileTypeBuilder;
import org.openhab.core.thing.profiles.ProfileTypeProvider;
import org.openhab.core.thing.profiles.ProfileTypeUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the {@code iotpay:payment-gate} profile and describes it (label and config via OH-INF and i18n).
 */
@NonNullByDefault
@Component(service = { ProfileFactory.class, ProfileTypeProvider.class })
public class IotpayProfileFactory implements ProfileFactory, ProfileTypeProvider {

    private static final ProfileType PAYMENT_GATE_TYPE = ProfileTypeBuilder
            .newState(PROFILE_PAYMENT_GATE, "Payment Gate").withSupportedItemTypes(CoreItemFactory.SWITCH)
            .withSupportedItemTypesOfChannel(CoreItemFactory.SWITCH).build();

    private final Logger logger = LoggerFactory.getLogger(IotpayProfileFactory.class);
    private final PaidSocketRegistry sockets;

    @Activate
    public IotpayProfileFactory(final @Reference PaidSocketRegistry sockets) {
        this.sockets = sockets;
    }

    @Override
    public @Nullable Profile createProfile(ProfileTypeUID profileTypeUID, ProfileCallback callback,
            ProfileContext profileContext) {
        if (!PROFILE_PAYMENT_GATE.equals(profileTypeUID)) {
            return null;
        }
        PaymentGateConfiguration config = profileContext.getConfigurationAs(PaymentGateConfiguration.class);
        ThingUID socket = null;
        try {
            socket = config.socket.isBlank() ? null : new ThingUID(config.socket.trim());
        } catch (IllegalArgumentException e) {
            logger.warn("Payment gate on item {}: socket \"{}\" is not a thing UID; the gate stays closed",
                    callback.getItemChannelLink().getItemName(), config.socket);
        }
        if (socket == null) {
            logger.warn("Payment gate on item {} has no socket configured; the gate stays closed",
                    callback.getItemChannelLink().getItemName());
        }
        return new PaymentGateProfile(callback, sockets, socket, config.honorOwnerOverride);
    }

    @Override
    public Collection<ProfileTypeUID> getSupportedProfileTypeUIDs() {
        return List.of(PROFILE_PAYMENT_GATE);
    }

    @Override
    public Collection<ProfileType> getProfileTypes(@Nullable Locale locale) {
        return List.of(PAYMENT_GATE_TYPE);
    }
}
