package org.openhab.binding.iotpay.internal;

import static org.openhab.binding.iotpay.internal.IotpayBindingConstants.*;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;
import org.openhab.binding.iotpay.internal.handler.PaidSocketHandler;
import org.openhab.binding.iotpay.internal.handler.PurchaseHandler;
import org.openhab.binding.iotpay.internal.handler.WalletBridgeHandler;
import org.openhab.core.thing.Bridge;
import org.openhab.core.thing.Thing;
import org.openhab.core.thing.ThingTypeUID;
import org.openhab.core.thing.binding.BaseThingHandlerFactory;
import org.openhab.core.thing.binding.ThingHandler;
import org.openhab.core.thing.binding.ThingHandlerFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.chain.ChainConnector;
import io.iotpay.api.channel.ChannelEngine;
import io.iotpay.api.channel.SessionEvent;
import io.iotpay.api.channel.SessionListener;
import io.iotpay.api.device.MeteredDevice;
import io.iotpay.api.identity.DeviceIdentity;
import io.iotpay.api.notary.Notary;
import io.iotpay.api.wallet.Wallet;

/**
 * Creates the IOTPAY handlers and wires them to the core services: the wallet and channel engine (static), the chain
 * connectors (dynamic: they come and go while things keep running), session events (this factory is a
 * {@link SessionListener} and hands every event to the live handlers), and the {@link MeteredDevice} services paid
 * sockets publish for the engine.
 */
@NonNullByDefault
@Component(configurationPid = "binding.iotpay", service = { ThingHandlerFactory.class, SessionListener.class })
public class IotpayHandlerFactory extends BaseThingHandlerFactory implements SessionListener {

    private final Logger logger = LoggerFactory.getLogger(IotpayHandlerFactory.class);
    private final Wallet wallet;
    private final ChannelEngine engine;
    private final PaidSocketRegistry sockets;
    private final ChainConnectors connectors = new ChainConnectors();
    private final OptionalServices optional = new OptionalServices();
    private final List<SessionEventSink> sinks = new CopyOnWriteArrayList<>();

    @Activate
    public IotpayHandlerFactory(final @Reference Wallet wallet, final @Reference ChannelEngine engine,
            final @Reference PaidSocketRegistry sockets, ComponentContext componentContext) {
        super.activate(componentContext);
        this.wallet = wallet;
        this.engine = engine;
        this.sockets = sockets;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    protected void addChainConnector(ChainConnector connector, Map<String, Object> properties) {
        connectors.add(connector, properties);
    }

    protected void removeChainConnector(ChainConnector connector, Map<String, Object> properties) {
        connectors.remove(connector, properties);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    protected void setNotary(Notary notary) {
        optional.setNotary(notary);
    }

    protected void unsetNotary(Notary notary) {
        if (optional.notary() == notary) {
            optional.setNotary(null);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    protected void setDeviceIdentity(DeviceIdentity identity) {
        optional.setIdentity(identity);
    }

    protected void unsetDeviceIdentity(DeviceIdentity identity) {
        if (optional.identity() == identity) {
            optional.setIdentity(null);
        }
    }

    /** The connectors this factory tracks (for tests). */
    ChainConnectors connectors() {
        return connectors;
    }

    @Override
    public boolean supportsThingType(ThingTypeUID thingTypeUID) {
        return SUPPORTED_THING_TYPES.contains(thingTypeUID);
    }

    @Override
    protected @Nullable ThingHandler createHandler(Thing thing) {
        ThingTypeUID type = thing.getThingTypeUID();
        ThingHandler handler = null;
        if (THING_TYPE_WALLET.equals(type) && thing instanceof Bridge bridge) {
            handler = new WalletBridgeHandler(bridge, wallet, engine, connectors, optional);
        } else if (THING_TYPE_PAIDSOCKET.equals(type)) {
            handler = new PaidSocketHandler(thing, engine, this::registerDevice, sockets);
        } else if (THING_TYPE_PURCHASE.equals(type)) {
            handler = new PurchaseHandler(thing, engine);
        }
        if (handler instanceof SessionEventSink sink) {
            sinks.add(sink);
        }
        return handler;
    }

    @Override
    protected void removeHandler(ThingHandler thingHandler) {
        if (thingHandler instanceof SessionEventSink sink) {
            sinks.remove(sink);
        }
        super.removeHandler(thingHandler);
    }

    private DeviceRegistrar.Registration registerDevice(MeteredDevice device) {
        BundleContext context = getBundleContext();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(DEVICE_PROPERTY, device.deviceId());
        ServiceRegistration<MeteredDevice> registration = context.registerService(MeteredDevice.class, device,
                properties);
        return () -> {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                logger.debug("Device {} was already unregistered", device.deviceId());
            }
        };
    }

    @Override
    public void onSessionEvent(SessionEvent event) {
        for (SessionEventSink sink : sinks) {
            try {
                sink.onSessionEvent(event);
            } catch (RuntimeException e) {
                logger.warn("Session event {} of {} failed in a handler: {}", event.type(), event.id(), e.getMessage());
            }
        }
    }
}
