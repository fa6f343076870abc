package io.iotpay.channel.internal.engine;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionState;

/**
 * Explicit transition table of a metered session (same table for provider and consumer). Anything not in the table
 * is refused with {@link ErrorCode#INVALID_STATE}.
 *
 * <pre>
 * NEGOTIATING --START--> RUNNING --PAUSE--> PAUSED --RESUME--> RUNNING
 * NEGOTIATING|RUNNING|PAUSED --STOP--> STOPPED        any non-terminal --FAIL--> FAILED
 * RUNNING|PAUSED|STOPPED: RECEIPT, VOUCHER keep the state (final receipt and voucher after a stop)
 * PAUSED --PAUSE--> PAUSED (both sides may pause at once)   NEGOTIATING|RUNNING|PAUSED: TOP_UP keeps the state
 * </pre>
 */
public final class SessionMachine {

    /** Session events. */
    public enum Event {
        START, RECEIPT, VOUCHER, PAUSE, RESUME, STOP, TOP_UP, FAIL
    }

    private static final Map<SessionState, Map<Event, SessionState>> TABLE;

    static {
        Map<SessionState, Map<Event, SessionState>> t = new EnumMap<>(SessionState.class);
        for (SessionState s : SessionState.values()) {
            t.put(s, new EnumMap<>(Event.class));
        }
        t.get(SessionState.NEGOTIATING).put(Event.START, SessionState.RUNNING);
        t.get(SessionState.NEGOTIATING).put(Event.STOP, SessionState.STOPPED);
        t.get(SessionState.NEGOTIATING).put(Event.TOP_UP, SessionState.NEGOTIATING);
        t.get(SessionState.NEGOTIATING).put(Event.FAIL, SessionState.FAILED);

        t.get(SessionState.RUNNING).put(Event.RECEIPT, SessionState.RUNNING);
        t.get(SessionState.RUNNING).put(Event.VOUCHER, SessionState.RUNNING);
        t.get(SessionState.RUNNING).put(Event.PAUSE, SessionState.PAUSED);
        t.get(SessionState.RUNNING).put(Event.STOP, SessionState.STOPPED);
        t.get(SessionState.RUNNING).put(Event.TOP_UP, SessionState.RUNNING);
        t.get(SessionState.RUNNING).put(Event.FAIL, SessionState.FAILED);

        t.get(SessionState.PAUSED).put(Event.RECEIPT, SessionState.PAUSED);
        t.get(SessionState.PAUSED).put(Event.VOUCHER, SessionState.PAUSED);
        t.get(SessionState.PAUSED).put(Event.PAUSE, SessionState.PAUSED);
        t.get(SessionState.PAUSED).put(Event.RESUME, SessionState.RUNNING);
        t.get(SessionState.PAUSED).put(Event.STOP, SessionState.STOPPED);
        t.get(SessionState.PAUSED).put(Event.TOP_UP, SessionState.PAUSED);
        t.get(SessionState.PAUSED).put(Event.FAIL, SessionState.FAILED);

        t.get(SessionState.STOPPED).put(Event.RECEIPT, SessionState.STOPPED);
        t.get(SessionState.STOPPED).put(Event.VOUCHER, SessionState.STOPPED);
        // FAILED is terminal: no transitions
        for (SessionState s : SessionState.values()) {
            t.put(s, Collections.unmodifiableMap(t.get(s)));
        }
        TABLE = Collections.unmodifiableMap(t);
    }

    private SessionMachine() {
    }

    /** The target state, or empty if the event is illegal in {@code from}. */
    public static Optional<SessionState> target(SessionState from, Event event) {
        return Optional.ofNullable(TABLE.get(from).get(event));
    }

    /** The target state; throws INVALID_STATE if illegal. */
    public static SessionState next(SessionState from, Event event) {
        SessionState to = TABLE.get(from).get(event);
        if (to == null) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, event + " is not allowed in session state " + from);
        }
        return to;
    }
}
