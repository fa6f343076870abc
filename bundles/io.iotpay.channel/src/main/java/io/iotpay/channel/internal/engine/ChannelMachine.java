package io.iotpay.channel.internal.engine;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;

/**
 * Explicit transition table of a payment channel as one node sees it.
 *
 * <pre>
 * OPENING --OPEN_CONFIRMED--> OPEN --CLOSE_STARTED--> CLOSING --CLOSED--> CLOSED --SETTLED--> SETTLED
 * OPEN: TOP_UP, VOUCHER, CLAIMED keep OPEN; OPEN --CLOSED--> CLOSED (cooperative close)
 * CLOSING: VOUCHER, CLAIMED keep CLOSING (the payee still claims during the challenge period)
 * </pre>
 */
public final class ChannelMachine {

    /** Channel events. */
    public enum Event {
        OPEN_CONFIRMED, TOP_UP, VOUCHER, CLAIMED, CLOSE_STARTED, CLOSED, SETTLED
    }

    private static final Map<ChannelState, Map<Event, ChannelState>> TABLE;

    static {
        Map<ChannelState, Map<Event, ChannelState>> t = new EnumMap<>(ChannelState.class);
        for (ChannelState s : ChannelState.values()) {
            t.put(s, new EnumMap<>(Event.class));
        }
        t.get(ChannelState.OPENING).put(Event.OPEN_CONFIRMED, ChannelState.OPEN);
        t.get(ChannelState.OPEN).put(Event.TOP_UP, ChannelState.OPEN);
        t.get(ChannelState.OPEN).put(Event.VOUCHER, ChannelState.OPEN);
        t.get(ChannelState.OPEN).put(Event.CLAIMED, ChannelState.OPEN);
        t.get(ChannelState.OPEN).put(Event.CLOSE_STARTED, ChannelState.CLOSING);
        t.get(ChannelState.OPEN).put(Event.CLOSED, ChannelState.CLOSED);
        t.get(ChannelState.CLOSING).put(Event.VOUCHER, ChannelState.CLOSING);
        t.get(ChannelState.CLOSING).put(Event.CLAIMED, ChannelState.CLOSING);
        t.get(ChannelState.CLOSING).put(Event.CLOSED, ChannelState.CLOSED);
        t.get(ChannelState.CLOSED).put(Event.SETTLED, ChannelState.SETTLED);
        for (ChannelState s : ChannelState.values()) {
            t.put(s, Collections.unmodifiableMap(t.get(s)));
        }
        TABLE = Collections.unmodifiableMap(t);
    }

    private ChannelMachine() {
    }

    public static Optional<ChannelState> target(ChannelState from, Event event) {
        return Optional.ofNullable(TABLE.get(from).get(event));
    }

    public static ChannelState next(ChannelState from, Event event) {
        ChannelState to = TABLE.get(from).get(event);
        if (to == null) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, event + " is not allowed in channel state " + from);
        }
        return to;
    }
}
