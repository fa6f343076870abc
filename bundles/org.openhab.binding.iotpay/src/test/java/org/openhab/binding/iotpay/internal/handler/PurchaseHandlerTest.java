package org.openhab.binding.iotpay.internal.handler;

import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.*;
import static org.mockito.Mockito.*;
import static org.openhab.binding.iotpay.internal.Fixtures.*;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import javax.measure.quantity.Energy;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.mockito.junit.jupiter.MockitoSettings;
import org.mockito.quality.Strictness;
import org.openhab.binding.iotpay.internal.IotpayBindingConstants;
import org.openhab.core.config.core.Configuration;
import org.openhab.core.library.types.DecimalType;
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
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.PurchaseRequest;
import io.iotpay.api.channel.SessionEvent;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;

/**
 * The purchase thing: configuration checks, offer polling, START/PAUSE/RESUME/STOP reaching the engine with the
 * configured budget and price cap, and engine events shown on its channels.
 */
@ExtendWith(MockitoExtension.class)
@MockitoSettings(strictness = Strictness.LENIENT)
@NonNullByDefault
class PurchaseHandlerTest {

    private static final long WAIT_MS = 10_000;
    private static final ThingUID BRIDGE_UID = new ThingUID(IotpayBindingConstants.THING_TYPE_WALLET, "home");
    private static final ThingUID UID = new ThingUID(IotpayBindingConstants.THING_TYPE_PURCHASE, BRIDGE_UID,
            "neighbour");
    private static final URI PROVIDER = URI.create("http://192.168.1.20:8181/iotpay/offers/garage");
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private @Mock ChannelEngine engine;
    private @Mock ThingHandlerCallback callback;
    private @Mock WalletBridgeHandler walletHandler;

    private Bridge bridge;
    private PurchaseHandler handler;
    private Offer offer;

    @BeforeEach
    void setUp() {
        bridge = BridgeBuilder.create(IotpayBindingConstants.THING_TYPE_WALLET, BRIDGE_UID).build();
        bridge.setHandler(walletHandler);
        bridge.setStatusInfo(new ThingStatusInfo(ThingStatus.ONLINE, ThingStatusDetail.NONE, null));
        when(walletHandler.asset()).thenReturn(ETH);
        when(walletHandler.account()).thenReturn(NEIGHBOUR);
        when(callback.getBridge(BRIDGE_UID)).thenReturn(bridge);
        offer = offer("garage", "0.25");
        when(engine.fetchOffer(PROVIDER)).thenReturn(offer);
        handler = newHandler(Map.of("providerUrl", PROVIDER.toString(), "budget", "0.1", "maxPrice", "0.30"));
    }

    @AfterEach
    void tearDown() {
        handler.dispose();
    }

    private PurchaseHandler newHandler(Map<String, Object> config) {
        Thing thing = ThingBuilder.create(IotpayBindingConstants.THING_TYPE_PURCHASE, UID).withBridge(BRIDGE_UID)
                .withConfiguration(new Configuration(config)).build();
        PurchaseHandler h = new PurchaseHandler(thing, engine);
        h.setCallback(callback);
        return h;
    }

    private ChannelUID ch(String id) {
        return new ChannelUID(UID, id);
    }

    private void startOnline() {
        handler.initialize();
        verify(callback, timeout(WAIT_MS)).statusUpdated(eq(handler.getThing()),
                argThat(i -> i.getStatus() == ThingStatus.ONLINE));
    }

    private SessionSnapshot consumer(SessionState state, long mWh, String paid) {
        return snapshot(SessionRole.CONSUMER, state, offer, mWh, paid, NOW);
    }

    @Test
    void onlineWithTheProvidersPrice() {
        startOnline();

        verify(callback, timeout(WAIT_MS)).stateUpdated(ch("price"), new DecimalType(new BigDecimal("0.25")));
        assertEquals(offer, handler.offer());
    }

    @Test
    void unreachableProviderIsACommunicationErrorNamingIt() {
        when(engine.fetchOffer(PROVIDER)).thenThrow(new IllegalStateException("connect timed out"));

        handler.initialize();

        verify(callback, timeout(WAIT_MS)).statusUpdated(eq(handler.getThing()),
                argThat(i -> i.getStatus() == ThingStatus.OFFLINE
                        && i.getStatusDetail() == ThingStatusDetail.COMMUNICATION_ERROR
                        && String.valueOf(i.getDescription()).contains("@text/offline.comm-error.no-offer [\"" + PROVIDER + "\"")
                        && String.valueOf(i.getDescription()).contains("connect timed out")));
    }

    @Test
    void relativeOrForeignUrlsAreConfigurationErrors() {
        for (String url : new String[] { "", "192.168.1.20:8181", "ftp://host/offer", "/iotpay/offers/x" }) {
            clearInvocations(callback);
            PurchaseHandler h = newHandler(Map.of("providerUrl", url, "budget", "0.1", "maxPrice", "0.3"));
            h.initialize();
            verify(callback).statusUpdated(eq(h.getThing()), argThat(i -> i.getStatus() == ThingStatus.OFFLINE
                    && i.getStatusDetail() == ThingStatusDetail.CONFIGURATION_ERROR
                    && String.valueOf(i.getDescription()).contains("@text/offline.conf-error.invalid [\"provider URL")));
            h.dispose();
        }
        verify(engine, never()).fetchOffer(any());
    }

    @Test
    void startBuysWithTheConfiguredBudgetAndPriceCap() {
        startOnline();
        when(engine.startPurchase(any())).thenReturn(consumer(SessionState.NEGOTIATING, 0, "0"));

        handler.handleCommand(ch("control"), new StringType("START"));

        ArgumentCaptor<PurchaseRequest> request = ArgumentCaptor.forClass(PurchaseRequest.class);
        verify(engine).startPurchase(request.capture());
        assertEquals(new PurchaseRequest(PROVIDER, eth("0.1"), Price.of(eth("0.30"), MeteringUnit.KILOWATT_HOUR),
                NEIGHBOUR), request.getValue());
        verify(callback).stateUpdated(ch("session-state"), new StringType("NEGOTIATING"));
    }

    @Test
    void pauseResumeStopReachTheSameSession() {
        startOnline();
        when(engine.startPurchase(any())).thenReturn(consumer(SessionState.RUNNING, 0, "0"));
        when(engine.pause(SESSION)).thenReturn(consumer(SessionState.PAUSED, 100, "0.000025"));
        when(engine.resume(SESSION)).thenReturn(consumer(SessionState.RUNNING, 100, "0.000025"));
        when(engine.stop(SESSION)).thenReturn(consumer(SessionState.STOPPED, 2_000_000, "0.0005"));

        handler.handleCommand(ch("control"), new StringType("START"));
        handler.handleCommand(ch("control"), new StringType("PAUSE"));
        handler.handleCommand(ch("control"), new StringType("resume"));
        handler.handleCommand(ch("control"), new StringType("STOP"));

        var order = inOrder(engine);
        order.verify(engine).startPurchase(any());
        order.verify(engine).pause(SESSION);
        order.verify(engine).resume(SESSION);
        order.verify(engine).stop(SESSION);
        verify(callback).stateUpdated(ch("energy-bought"),
                new QuantityType<Energy>(new BigDecimal("2"), Units.KILOWATT_HOUR));
        verify(callback).stateUpdated(ch("amount-paid"), new DecimalType(new BigDecimal("0.0005")));
    }

    @Test
    void startWhileRunningDoesNotOpenASecondSession() {
        startOnline();
        when(engine.startPurchase(any())).thenReturn(consumer(SessionState.RUNNING, 0, "0"));

        handler.start();
        handler.start();

        verify(engine, times(1)).startPurchase(any());
    }

    @Test
    void priceAboveCapRefusalIsLoggedNotThrownIntoTheFramework() {
        startOnline();
        when(engine.startPurchase(any()))
                .thenThrow(new ProtocolException(ErrorCode.PRICE_ABOVE_CAP, "0.25 ETH/kWh > 0.2 ETH/kWh"));

        assertDoesNotThrow(() -> handler.handleCommand(ch("control"), new StringType("START")));
        assertThrows(ProtocolException.class, handler::start);
        assertNull(handler.current());
    }

    @Test
    void engineEventsOfThisSessionUpdateChannelsAndTrigger() {
        startOnline();
        when(engine.startPurchase(any())).thenReturn(consumer(SessionState.RUNNING, 0, "0"));
        handler.start();
        when(engine.session(SESSION)).thenReturn(Optional.of(consumer(SessionState.RUNNING, 500_000, "0.000125")));

        handler.onSessionEvent(event(SessionEvent.Type.CREDIT_LOW, consumer(SessionState.RUNNING, 400_000, "0.0001")));

        verify(callback).channelTriggered(handler.getThing(), ch("session-event"), "CREDIT_LOW");
        verify(callback).stateUpdated(ch("amount-paid"), new DecimalType(new BigDecimal("0.0001")));

        handler.poll();
        verify(callback).stateUpdated(ch("amount-paid"), new DecimalType(new BigDecimal("0.000125")));
    }

    @Test
    void eventsOfOtherSessionsAreIgnored() {
        startOnline();

        handler.onSessionEvent(event(SessionEvent.Type.STARTED, consumer(SessionState.RUNNING, 0, "0")));

        verify(callback, never()).channelTriggered(any(), any(), anyString());
    }
}
