package org.openhab.binding.iotpay.internal.action;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;
import org.openhab.binding.iotpay.internal.handler.WalletBridgeHandler;
import org.openhab.core.automation.annotation.ActionInput;
import org.openhab.core.automation.annotation.ActionOutput;
import org.openhab.core.automation.annotation.RuleAction;
import org.openhab.core.thing.binding.ThingActions;
import org.openhab.core.thing.binding.ThingActionsScope;
import org.openhab.core.thing.binding.ThingHandler;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.chain.TxHash;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.api.notary.LeafRef;

/**
 * Rule actions of the {@code iotpay:wallet} bridge: pay on chain, read the balance, notarize data and verify device
 * certificates (the last two need the IOTPAY notary and device identity services). Results are maps (see
 * {@link ActionResults}); invalid input and refusals are reported, never thrown.
 */
@Component(scope = ServiceScope.PROTOTYPE, service = WalletActions.class)
@ThingActionsScope(name = "iotpay")
@NonNullByDefault
public class WalletActions implements ThingActions {

    private final Logger logger = LoggerFactory.getLogger(WalletActions.class);
    private @Nullable WalletBridgeHandler handler;

    @Override
    public void setThingHandler(ThingHandler handler) {
        this.handler = (WalletBridgeHandler) handler;
    }

    @Override
    public @Nullable ThingHandler getThingHandler() {
        return handler;
    }

    @RuleAction(label = "@text/action.pay.label", description = "@text/action.pay.description")
    @ActionOutput(name = "success", label = "@text/action.output.success.label", type = "java.lang.Boolean")
    @ActionOutput(name = "txHash", label = "@text/action.output.txHash.label", type = "java.lang.String")
    @ActionOutput(name = "error", label = "@text/action.output.error.label", type = "java.lang.String")
    @ActionOutput(name = "errorCode", label = "@text/action.output.errorCode.label", type = "java.lang.String")
    public Map<String, Object> pay(
            @ActionInput(name = "payee", label = "@text/action.input.payee.label", description = "@text/action.input.payee.description", required = true) @Nullable String payee,
            @ActionInput(name = "amount", label = "@text/action.input.amount.label", description = "@text/action.input.amount.description", required = true) @Nullable String amount) {
        WalletBridgeHandler h = handler;
        if (h == null) {
            return ActionResults.failure("NOT_READY", "the wallet thing has no handler");
        }
        if (payee == null || payee.isBlank()) {
            return warn(ActionResults.failure("INVALID_INPUT",
                    "payee is missing: give a CAIP-10 account (eip155:56:0x...) or an address on the wallet's network"));
        }
        if (amount == null || amount.isBlank()) {
            return warn(ActionResults.failure("INVALID_INPUT",
                    "amount is missing: give a decimal string such as \"0.01\" (whole coins, not base units)"));
        }
        try {
            TxHash tx = h.pay(payee, amount);
            Map<String, Object> result = ActionResults.ok();
            result.put("txHash", tx.hash());
            return result;
        } catch (RuntimeException e) {
            return warn(ActionResults.failure(e));
        }
    }

    @RuleAction(label = "@text/action.getBalance.label", description = "@text/action.getBalance.description")
    @ActionOutput(name = "balance", label = "@text/action.output.balance.label", type = "java.math.BigDecimal")
    public @Nullable BigDecimal getBalance() {
        WalletBridgeHandler h = handler;
        if (h == null) {
            return null;
        }
        try {
            return h.balance();
        } catch (RuntimeException e) {
            logger.warn("iotpay getBalance on {} failed: {}", h.getThing().getUID(), e.getMessage());
            return null;
        }
    }

    @RuleAction(label = "@text/action.notarize.label", description = "@text/action.notarize.description")
    @ActionOutput(name = "success", label = "@text/action.output.success.label", type = "java.lang.Boolean")
    @ActionOutput(name = "batchId", label = "@text/action.output.batchId.label", type = "java.lang.Long")
    @ActionOutput(name = "index", label = "@text/action.output.index.label", type = "java.lang.Long")
    @ActionOutput(name = "leafHash", label = "@text/action.output.leafHash.label", type = "java.lang.String")
    @ActionOutput(name = "error", label = "@text/action.output.error.label", type = "java.lang.String")
    public Map<String, Object> notarize(
            @ActionInput(name = "stream", label = "@text/action.input.stream.label", description = "@text/action.input.stream.description", required = true) @Nullable String stream,
            @ActionInput(name = "data", label = "@text/action.input.data.label", description = "@text/action.input.data.description", required = true) @Nullable String data) {
        WalletBridgeHandler h = handler;
        if (h == null) {
            return ActionResults.failure("NOT_READY", "the wallet thing has no handler");
        }
        if (stream == null || stream.isBlank()) {
            return warn("notarize", ActionResults.failure("INVALID_INPUT",
                    "stream is missing: name what is recorded, e.g. \"garage-meter\""));
        }
        if (data == null) {
            return warn("notarize", ActionResults.failure("INVALID_INPUT", "data is missing"));
        }
        try {
            LeafRef leaf = h.notarize(stream.trim(), data.getBytes(StandardCharsets.UTF_8));
            Map<String, Object> result = ActionResults.ok();
            result.put("batchId", leaf.batchId());
            result.put("index", leaf.index());
            result.put("leafHash", "0x" + HexFormat.of().formatHex(leaf.leafHash()));
            return result;
        } catch (RuntimeException e) {
            return warn("notarize", ActionResults.failure(e));
        }
    }

    @RuleAction(label = "@text/action.verifyCertificate.label", description = "@text/action.verifyCertificate.description")
    @ActionOutput(name = "success", label = "@text/action.output.success.label", type = "java.lang.Boolean")
    @ActionOutput(name = "valid", label = "@text/action.output.valid.label", type = "java.lang.Boolean")
    @ActionOutput(name = "status", label = "@text/action.output.status.label", type = "java.lang.String")
    @ActionOutput(name = "detail", label = "@text/action.output.detail.label", type = "java.lang.String")
    @ActionOutput(name = "error", label = "@text/action.output.error.label", type = "java.lang.String")
    public Map<String, Object> verifyCertificate(
            @ActionInput(name = "pem", label = "@text/action.input.pem.label", description = "@text/action.input.pem.description", required = true) @Nullable String pem) {
        WalletBridgeHandler h = handler;
        if (h == null) {
            return ActionResults.failure("NOT_READY", "the wallet thing has no handler");
        }
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            return warn("verifyCertificate", ActionResults.failure("INVALID_INPUT",
                    "pem must be a PEM certificate chain (-----BEGIN CERTIFICATE----- ...)"));
        }
        try {
            VerificationResult v = h.verifyCertificate(pem);
            Map<String, Object> result = ActionResults.ok();
            result.put("valid", v.valid());
            result.put("status", v.status().name());
            result.put("detail", v.detail());
            return result;
        } catch (RuntimeException e) {
            return warn("verifyCertificate", ActionResults.failure(e));
        }
    }

    private Map<String, Object> warn(Map<String, Object> result) {
        return warn("pay", result);
    }

    private Map<String, Object> warn(String action, Map<String, Object> result) {
        WalletBridgeHandler h = handler;
        logger.warn("iotpay {} on {} failed ({}): {}", action, h == null ? "?" : h.getThing().getUID(),
                result.get(ActionResults.ERROR_CODE), result.get(ActionResults.ERROR));
        return result;
    }

    // ---- static twins for DSL rules ----

    public static Map<String, Object> pay(@Nullable ThingActions actions, @Nullable String payee,
            @Nullable String amount) {
        return of(actions).pay(payee, amount);
    }

    public static @Nullable BigDecimal getBalance(@Nullable ThingActions actions) {
        return of(actions).getBalance();
    }

    public static Map<String, Object> notarize(@Nullable ThingActions actions, @Nullable String stream,
            @Nullable String data) {
        return of(actions).notarize(stream, data);
    }

    public static Map<String, Object> verifyCertificate(@Nullable ThingActions actions, @Nullable String pem) {
        return of(actions).verifyCertificate(pem);
    }

    private static WalletActions of(@Nullable ThingActions actions) {
        if (actions instanceof WalletActions w) {
            return w;
        }
        throw new IllegalArgumentException(
                "Instance is not an IOTPAY wallet actions instance: use getActions(\"iotpay\", \"iotpay:wallet:<id>\")");
    }
}
