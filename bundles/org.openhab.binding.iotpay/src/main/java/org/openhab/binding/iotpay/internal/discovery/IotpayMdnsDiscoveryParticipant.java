package org.openhab.binding.iotpay.internal.discovery;

import static org.openhab.binding.iotpay.internal.IotpayBindingConstants.*;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import javax.jmdns.ServiceInfo;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;
import org.openhab.core.config.discovery.DiscoveryResult;
import org.openhab.core.config.discovery.DiscoveryResultBuilder;
import org.openhab.core.config.discovery.mdns.MDNSDiscoveryParticipant;
import org.openhab.core.thing.ThingTypeUID;
import org.openhab.core.thing.ThingUID;
import org.osgi.service.component.annotations.Component;

import io.iotpay.api.device.DeviceIds;

/**
 * Puts IOTPAY providers announced over mDNS ({@code _iotpay._tcp}) into the inbox as {@code iotpay:purchase}
 * things. TXT records read: {@code path} (offer path, default {@code /iotpay/offers/<device>}), {@code device}
 * (device id), {@code scheme} (http or https, default http), {@code price} and {@code unit} (shown in the label).
 */
@NonNullByDefault
@Component(service = MDNSDiscoveryParticipant.class)
public class IotpayMdnsDiscoveryParticipant implements MDNSDiscoveryParticipant {

    @Override
    public Set<ThingTypeUID> getSupportedThingTypeUIDs() {
        return Set.of(THING_TYPE_PURCHASE);
    }

    @Override
    public String getServiceType() {
        return MDNS_SERVICE_TYPE;
    }

    @Override
    public @Nullable DiscoveryResult createResult(ServiceInfo service) {
        ThingUID uid = getThingUID(service);
        String url = providerUrl(service);
        if (uid == null || url == null) {
            return null;
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put(PROPERTY_PROVIDER_URL, url);
        properties.put(PROPERTY_DEVICE_ID, deviceId(service));
        String price = service.getPropertyString("price");
        String unit = service.getPropertyString("unit");
        String label = "IOTPAY provider " + deviceId(service)
                + (price != null && !price.isBlank() ? " (" + price + (unit != null ? " per " + unit : "") + ")" : "");
        return DiscoveryResultBuilder.create(uid).withProperties(properties)
                .withRepresentationProperty(PROPERTY_PROVIDER_URL).withLabel(label).build();
    }

    @Override
    public @Nullable ThingUID getThingUID(ServiceInfo service) {
        if (providerUrl(service) == null) {
            return null;
        }
        String id = deviceId(service).replaceAll("[^A-Za-z0-9_-]", "_");
        return new ThingUID(THING_TYPE_PURCHASE, id);
    }

    private static String deviceId(ServiceInfo service) {
        String device = service.getPropertyString("device");
        if (device != null && DeviceIds.PATTERN.matcher(device).matches()) {
            return device;
        }
        return service.getName().replaceAll("[^A-Za-z0-9._:-]", "_");
    }

    private static @Nullable String providerUrl(ServiceInfo service) {
        int port = service.getPort();
        String host = null;
        for (InetAddress a : service.getInetAddresses()) {
            if (a instanceof Inet4Address) {
                host = a.getHostAddress();
                break;
            }
            if (host == null) {
                host = "[" + a.getHostAddress() + "]";
            }
        }
        if (host == null || port <= 0) {
            return null;
        }
        String scheme = "https".equalsIgnoreCase(service.getPropertyString("scheme")) ? "https" : "http";
        String path = service.getPropertyString("path");
        if (path == null || path.isBlank()) {
            path = "/iotpay/offers/" + deviceId(service);
        } else if (!path.startsWith("/")) {
            path = "/" + path;
        }
        return scheme + "://" + host + ":" + port + path;
    }
}
