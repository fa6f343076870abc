package io.iotpay.channel.internal.osgi;

import java.math.BigInteger;
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
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.channel.internal.sim.PowerProfile;
import io.iotpay.channel.internal.sim.SimulatedPlug;

/**
 * A simulated plug with a meter, registered as a {@link MeteredDevice} service for each configuration of the factory
 * PID {@code io.iotpay.channel.simplug} (for the demo and the itests).
 */
@Designate(ocd = SimulatedPlugComponent.Config.class, factory = true)
@Component(service = {}, configurationPid = "io.iotpay.channel.simplug",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public final class SimulatedPlugComponent {

    /** Configuration of one simulated plug. */
    @ObjectClassDefinition(name = "IOTPAY simulated plug")
    public @interface Config {
        @AttributeDefinition(description = "Device id, [A-Za-z0-9._:-]{1,128}")
        String deviceId() default "sim-plug-1";

        @AttributeDefinition(description = "Constant load in watts while the relay is on")
        long powerWatts() default 2000;

        @AttributeDefinition(description = "Metering unit: kWh or min")
        String unit() default "kWh";

        @AttributeDefinition(description = "Simulated clock speed-up (60 = one simulated minute per real second)")
        long clockSpeed() default 1;
    }

    private final ServiceRegistration<MeteredDevice> registration;

    @Activate
    public SimulatedPlugComponent(BundleContext context, Config config) {
        SimulatedPlug plug = create(config);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("iotpay.device", plug.deviceId());
        props.put("iotpay.simulated", Boolean.TRUE);
        registration = context.registerService(MeteredDevice.class, plug, props);
    }

    static SimulatedPlug create(Config config) {
        if (config.powerWatts() < 0) {
            throw new IllegalArgumentException("powerWatts must not be negative");
        }
        long milliwatts = BigInteger.valueOf(config.powerWatts()).multiply(BigInteger.valueOf(1000)).longValueExact();
        return new SimulatedPlug(config.deviceId(), MeteringUnit.ofSymbol(config.unit().trim()),
                PowerProfile.constant(milliwatts), new ScaledClock(config.clockSpeed()));
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
