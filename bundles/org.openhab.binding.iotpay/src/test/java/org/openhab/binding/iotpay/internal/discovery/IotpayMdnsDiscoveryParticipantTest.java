package org.openhab.binding.iotpay.internal.discovery;

import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.Mockito.*;

import java.net.InetAddress;

import javax.jmdns.ServiceInfo;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.junit.jupiter.api.Test;
import org.openhab.binding.iotpay.internal.IotpayBindingConstants;
import org.openhab.core.config.discovery.DiscoveryResult;
import org.openhab.core.thing.ThingUID;

/**
 * IOTPAY providers announced over mDNS become purchase things in the inbox.
 */
@NonNullByDefault
class IotpayMdnsDiscoveryParticipantTest {

    private final IotpayMdnsDiscoveryParticipant participant = new IotpayMdnsDiscoveryParticipant();

    private static ServiceInfo service(String name, int port, String device, String path, InetAddress... addresses) {
        ServiceInfo info = mock(ServiceInfo.class);
        when(info.getName()).thenReturn(name);
        when(info.getPort()).thenReturn(port);
        when(info.getInetAddresses()).thenReturn(addresses);
        when(info.getPropertyString("device")).thenReturn(device);
        when(info.getPropertyString("path")).thenReturn(path);
        when(info.getPropertyString("price")).thenReturn("0.25 ETH");
        when(info.getPropertyString("unit")).thenReturn("kWh");
        return info;
    }

    @Test
    void listensForIotpayServices() {
        assertEquals("_iotpay._tcp.local.", participant.getServiceType());
        assertEquals(java.util.Set.of(IotpayBindingConstants.THING_TYPE_PURCHASE),
                participant.getSupportedThingTypeUIDs());
    }

    @Test
    void announcedProviderBecomesAPurchaseThingWithItsUrl() throws Exception {
        ServiceInfo info = service("Garage plug", 8181, "garage.plug-1", "/iotpay/offers/garage.plug-1",
                InetAddress.getByName("fe80::1"), InetAddress.getByName("192.168.1.20"));

        DiscoveryResult result = participant.createResult(info);

        assertNotNull(result);
        assertEquals(new ThingUID("iotpay:purchase:garage_plug-1"), result.getThingUID());
        assertEquals("http://192.168.1.20:8181/iotpay/offers/garage.plug-1", result.getProperties().get("providerUrl"));
        assertEquals("garage.plug-1", result.getProperties().get("deviceId"));
        assertEquals("providerUrl", result.getRepresentationProperty());
        assertTrue(result.getLabel().contains("garage.plug-1") && result.getLabel().contains("0.25 ETH per kWh"),
                result.getLabel());
    }

    @Test
    void defaultPathUsesTheDeviceId() throws Exception {
        ServiceInfo info = service("plug", 8443, "plug-2", null, InetAddress.getByName("10.0.0.7"));
        when(info.getPropertyString("scheme")).thenReturn("https");

        DiscoveryResult result = participant.createResult(info);

        assertNotNull(result);
        assertEquals("https://10.0.0.7:8443/iotpay/offers/plug-2", result.getProperties().get("providerUrl"));
    }

    @Test
    void serviceWithoutAddressIsNotReported() {
        ServiceInfo info = service("plug", 8181, "plug-3", null);

        assertNull(participant.createResult(info));
        assertNull(participant.getThingUID(info));
    }
}
