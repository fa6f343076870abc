package org.openhab.binding.iotpay.internal.profile;

import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;
import static org.openhab.binding.iotpay.internal.Fixtures.*;

import java.time.Instant;
import java.util.Map;

import org.eclipse.jdt.annotation.NonNullByDefault;
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
import org.openhab.binding.iotpay.internal.handler.PaidSocketHandler;
import org.openhab.core.config.core.Configuration;
import org.openhab.core.library.types.OnOffType;
import org.openhab.core.thing.ChannelUID;
import org.openhab.core.thing.ThingUID;
import org.openhab.core.thing.binding.ThingHandlerCallback;
import org.openhab.core.thing.binding.builder.ThingBuilder;
import org.openhab.core.thing.link.ItemChannelLink;
import org.openhab.core.thing.profiles.ProfileCallback;
import org.openhab.core.thing.profiles.ProfileContext;

import io.iotpay.api.channel.ChannelEngine;
import io.iotpay.api.channel.SessionEvent;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionState;

/**
 * The payment gate on the plug's own link: ON passes only while a paid session runs (or the honoured owner
 * override is on); OFF always passes; a blocked ON resets the item.
 */
@ExtendWith(MockitoExtension.class)
@MockitoSettings(strictness = Strictness.LENIENT)
@NonNullByDefault
class PaymentGateProfileTest {

    private static final ThingUID SOCKET = new ThingUID(IotpayBindingConstants.THING_TYPE_PAIDSOCKET, "garage");

    private @Mock ProfileCallback callback;
    private @Mock ProfileContext context;
    private @Mock ChannelEngine engine;
    private @Mock DeviceRegistrar registrar;
    private @Mock ThingHandlerCallback thingCallback;

    private final PaidSocketRegistry sockets = new PaidSocketRegistry();
    private PaidSocketHandler socket;

    @BeforeEach
    void setUp() {
        when(callback.getItemChannelLink()).thenReturn(
                new ItemChannelLink("GaragePlug", new ChannelUID("shelly:shellyplug:garage:relay#output")));
        when(registrar.register(any())).thenReturn(() -> {
        });
        socket = new PaidSocketHandler(ThingBuilder.create(IotpayBindingConstants.THING_TYPE_PAIDSOCKET, SOCKET)
                .withConfiguration(new Configuration(Map.of("price", "0.25"))).build(), engine, registrar, sockets);
        socket.setCallback(thingCallback);
        socket.initialize(); // no bridge: OFFLINE, but registered as a socket
    }

    private PaymentGateProfile gate(Map<String, Object> config) {
        doAnswer(inv -> new Configuration(config).as(inv.getArgument(0, Class.class))).when(context)
                .getConfigurationAs(any());
        return (PaymentGateProfile) new IotpayProfileFactory(sockets)
                .createProfile(IotpayBindingConstants.PROFILE_PAYMENT_GATE, callback, context);
    }

    private void session(SessionState state) {
        socket.onSessionEvent(event(SessionEvent.Type.STARTED,
                snapshot(SessionRole.PROVIDER, state, offer("garage", "0.25"), 0, "0", Instant.now())));
    }

    @Test
    void blocksOnWithoutSessionAndResetsTheItem() {
        PaymentGateProfile gate = gate(Map.of("socket", SOCKET.toString()));

        gate.onCommandFromItem(OnOffType.ON);

        verify(callback, never()).handleCommand(any());
        verify(callback).sendUpdate(OnOffType.OFF);
    }

    @Test
    void passesOnWhileAPaidSessionRuns() {
        PaymentGateProfile gate = gate(Map.of("socket", SOCKET.toString()));
        session(SessionState.RUNNING);

        gate.onCommandFromItem(OnOffType.ON);

        verify(callback).handleCommand(OnOffType.ON);
        verify(callback, never()).sendUpdate(any());
    }

    @Test
    void blocksOnAgainOnceTheSessionIsPaused() {
        PaymentGateProfile gate = gate(Map.of("socket", SOCKET.toString()));
        session(SessionState.RUNNING);
        session(SessionState.PAUSED);

        gate.onCommandFromItem(OnOffType.ON);

        verify(callback, never()).handleCommand(any());
    }

    @Test
    void offAlwaysPasses() {
        PaymentGateProfile gate = gate(Map.of("socket", SOCKET.toString()));

        gate.onCommandFromItem(OnOffType.OFF);

        verify(callback).handleCommand(OnOffType.OFF);
    }

    @Test
    void ownerOverrideIsHonouredOnlyWhenConfigured() {
        socket.handleCommand(new ChannelUID(SOCKET, "owner-override"), OnOffType.ON);

        gate(Map.of("socket", SOCKET.toString())).onCommandFromItem(OnOffType.ON);
        verify(callback).handleCommand(OnOffType.ON);

        clearInvocations(callback);
        gate(Map.of("socket", SOCKET.toString(), "honorOwnerOverride", false)).onCommandFromItem(OnOffType.ON);
        verify(callback, never()).handleCommand(any());
    }

    @Test
    void unknownOrMissingSocketKeepsTheGateClosed() {
        gate(Map.of("socket", "iotpay:paidsocket:nowhere")).onCommandFromItem(OnOffType.ON);
        gate(Map.of()).onCommandFromItem(OnOffType.ON);
        gate(Map.of("socket", "not a uid")).onCommandFromItem(OnOffType.ON);

        verify(callback, never()).handleCommand(any());
    }

    @Test
    void handlerSideUpdatesAndCommandsPassThrough() {
        PaymentGateProfile gate = gate(Map.of("socket", SOCKET.toString()));

        gate.onStateUpdateFromHandler(OnOffType.ON);
        gate.onCommandFromHandler(OnOffType.OFF);

        verify(callback).sendUpdate(OnOffType.ON);
        verify(callback).sendCommand(OnOffType.OFF);
        assertEquals(IotpayBindingConstants.PROFILE_PAYMENT_GATE, gate.getProfileTypeUID());
    }
}
