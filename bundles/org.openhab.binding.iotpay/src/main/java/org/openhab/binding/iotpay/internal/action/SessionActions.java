package org.openhab.binding.iotpay.internal.action;

import java.util.Map;
import java.util.function.Function;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;
import org.openhab.binding.iotpay.internal.handler.SessionControl;
import org.openhab.core.automation.annotation.ActionOutput;
import org.openhab.core.automation.annotation.RuleAction;
import org.openhab.core.thing.binding.ThingActions;
import org.openhab.core.thing.binding.ThingActionsScope;
import org.openhab.core.thing.binding.ThingHandler;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.channel.SessionSnapshot;

/**
 * Rule actions of {@code iotpay:purchase} and {@code iotpay:paidsocket} things: start, pause, resume and stop the
 * thing's session. Results are maps with {@code success}, {@code sessionId}, {@code state}, {@code amountPaid}, or
 * {@code error} and {@code errorCode} (see {@link ActionResults}).
 */
@Component(scope = ServiceScope.PROTOTYPE, service = SessionActions.class)
@ThingActionsScope(name = "iotpay")
@NonNullByDefault
public class SessionActions implements ThingActions {

    private final Logger logger = LoggerFactory.getLogger(SessionActions.class);
    private @Nullable ThingHandler handler;

    @Override
    public void setThingHandler(ThingHandler handler) {
        this.handler = handler;
    }

    @Override
    public @Nullable ThingHandler getThingHandler() {
        return handler;
    }

    @RuleAction(label = "@text/action.startSession.label", description = "@text/action.startSession.description")
    @ActionOutput(name = "success", label = "@text/action.output.success.label", type = "java.lang.Boolean")
    @ActionOutput(name = "sessionId", label = "@text/action.output.sessionId.label", type = "java.lang.String")
    @ActionOutput(name = "state", label = "@text/action.output.state.label", type = "java.lang.String")
    @ActionOutput(name = "error", label = "@text/action.output.error.label", type = "java.lang.String")
    public Map<String, Object> startSession() {
        return run("startSession", SessionControl::start);
    }

    @RuleAction(label = "@text/action.pauseSession.label", description = "@text/action.pauseSession.description")
    @ActionOutput(name = "success", label = "@text/action.output.success.label", type = "java.lang.Boolean")
    @ActionOutput(name = "state", label = "@text/action.output.state.label", type = "java.lang.String")
    @ActionOutput(name = "error", label = "@text/action.output.error.label", type = "java.lang.String")
    public Map<String, Object> pauseSession() {
        return run("pauseSession", SessionControl::pause);
    }

    @RuleAction(label = "@text/action.resumeSession.label", description = "@text/action.resumeSession.description")
    @ActionOutput(name = "success", label = "@text/action.output.success.label", type = "java.lang.Boolean")
    @ActionOutput(name = "state", label = "@text/action.output.state.label", type = "java.lang.String")
    @ActionOutput(name = "error", label = "@text/action.output.error.label", type = "java.lang.String")
    public Map<String, Object> resumeSession() {
        return run("resumeSession", SessionControl::resume);
    }

    @RuleAction(label = "@text/action.stopSession.label", description = "@text/action.stopSession.description")
    @ActionOutput(name = "success", label = "@text/action.output.success.label", type = "java.lang.Boolean")
    @ActionOutput(name = "state", label = "@text/action.output.state.label", type = "java.lang.String")
    @ActionOutput(name = "amountPaid", label = "@text/action.output.amountPaid.label", type = "java.math.BigDecimal")
    @ActionOutput(name = "error", label = "@text/action.output.error.label", type = "java.lang.String")
    public Map<String, Object> stopSession() {
        return run("stopSession", SessionControl::stop);
    }

    private Map<String, Object> run(String name, Function<SessionControl, SessionSnapshot> op) {
        ThingHandler h = handler;
        if (!(h instanceof SessionControl control)) {
            return ActionResults.failure("NOT_READY", "the thing has no IOTPAY session handler");
        }
        try {
            return ActionResults.session(op.apply(control));
        } catch (RuntimeException e) {
            Map<String, Object> result = ActionResults.failure(e);
            logger.warn("iotpay {} on {} failed ({}): {}", name, h.getThing().getUID(),
                    result.get(ActionResults.ERROR_CODE), result.get(ActionResults.ERROR));
            return result;
        }
    }

    // ---- static twins for DSL rules ----

    public static Map<String, Object> startSession(@Nullable ThingActions actions) {
        return of(actions).startSession();
    }

    public static Map<String, Object> pauseSession(@Nullable ThingActions actions) {
        return of(actions).pauseSession();
    }

    public static Map<String, Object> resumeSession(@Nullable ThingActions actions) {
        return of(actions).resumeSession();
    }

    public static Map<String, Object> stopSession(@Nullable ThingActions actions) {
        return of(actions).stopSession();
    }

    private static SessionActions of(@Nullable ThingActions actions) {
        if (actions instanceof SessionActions s) {
            return s;
        }
        throw new IllegalArgumentException(
                "Instance is not an IOTPAY session actions instance: use getActions(\"iotpay\", \"iotpay:purchase:<id>\")");
    }
}
