package org.openhab.binding.iotpay.internal.handler;

import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.*;
import static org.mockito.Mockito.*;
import static org.openhab.binding.iotpay.internal.Fixtures.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
import org.openhab.binding.iotpay.internal.ChainConnectors;
import org.openhab.binding.iotpay.internal.IotpayBindingConstants;
import org.openhab.binding.iotpay.internal.OptionalServices;
import org.openhab.core.config.core.Configuration;
import org.openhab.core.library.types.DecimalType;
import org.openhab.core.thing.Bridge;
import org.openhab.core.thing.ChannelUID;
import org.openhab.core.thing.ThingStatus;
import org.openhab.core.thing.ThingStatusDetail;
import org.openhab.core.thing.ThingStatusInfo;
import org.openhab.core.thing.ThingUID;
import org.openhab.core.thing.binding.ThingHandlerCallback;
import org.openhab.core.thing.binding.builder.BridgeBuilder;

import io.iotpay.api.chain.ChainConnector;
import io.iotpay.api.chain.ChainStatus;
import io.iotpay.api.channel.ChannelEngine;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.api.wallet.Wallet;

/**
 * The wallet bridge goes ONLINE with a reachable connector, OFFLINE with a clear detail without one, and follows
 * connectors coming and going (hot swap).
 */
@ExtendWith(MockitoExtension.class)
@MockitoSettings(strictness = Strictness.LENIENT)
@NonNullByDefault
class WalletBridgeHandlerTest {

    private static final long WAIT_MS = 10_000;
    private static final ThingUID UID = new ThingUID(IotpayBindingConstants.THING_TYPE_WALLET, "home");

    private @Mock Wallet wallet;
    private @Mock ChannelEngine engine;
    private @Mock ChainConnector connector;
    private @Mock ThingHandlerCallback callback;

    private final ChainConnectors connectors = new ChainConnectors();
    private final OptionalServices optional = new OptionalServices();
    private WalletBridgeHandler handler;

    @BeforeEach
    void setUp() {
        handler = newHandler(Map.of("account", "house", "network", "eip155:31337"));
        when(wallet.account("house")).thenReturn(Optional.of(
                new AccountInfo("house", HOUSE, "m/44'/60'/0'/0/0", false, AccountInfo.KeyOrigin.MNEMONIC)));
        when(wallet.policy(HOUSE)).thenReturn(SpendingPolicy.denyAll(ETH));
        when(connector.chainId()).thenReturn(CHAIN);
        when(connector.nativeAsset()).thenReturn(ETH);
        when(connector.balance(HOUSE, ETH)).thenReturn(eth("1.5"));
    }

    @AfterEach
    void tearDown() {
        handler.dispose();
    }

    private WalletBridgeHandler newHandler(Map<String, Object> config) {
        Bridge bridge = BridgeBuilder.create(IotpayBindingConstants.THING_TYPE_WALLET, UID)
                .withConfiguration(new Configuration(config)).build();
        WalletBridgeHandler h = new WalletBridgeHandler(bridge, wallet, engine, connectors, optional);
        h.setCallback(callback);
        return h;
    }

    private void reachable(boolean up, String detail) {
        when(connector.status()).thenReturn(new ChainStatus(CHAIN, up, up ? 42 : -1, Instant.now(), detail));
    }

    private ThingStatusInfo awaitStatus(ThingStatus status) {
        ArgumentCaptor<ThingStatusInfo> info = ArgumentCaptor.forClass(ThingStatusInfo.class);
        verify(callback, timeout(WAIT_MS).atLeastOnce()).statusUpdated(eq(handler.getThing()),
                argThat(i -> i.getStatus() == status));
        verify(callback, atLeastOnce()).statusUpdated(eq(handler.getThing()), info.capture());
        return info.getAllValues().stream().filter(i -> i.getStatus() == status).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void onlineWithReachableConnectorAndPublishesBalance() {
        reachable(true, "ok");
        connectors.add(connector, Map.of(ChainConnector.CHAIN_PROPERTY, "eip155:31337"));

        handler.initialize();

        awaitStatus(ThingStatus.ONLINE);
        verify(callback, timeout(WAIT_MS)).stateUpdated(new ChannelUID(UID, "balance"),
                new DecimalType(new BigDecimal("1.5")));
    }

    @Test
    void offlineWithClearDetailWhenConnectorIsMissing() {
        handler.initialize();

        ThingStatusInfo info = awaitStatus(ThingStatus.OFFLINE);
        assertEquals(ThingStatusDetail.COMMUNICATION_ERROR, info.getStatusDetail());
        assertTrue(String.valueOf(info.getDescription()).contains("@text/offline.comm-error.no-connector [\"eip155:31337\"]"),
                info.getDescription());
    }

    @Test
    void offlineWithTheChainsReasonWhenUnreachable() {
        reachable(false, "connection refused by 127.0.0.1:8545");
        connectors.add(connector, Map.of());

        handler.initialize();

        ThingStatusInfo info = awaitStatus(ThingStatus.OFFLINE);
        assertEquals(ThingStatusDetail.COMMUNICATION_ERROR, info.getStatusDetail());
        assertTrue(String.valueOf(info.getDescription()).contains("@text/offline.comm-error.unreachable [\"eip155:31337\", \"connection refused by 127.0.0.1:8545\"]"),
                info.getDescription());
    }

    @Test
    void hotSwapGoesOnlineWhenConnectorAppearsAndOfflineWhenItLeaves() {
        reachable(true, "ok");
        handler.initialize();
        awaitStatus(ThingStatus.OFFLINE);

        connectors.add(connector, Map.of(ChainConnector.CHAIN_PROPERTY, "eip155:31337"));
        awaitStatus(ThingStatus.ONLINE);
        assertSame(connector, handler.connector());
        verify(callback, timeout(WAIT_MS)).stateUpdated(eq(new ChannelUID(UID, "spent-today")), any());

        clearInvocations(callback);
        connectors.remove(connector, Map.of(ChainConnector.CHAIN_PROPERTY, "eip155:31337"));
        ThingStatusInfo info = awaitStatus(ThingStatus.OFFLINE);
        assertEquals(ThingStatusDetail.COMMUNICATION_ERROR, info.getStatusDetail());
        assertNull(handler.connector());
    }

    @Test
    void unreachableChainComesBackOnlineOnTheNextRefresh() {
        reachable(false, "connection refused");
        connectors.add(connector, Map.of());
        handler.initialize();
        awaitStatus(ThingStatus.OFFLINE);
        verify(callback, never()).statusUpdated(eq(handler.getThing()),
                argThat(i -> i.getStatus() == ThingStatus.ONLINE));

        reachable(true, "ok");
        handler.refresh(); // what the periodic job does

        verify(callback).statusUpdated(eq(handler.getThing()), argThat(i -> i.getStatus() == ThingStatus.ONLINE));
    }

    @Test
    void connectorOfAnotherChainDoesNotBringTheBridgeOnline() {
        ChainConnector bsc = mock(ChainConnector.class);
        when(bsc.chainId()).thenReturn(io.iotpay.api.chain.ChainId.BSC);
        connectors.add(bsc, Map.of());

        handler.refresh(); // not initialized: nothing happens
        handler.initialize();

        awaitStatus(ThingStatus.OFFLINE);
        verify(bsc, never()).status();
    }

    @Test
    void unknownAccountIsAConfigurationError() {
        WalletBridgeHandler h = newHandler(Map.of("account", "nobody", "network", "eip155:31337"));
        when(wallet.account("nobody")).thenReturn(Optional.empty());

        h.initialize();

        verify(callback).statusUpdated(eq(h.getThing()), argThat(i -> i.getStatus() == ThingStatus.OFFLINE
                && i.getStatusDetail() == ThingStatusDetail.CONFIGURATION_ERROR
                && String.valueOf(i.getDescription()).contains("@text/offline.conf-error.unknown-account [\"nobody\"]")));
        h.dispose();
    }

    @Test
    void malformedNetworkIsAConfigurationError() {
        WalletBridgeHandler h = newHandler(Map.of("account", "house", "network", "bsc"));

        h.initialize();

        verify(callback).statusUpdated(eq(h.getThing()), argThat(i -> i.getStatus() == ThingStatus.OFFLINE
                && i.getStatusDetail() == ThingStatusDetail.CONFIGURATION_ERROR
                && String.valueOf(i.getDescription()).startsWith("@text/offline.conf-error.bad-network [\"bsc\"")));
        verify(wallet, never()).account(anyString());
        h.dispose();
    }

    @Test
    void accountOnAnotherChainIsAConfigurationError() {
        WalletBridgeHandler h = newHandler(Map.of("account", "house", "network", "eip155:56"));

        h.initialize();

        verify(callback).statusUpdated(eq(h.getThing()), argThat(i -> i.getStatus() == ThingStatus.OFFLINE
                && i.getStatusDetail() == ThingStatusDetail.CONFIGURATION_ERROR
                && String.valueOf(i.getDescription()).contains("@text/offline.conf-error.account-network [\"house\", \"eip155:31337\", \"eip155:56\"]")));
        h.dispose();
    }

    @Test
    void spendingPolicyFromConfigurationReachesTheWalletExactly() {
        WalletBridgeHandler h = newHandler(Map.of("account", "house", "network", "eip155:31337", "perDayLimit",
                "0.05", "perSessionLimit", "0.01", "allowedPayees", NEIGHBOUR.address()));

        h.initialize();

        ArgumentCaptor<SpendingPolicy> policy = ArgumentCaptor.forClass(SpendingPolicy.class);
        verify(wallet).setPolicy(eq(HOUSE), policy.capture());
        assertEquals(new java.math.BigInteger("50000000000000000"), policy.getValue().perDayLimit().units());
        assertEquals(new java.math.BigInteger("10000000000000000"), policy.getValue().perSessionLimit().units());
        assertEquals(Set.of(NEIGHBOUR), policy.getValue().allowedPayees());
        assertEquals(ZoneId.of("UTC"), policy.getValue().dayZone());
        h.dispose();
    }

    @Test
    void policyAmountFinerThanTheAssetIsRejected() {
        WalletBridgeHandler h = newHandler(
                Map.of("account", "house", "network", "eip155:31337", "perDayLimit", "0.0000000000000000001"));

        h.initialize();

        verify(wallet, never()).setPolicy(any(), any());
        verify(callback).statusUpdated(eq(h.getThing()), argThat(i -> i.getStatus() == ThingStatus.OFFLINE
                && i.getStatusDetail() == ThingStatusDetail.CONFIGURATION_ERROR
                && String.valueOf(i.getDescription()).contains("@text/offline.conf-error.policy [\"per-day limit '0.0000000000000000001'")));
        h.dispose();
    }

    @Test
    void lockedAndSpentTodayComeFromTheEngine() {
        reachable(true, "ok");
        connectors.add(connector, Map.of());
        when(engine.channels()).thenReturn(List.of(channel(HOUSE, NEIGHBOUR, "0.5", "0.2", ChannelState.OPEN),
                channel(io.iotpay.api.channel.ChannelId.parse("0x" + "cd".repeat(32)), HOUSE, NEIGHBOUR, "1",
                        "0", ChannelState.SETTLED)));
        when(engine.sessions()).thenReturn(List.of(snapshot(SessionRole.CONSUMER, SessionState.RUNNING,
                offer("plug-1", "0.25"), 1000, "0.2", Instant.now())));

        handler.initialize();

        verify(callback, timeout(WAIT_MS)).stateUpdated(new ChannelUID(UID, "locked"),
                new DecimalType(new BigDecimal("0.3")));
        verify(callback, timeout(WAIT_MS)).stateUpdated(new ChannelUID(UID, "spent-today"),
                new DecimalType(new BigDecimal("0.2")));
    }
}
