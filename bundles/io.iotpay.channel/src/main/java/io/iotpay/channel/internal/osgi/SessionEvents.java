package io.iotpay.channel.internal.osgi;

import java.util.ArrayList;
import java.util.List;

import io.iotpay.api.channel.SessionEvent;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;

/** Derives {@link SessionEvent}s from two consecutive snapshots of one session. */
final class SessionEvents {

    private SessionEvents() {
    }

    /**
     * @param before the previous snapshot, or null if the session is new
     * @param after the current snapshot
     * @return the events, in the order they are to be delivered
     */
    static List<SessionEvent.Type> diff(SessionSnapshot before, SessionSnapshot after) {
        List<SessionEvent.Type> out = new ArrayList<>(2);
        SessionState from = before == null ? SessionState.NEGOTIATING : before.state();
        SessionState to = after.state();
        if (before != null && after.paid().isGreaterThan(before.paid())
                || before == null && !after.paid().isZero()) {
            out.add(SessionEvent.Type.PAYMENT_RECEIVED);
        }
        if (from != to) {
            switch (to) {
                case RUNNING -> out.add(0, from == SessionState.PAUSED ? SessionEvent.Type.RESUMED
                        : SessionEvent.Type.STARTED);
                case PAUSED -> {
                    if (from == SessionState.NEGOTIATING) {
                        out.add(0, SessionEvent.Type.STARTED);
                    }
                    out.add(SessionEvent.Type.PAUSED);
                }
                case STOPPED -> out.add(SessionEvent.Type.STOPPED);
                case FAILED -> out.add(SessionEvent.Type.FAILED);
                default -> {
                }
            }
        }
        return out;
    }
}
