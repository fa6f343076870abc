package org.openhab.binding.iotpay.internal.handler;

import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.*;
import static org.mockito.Mockito.*;
import static org.openhab.binding.iotpay.internal.Fixtures.*;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.measure.quantity.Energy;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.mockito.junit.jupiter.MockitoSettings;
import org.mockito.quality.Strictness;
import org.openhab.binding.iotpay.internal.DeviceRegistrar;
import org.openhab.binding.iotpay.internal.IotpayBindingConstants;
import org.openhab.binding.iotpay.internal.PaidSocketRegistry;
import org.openhab.core.config.core.Configuration;
import org.openhab.core.library.types.DecimalType;
import org.openhab.core.library.types.OnOffType;
import org.openhab.core.library.types.QuantityType;
import org.openhab.core.library.types.StringType;
import org.openhab.core.library.unit.Units;
import org.openhab.core.thing.Bridge;
import org.openhab.core.thing.ChannelUID;
import org.openhab.core.thing.Thing;
import org.openhab.core.thing.ThingStatus;
import org.openhab.core.thing.ThingStatusDetail;
import org.openhab.core.thing.ThingStatusInfo;
import org.openhab.core.thing.ThingUID;
import org.openhab.core.thing.binding.ThingHandlerCallback;
import org.openhab.core.thing.binding.builder.BridgeBuilder;
import org.openhab.core.thing.binding.builder.ThingBuilder;

import io.iotpay.api.channel.ChannelEngine;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.SessionEvent;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.device.MeterReading;
import io.iotpay.api.device.MeteredDevice;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;

/**
 * The paid socket: offer publication, follow-profile meter inputs driving the engine's readings, relay and control
 * commands reaching the engine's session, and session events shown on channels and triggers.
 */
@ExtendWith(MockitoExtension.class)
@MockitoSettings(strictness = Strictness.LENIENT)
@NonNullByDefault
class PaidSocketHandlerTest {

    private static final long WAIT_MS = 10_000;
    private static final ThingUID BRIDGE_UID = new ThingUID(IotpayBindingConstants.THING_TYPE_WALLET, "home");
    private static final ThingUID UID = new ThingUID(IotpayBindingConstants.THING_TYPE_PAIDSOCKET, BRIDGE_UID,
            "garage");
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private @Mock ChannelEngine engine;
    private @Mock ThingHandlerCallback callback;
    private @Mock WalletBridgeHandler walletHandler;
    private @Mock DeviceRegistrar registrar;
    private @Mock DeviceRegistrar.Registration registration;

    private final PaidSocketRegistry sockets = new PaidSocketRegistry();
    private final List<MeterReading> readings = new ArrayList<>();
    private Bridge bridge;
    private PaidSocketHandler handler;
    private Offer offer;

    @BeforeEach
    void setUp() {
        bridge = BridgeBuilder.create(IotpayBindingConstants.THING_TYPE_WALLET, BRIDGE_UID).build();
        bridge.setHandler(walletHandler);
        bridgeStatus(ThingStatus.ONLINE);
        when(walletHandler.asset()).thenReturn(ETH);
        when(callback.getBridge(BRIDGE_UID)).thenReturn(bridge);
        when(registrar.register(any())).thenReturn(registration);
        offer = offer("garage", "0.25");
        when(engine.publishOffer(eq("garage"), any(), any(), any())).thenReturn(offer);
        handler = newHandler(Map.of("price", "0.25", "creditWindow", "0.001", "minimumDeposit", "0.01"));
    }

    @AfterEach
    void tearDown() {
        handler.dispose();
    }

    private PaidSocketHandler newHandler(Map<String, Object> config) {
        Thing thing = ThingBuilder.create(IotpayBindingConstants.THING_TYPE_PAIDSOCKET, UID).withBridge(BRIDGE_UID)
                .withConfiguration(new Configuration(config)).build();
        PaidSocketHandler h = new PaidSocketHandler(thing, engine, registrar, sockets);
        h.setCallback(callback);
        h.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
        return h;
    }

    private void bridgeStatus(ThingStatus status) {
        bridge.setStatusInfo(new ThingStatusInfo(status, ThingStatusDetail.NONE, null));
    }

    private ChannelUID ch(String id) {
        return new ChannelUID(UID, id);
    }

    private MeteredDevice startOnline() {
        handler.initialize();
        verify(callback, timeout(WAIT_MS)).statusUpdated(eq(handler.getThing()),
                argThat(i -> i.getStatus() == ThingStatus.ONLINE));
        // publishOffer's last step: after it the scheduler thread leaves the mocks alone (race-free stubbing)
        verify(callback, timeout(WAIT_MS)).stateUpdated(eq(ch("earned-today")), any());
        MeteredDevice device = handler.device();
        device.addListener(readings::add);
        return device;
    }

    private void running(SessionState state) {
        handler.onSessionEvent(event(SessionEvent.Type.STARTED,
                snapshot(SessionRole.PROVIDER, state, offer, 0, "0", NOW)));
    }

    @Test
    void publishesTheConfiguredOfferExactlyAndGoesOnline() {
        startOnline();

        verify(engine).publishOffer("garage", Price.of(eth("0.25"), MeteringUnit.KILOWATT_HOUR), eth("0.001"),
                eth("0.01"));
        verify(callback).stateUpdated(ch("price"), new DecimalType(new BigDecimal("0.25")));
        verify(registrar).register(handler.device());
        assertSame(handler, sockets.get(UID));
    }

    @Test
    void bridgeOfflineMeansBridgeOfflineStatusAndNoOffer() {
        bridgeStatus(ThingStatus.OFFLINE);

        handler.initialize();

        verify(callback).statusUpdated(eq(handler.getThing()), argThat(i -> i.getStatus() == ThingStatus.OFFLINE
                && i.getStatusDetail() == ThingStatusDetail.BRIDGE_OFFLINE));
        verify(engine, never()).publishOffer(any(), any(), any(), any());
    }

    @Test
    void invalidPriceIsAConfigurationError() {
        PaidSocketHandler h = newHandler(Map.of("price", "free"));

        h.initialize();

        verify(callback).statusUpdated(eq(h.getThing()), argThat(i -> i.getStatus() == ThingStatus.OFFLINE
                && i.getStatusDetail() == ThingStatusDetail.CONFIGURATION_ERROR
                && String.valueOf(i.getDescription()).contains("@text/offline.conf-error.invalid [\"price 'free' is not a decimal")));
        verify(registrar, never()).register(any());
        h.dispose();
    }

    @Test
    void followProfileEnergyUpdatesDriveMonotonicMeterReadings() {
        MeteredDevice device = startOnline();

        handler.handleCommand(ch("energy"), new QuantityType<Energy>(new BigDecimal("12.000"), Units.KILOWATT_HOUR));
        handler.handleCommand(ch("energy"), new QuantityType<Energy>(new BigDecimal("12.250"), Units.KILOWATT_HOUR));
        handler.handleCommand(ch("energy"), new QuantityType<Energy>(new BigDecimal("12500"), Units.WATT_HOUR));
        // meter reset: no negative delivery, the new value becomes the baseline
        handler.handleCommand(ch("energy"), new QuantityType<Energy>(new BigDecimal("0.100"), Units.KILOWATT_HOUR));
        handler.handleCommand(ch("energy"), new DecimalType(new BigDecimal("0.2")));

        List<BigInteger> counters = readings.stream().map(MeterReading::cumulativeSubunits).toList();
        assertEquals(List.of(BigInteger.ZERO, BigInteger.valueOf(250_000), BigInteger.valueOf(500_000),
                BigInteger.valueOf(500_000), BigInteger.valueOf(600_000)), counters);
        assertEquals("garage", readings.get(0).deviceId());
        assertEquals(NOW, readings.get(0).at());
        assertEquals(BigInteger.valueOf(600_000), device.read().cumulativeSubunits());
    }

    @Test
    void powerUpdatesAreReportedInMilliwatts() {
        startOnline();

        handler.handleCommand(ch("power"), new QuantityType<>(new BigDecimal("1.5"), org.openhab.core.library.unit.MetricPrefix.KILO(Units.WATT)));

        assertEquals(1_500_000L, readings.get(readings.size() - 1).powerMilliwatts());
    }

    @Test
    void engineSwitchesThePlugThroughTheRelayChannel() {
        MeteredDevice device = startOnline();

        device.switchOn();
        verify(callback).postCommand(ch("relay"), OnOffType.ON);
        assertTrue(device.isOn());
        assertTrue(handler.allowsPower(false));

        device.switchOff();
        verify(callback).postCommand(ch("relay"), OnOffType.OFF);
        assertFalse(device.isOn());
        assertFalse(handler.allowsPower(false));
    }

    @Test
    void relayOffFromThePlugPausesTheRunningSessionAndOnResumesIt() {
        MeteredDevice device = startOnline();
        running(SessionState.RUNNING);
        device.switchOn();
        when(engine.pause(SESSION)).thenReturn(snapshot(SessionRole.PROVIDER, SessionState.PAUSED, offer, 10, "0", NOW));
        when(engine.resume(SESSION))
                .thenReturn(snapshot(SessionRole.PROVIDER, SessionState.RUNNING, offer, 10, "0", NOW));

        handler.handleCommand(ch("relay"), OnOffType.OFF);
        verify(engine).pause(SESSION);

        device.switchOff(); // the engine switches off after pausing
        handler.handleCommand(ch("relay"), OnOffType.ON);
        verify(engine).resume(SESSION);
    }

    @Test
    void echoOfTheEnginesOwnSwitchingDoesNotReachTheSession() {
        MeteredDevice device = startOnline();
        running(SessionState.PAUSED);

        device.switchOn();
        handler.handleCommand(ch("relay"), OnOffType.ON); // the item command caused by our own postCommand

        verify(engine, never()).resume(any());
        verify(engine, never()).pause(any());
    }

    @Test
    void relayOnWithoutAnythingPaidDoesNotCountAsOn() {
        MeteredDevice device = startOnline();

        handler.handleCommand(ch("relay"), OnOffType.ON);
        assertFalse(device.isOn());

        handler.handleCommand(ch("owner-override"), OnOffType.ON);
        handler.handleCommand(ch("relay"), OnOffType.ON);
        assertTrue(device.isOn());
        verify(engine, never()).resume(any());
    }

    @Test
    void controlCommandsReachTheEnginesSession() {
        startOnline();
        running(SessionState.RUNNING);
        when(engine.pause(SESSION)).thenReturn(snapshot(SessionRole.PROVIDER, SessionState.PAUSED, offer, 10, "0", NOW));
        when(engine.resume(SESSION))
                .thenReturn(snapshot(SessionRole.PROVIDER, SessionState.RUNNING, offer, 10, "0", NOW));
        when(engine.stop(SESSION)).thenReturn(snapshot(SessionRole.PROVIDER, SessionState.STOPPED, offer, 10, "0", NOW));

        handler.handleCommand(ch("control"), new StringType("PAUSE"));
        handler.handleCommand(ch("control"), new StringType("RESUME"));
        handler.handleCommand(ch("control"), new StringType("STOP"));

        var order = inOrder(engine);
        order.verify(engine).pause(SESSION);
        order.verify(engine).resume(SESSION);
        order.verify(engine).stop(SESSION);
        verify(callback).stateUpdated(ch("session-state"), new StringType("STOPPED"));
    }

    @Test
    void controlWithoutSessionDoesNothing() {
        startOnline();

        handler.handleCommand(ch("control"), new StringType("STOP"));

        verify(engine, never()).stop(any());
        assertThrows(IllegalStateException.class, handler::stop);
    }

    @Test
    void sessionEventsUpdateChannelsAndFireTriggers() {
        startOnline();
        when(engine.channels()).thenReturn(List.of(channel(NEIGHBOUR, HOUSE, "0.01", "0", ChannelState.OPEN)));
        SessionSnapshot paid = snapshot(SessionRole.PROVIDER, SessionState.RUNNING, offer, 1_500_000, "0.000375", NOW);
        SessionSnapshot yesterday = snapshot(new io.iotpay.api.channel.SessionId("session-0000"), SessionRole.PROVIDER,
                SessionState.STOPPED, offer, 4_000_000, "0.001", NOW.minusSeconds(86_400));
        when(engine.sessions()).thenReturn(List.of(paid, yesterday));

        handler.onSessionEvent(event(SessionEvent.Type.PAYMENT_RECEIVED, paid));

        verify(callback).channelTriggered(handler.getThing(), ch("session-event"), "PAYMENT_RECEIVED");
        verify(callback).stateUpdated(ch("session-state"), new StringType("RUNNING"));
        verify(callback).stateUpdated(ch("payer"), new StringType(NEIGHBOUR.toString()));
        verify(callback).stateUpdated(ch("energy-sold"),
                new QuantityType<Energy>(new BigDecimal("1.5"), Units.KILOWATT_HOUR));
        verify(callback).stateUpdated(ch("earned-session"), new DecimalType(new BigDecimal("0.000375")));
        verify(callback).stateUpdated(ch("earned-today"), new DecimalType(new BigDecimal("0.000375")));
        verify(callback).stateUpdated(ch("earned-total"), new DecimalType(new BigDecimal("0.001375")));
        assertTrue(handler.allowsPower(false));
    }

    @Test
    void eventsOfOtherDevicesAndConsumerSessionsAreIgnored() {
        startOnline();

        handler.onSessionEvent(event(SessionEvent.Type.STARTED,
                snapshot(SessionRole.PROVIDER, SessionState.RUNNING, offer("kitchen", "0.25"), 0, "0", NOW)));
        handler.onSessionEvent(event(SessionEvent.Type.STARTED,
                snapshot(SessionRole.CONSUMER, SessionState.RUNNING, offer, 0, "0", NOW)));

        verify(callback, never()).channelTriggered(any(), any(), anyString());
        assertFalse(handler.allowsPower(false));
    }

    @Test
    void disposeWithdrawsTheDevice() {
        startOnline();

        handler.dispose();

        verify(registration).close();
        assertNull(sockets.get(UID));
    }
}
