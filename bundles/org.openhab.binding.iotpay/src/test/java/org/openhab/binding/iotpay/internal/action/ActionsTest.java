package org.openhab.binding.iotpay.internal.action;

import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.*;
import static org.mockito.Mockito.*;
import static org.openhab.binding.iotpay.internal.Fixtures.*;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.mockito.junit.jupiter.MockitoSettings;
import org.mockito.quality.Strictness;
import org.openhab.binding.iotpay.internal.ChainConnectors;
import org.openhab.binding.iotpay.internal.IotpayBindingConstants;
import org.openhab.binding.iotpay.internal.OptionalServices;
import org.openhab.binding.iotpay.internal.handler.PurchaseHandler;
import org.openhab.binding.iotpay.internal.handler.WalletBridgeHandler;
import org.openhab.core.automation.annotation.ActionInput;
import org.openhab.core.automation.annotation.ActionOutput;
import org.openhab.core.automation.annotation.RuleAction;
import org.openhab.core.config.core.Configuration;
import org.openhab.core.thing.Bridge;
import org.openhab.core.thing.ThingStatus;
import org.openhab.core.thing.ThingUID;
import org.openhab.core.thing.binding.ThingActions;
import org.openhab.core.thing.binding.ThingActionsScope;
import org.openhab.core.thing.binding.ThingHandlerCallback;
import org.openhab.core.thing.binding.builder.BridgeBuilder;

import io.iotpay.api.chain.ChainConnector;
import io.iotpay.api.chain.ChainStatus;
import io.iotpay.api.chain.ChainUnavailableException;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.channel.ChannelEngine;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.identity.DeviceIdentity;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.api.notary.LeafRef;
import io.iotpay.api.notary.Notary;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.api.wallet.Wallet;

/**
 * Rule actions: input is validated before anything reaches the chain, every failure comes back as
 * success=false with a sentence and a code (never an exception into the rule), and every action has the
 * annotations the rule engine reads plus a static twin for DSL rules.
 */
@ExtendWith(MockitoExtension.class)
@MockitoSettings(strictness = Strictness.LENIENT)
@NonNullByDefault
class ActionsTest {

    private static final long WAIT_MS = 10_000;
    private static final TxHash TX = new TxHash(CHAIN, "0x" + "12".repeat(32));

    private @Mock Wallet wallet;
    private @Mock ChannelEngine engine;
    private @Mock ChainConnector connector;
    private @Mock ThingHandlerCallback callback;
    private @Mock PurchaseHandler purchase;

    private final ChainConnectors connectors = new ChainConnectors();
    private final OptionalServices optional = new OptionalServices();
    private WalletBridgeHandler bridgeHandler;
    private final WalletActions walletActions = new WalletActions();
    private final SessionActions sessionActions = new SessionActions();

    @BeforeEach
    void setUp() {
        when(wallet.account("house")).thenReturn(
                Optional.of(new AccountInfo("house", HOUSE, null, false, AccountInfo.KeyOrigin.MNEMONIC)));
        when(wallet.policy(HOUSE)).thenReturn(SpendingPolicy.denyAll(ETH));
        when(connector.chainId()).thenReturn(CHAIN);
        when(connector.nativeAsset()).thenReturn(ETH);
        when(connector.balance(HOUSE, ETH)).thenReturn(eth("2.25"));
        when(connector.status()).thenReturn(new ChainStatus(CHAIN, true, 7, Instant.now(), "ok"));
        connectors.add(connector, Map.of());
        Bridge bridge = BridgeBuilder
                .create(IotpayBindingConstants.THING_TYPE_WALLET, new ThingUID("iotpay:wallet:home"))
                .withConfiguration(new Configuration(Map.of("account", "house", "network", "eip155:31337")))
                .build();
        bridgeHandler = new WalletBridgeHandler(bridge, wallet, engine, connectors, optional);
        bridgeHandler.setCallback(callback);
        doAnswer(inv -> {
            bridge.setStatusInfo(inv.getArgument(1));
            return null;
        }).when(callback).statusUpdated(eq(bridge), any());
        bridgeHandler.initialize();
        verify(callback, timeout(WAIT_MS)).statusUpdated(eq(bridge), argThat(i -> i.getStatus() == ThingStatus.ONLINE));
        // the refresh's last step: after it no scheduler thread touches the mocks, so stubbing below is race-free
        verify(callback, timeout(WAIT_MS)).stateUpdated(eq(new org.openhab.core.thing.ChannelUID(bridge.getUID(),
                "spent-today")), any());
        walletActions.setThingHandler(bridgeHandler);
        when(purchase.getThing()).thenReturn(org.openhab.core.thing.binding.builder.ThingBuilder
                .create(IotpayBindingConstants.THING_TYPE_PURCHASE, "neighbour").build());
        sessionActions.setThingHandler(purchase);
    }

    @AfterEach
    void tearDown() {
        bridgeHandler.dispose();
    }

    private static void assertFailure(Map<String, Object> result, String code, String messagePart) {
        assertEquals(Boolean.FALSE, result.get("success"), result.toString());
        assertEquals(code, result.get("errorCode"), result.toString());
        assertTrue(String.valueOf(result.get("error")).contains(messagePart), result.toString());
    }

    @Test
    void payTransfersTheExactAmountToTheParsedPayee() {
        when(connector.transfer(HOUSE, NEIGHBOUR, eth("0.01"))).thenReturn(TX);
        when(connector.transfer(HOUSE, NEIGHBOUR, eth("0.5"))).thenReturn(TX);

        Map<String, Object> result = WalletActions.pay(walletActions, NEIGHBOUR.toString(), "0.01");

        assertEquals(Boolean.TRUE, result.get("success"));
        assertEquals(TX.hash(), result.get("txHash"));
        // a bare address on the wallet's network is accepted too
        assertEquals(Boolean.TRUE, walletActions.pay(NEIGHBOUR.address(), "0.5").get("success"));
    }

    @Test
    void payRejectsBadInputBeforeTouchingTheChain() {
        assertFailure(walletActions.pay(null, "0.01"), "INVALID_INPUT", "payee is missing");
        assertFailure(walletActions.pay(" ", "0.01"), "INVALID_INPUT", "payee is missing");
        assertFailure(walletActions.pay(NEIGHBOUR.toString(), null), "INVALID_INPUT", "amount is missing");
        assertFailure(walletActions.pay("bob", "0.01"), "INVALID_INPUT", "bob");
        assertFailure(walletActions.pay("eip155:56:" + NEIGHBOUR.address(), "0.01"), "INVALID_INPUT",
                "not on eip155:31337");
        assertFailure(walletActions.pay(NEIGHBOUR.toString(), "ten"), "INVALID_INPUT", "not a decimal");
        assertFailure(walletActions.pay(NEIGHBOUR.toString(), "-1"), "INVALID_INPUT", "negative");
        assertFailure(walletActions.pay(NEIGHBOUR.toString(), "0"), "INVALID_INPUT", "greater than zero");
        assertFailure(walletActions.pay(NEIGHBOUR.toString(), "0.0000000000000000001"), "INVALID_INPUT",
                "18 decimals");
        verify(connector, never()).transfer(any(), any(), any());
    }

    @Test
    void refusalsAndChainFailuresAreReportedNotThrown() {
        when(connector.transfer(any(), any(), any()))
                .thenThrow(new SpendingRefusedException(SpendingRefusedException.Reason.DAY_LIMIT, null,
                        eth("0.05"), eth("0.06")))
                .thenThrow(new ChainUnavailableException(CHAIN, "rpc down"));

        assertFailure(walletActions.pay(NEIGHBOUR.toString(), "0.01"), "REFUSED_BY_POLICY", "DAY_LIMIT");
        assertFailure(walletActions.pay(NEIGHBOUR.toString(), "0.01"), "FAILED", "rpc down");
    }

    @Test
    void payOnAnOfflineWalletSaysSo() {
        connectors.remove(connector, Map.of());
        verify(callback, timeout(WAIT_MS)).statusUpdated(eq(bridgeHandler.getThing()),
                argThat(i -> i.getStatus() == ThingStatus.OFFLINE));

        assertFailure(walletActions.pay(NEIGHBOUR.toString(), "0.01"), "NOT_READY", "not ONLINE");
        assertNull(WalletActions.getBalance(walletActions));
    }

    @Test
    void notarizeRecordsTheUtf8BytesAndReportsTheLeaf() {
        Notary notary = mock(Notary.class);
        byte[] hash = new byte[32];
        hash[31] = 0x2a;
        when(notary.record(eq("garage-meter"), any())).thenReturn(new LeafRef("garage-meter", 3, 17, hash));
        optional.setNotary(notary);

        Map<String, Object> result = WalletActions.notarize(walletActions, " garage-meter ", "12.5 kWh \u2713");

        assertEquals(Boolean.TRUE, result.get("success"), result.toString());
        assertEquals(3L, result.get("batchId"));
        assertEquals(17L, result.get("index"));
        assertEquals("0x" + "00".repeat(31) + "2a", result.get("leafHash"));
        verify(notary).record("garage-meter", "12.5 kWh \u2713".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void notarizeWithoutNotaryOrStreamSaysWhy() {
        assertFailure(walletActions.notarize("garage-meter", "x"), "NOT_READY", "notary service is not running");
        optional.setNotary(mock(Notary.class));
        assertFailure(walletActions.notarize(" ", "x"), "INVALID_INPUT", "stream is missing");
        assertFailure(walletActions.notarize("s", null), "INVALID_INPUT", "data is missing");
    }

    @Test
    void verifyCertificateReportsTheIdentityServicesVerdict() {
        DeviceIdentity identity = mock(DeviceIdentity.class);
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        when(identity.verify(pem)).thenReturn(VerificationResult.of(VerificationResult.Status.REVOKED,
                "revoked on chain in block 12", Instant.now(), java.time.Duration.ZERO));

        assertFailure(walletActions.verifyCertificate(pem), "NOT_READY", "identity service is not running");
        optional.setIdentity(identity);
        Map<String, Object> result = WalletActions.verifyCertificate(walletActions, pem);

        assertEquals(Boolean.TRUE, result.get("success"));
        assertEquals(Boolean.FALSE, result.get("valid"));
        assertEquals("REVOKED", result.get("status"));
        assertEquals("revoked on chain in block 12", result.get("detail"));
        assertFailure(walletActions.verifyCertificate("not a pem"), "INVALID_INPUT", "PEM");
    }

    @Test
    void getBalanceIsExact() {
        assertEquals(0, new BigDecimal("2.25").compareTo(WalletActions.getBalance(walletActions)));
    }

    @Test
    void sessionActionsReachTheHandlerAndReportTheSession() {
        when(purchase.start()).thenReturn(snapshot(SessionRole.CONSUMER, SessionState.RUNNING,
                offer("garage", "0.25"), 0, "0", Instant.now()));
        when(purchase.stop()).thenReturn(snapshot(SessionRole.CONSUMER, SessionState.STOPPED,
                offer("garage", "0.25"), 1_000_000, "0.25", Instant.now()));

        Map<String, Object> started = SessionActions.startSession(sessionActions);
        Map<String, Object> stopped = SessionActions.stopSession(sessionActions);

        assertEquals(Boolean.TRUE, started.get("success"));
        assertEquals(SESSION.value(), started.get("sessionId"));
        assertEquals("RUNNING", started.get("state"));
        assertEquals("STOPPED", stopped.get("state"));
        assertEquals(0, new BigDecimal("0.25").compareTo((BigDecimal) stopped.get("amountPaid")));
    }

    @Test
    void sessionActionFailuresCarryTheEnginesCode() {
        when(purchase.start()).thenThrow(new ProtocolException(ErrorCode.PRICE_ABOVE_CAP, "0.25 > 0.2"));
        when(purchase.pause()).thenThrow(new IllegalStateException("no session on iotpay:purchase:home:x"));

        assertFailure(sessionActions.startSession(), "PRICE_ABOVE_CAP", "0.25 > 0.2");
        assertFailure(SessionActions.pauseSession(sessionActions), "NOT_READY", "no session");
    }

    @Test
    void staticTwinsRejectForeignActionInstances() {
        ThingActions foreign = mock(ThingActions.class);

        assertThrows(IllegalArgumentException.class, () -> WalletActions.pay(foreign, "a", "1"));
        assertThrows(IllegalArgumentException.class, () -> WalletActions.getBalance(null));
        assertThrows(IllegalArgumentException.class, () -> SessionActions.startSession(walletActions));
        assertThrows(IllegalArgumentException.class, () -> SessionActions.stopSession(null));
    }

    @Test
    void everyRuleActionIsAnnotatedAndHasAStaticTwin() {
        for (Class<?> type : List.of(WalletActions.class, SessionActions.class)) {
            assertEquals("iotpay", type.getAnnotation(ThingActionsScope.class).name());
            List<Method> actions = Arrays.stream(type.getDeclaredMethods())
                    .filter(m -> m.isAnnotationPresent(RuleAction.class)).toList();
            assertFalse(actions.isEmpty());
            for (Method m : actions) {
                assertFalse(Modifier.isStatic(m.getModifiers()));
                assertTrue(m.getAnnotationsByType(ActionOutput.class).length > 0, m.getName());
                for (var p : m.getParameters()) {
                    assertNotNull(p.getAnnotation(ActionInput.class), m.getName() + " " + p.getName());
                }
                Class<?>[] twinParams = new Class<?>[m.getParameterCount() + 1];
                twinParams[0] = ThingActions.class;
                System.arraycopy(m.getParameterTypes(), 0, twinParams, 1, m.getParameterCount());
                Method twin = assertDoesNotThrow(() -> type.getMethod(m.getName(), twinParams), m.getName());
                assertTrue(Modifier.isStatic(twin.getModifiers()), m.getName());
                assertEquals(m.getReturnType(), twin.getReturnType(), m.getName());
            }
        }
        List<String> names = Arrays.stream(SessionActions.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(RuleAction.class)).map(Method::getName).toList();
        assertTrue(names.containsAll(List.of("startSession", "pauseSession", "resumeSession", "stopSession")));
    }
}
