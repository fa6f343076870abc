package org.openhab.binding.iotpay.internal.action;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;

import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.wallet.SpendingRefusedException;

/**
 * Result maps of the rule actions. Every action answers with {@code success} (Boolean) and, on failure,
 * {@code error} (a sentence a rule author can log or show) and {@code errorCode} (a stable word to branch on:
 * INVALID_INPUT, NOT_READY, REFUSED_BY_POLICY, the engine's protocol error code, or FAILED). Actions never throw
 * into a rule.
 */
@NonNullByDefault
final class ActionResults {

    static final String SUCCESS = "success";
    static final String ERROR = "error";
    static final String ERROR_CODE = "errorCode";

    private ActionResults() {
    }

    static Map<String, Object> ok() {
        Map<String, Object> result = new HashMap<>();
        result.put(SUCCESS, Boolean.TRUE);
        return result;
    }

    static Map<String, Object> session(SessionSnapshot s) {
        Map<String, Object> result = ok();
        result.put("sessionId", s.id().value());
        result.put("state", s.state().name());
        result.put("amountPaid", s.paid().toBigDecimal());
        return result;
    }

    static Map<String, Object> failure(String code, @Nullable String message) {
        Map<String, Object> result = new HashMap<>();
        result.put(SUCCESS, Boolean.FALSE);
        result.put(ERROR_CODE, code);
        result.put(ERROR, message == null ? code : message);
        return result;
    }

    /** Maps an exception of the core or of validation to a failure result. */
    static Map<String, Object> failure(RuntimeException e) {
        if (e instanceof SpendingRefusedException r) {
            return failure("REFUSED_BY_POLICY", r.getMessage() + " (" + r.reason() + ")");
        }
        if (e instanceof ProtocolException p) {
            return failure(p.code().name(), p.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return failure("INVALID_INPUT", e.getMessage());
        }
        if (e instanceof IllegalStateException) {
            return failure("NOT_READY", e.getMessage());
        }
        return failure("FAILED", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
