package io.iotpay.channel.internal.osgi;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.iotpay.api.device.MeteredDevice;

/**
 * A fixed content sold per request, one per configuration of the factory PID {@code io.iotpay.channel.paidresource};
 * publish an offer priced per request for its device id and it is served on {@code /iotpay/paid/<offerId>}.
 */
@Designate(ocd = PaidResourceComponent.Config.class, factory = true)
@Component(service = {}, configurationPid = "io.iotpay.channel.paidresource",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public final class PaidResourceComponent {

    /** Configuration of one paid resource. */
    @ObjectClassDefinition(name = "IOTPAY resource sold per request")
    public @interface Config {
        @AttributeDefinition(description = "Device id of the resource, [A-Za-z0-9._:-]{1,128}")
        String deviceId() default "forecast";

        @AttributeDefinition(description = "Media type")
        String contentType() default "application/json";

        @AttributeDefinition(description = "Content served for each paid request")
        String content() default "{\"forecast\":\"sunny\"}";
    }

    private final ServiceRegistration<MeteredDevice> registration;

    @Activate
    public PaidResourceComponent(BundleContext context, Config config) {
        StaticPaidResource r = new StaticPaidResource(config.deviceId(), config.contentType(),
                config.content().getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("iotpay.device", r.deviceId());
        registration = context.registerService(MeteredDevice.class, r, props);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }
}
