package io.iotpay.channel.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionState;

/** Every (state, event) pair of both machines against tables written out here independently. */
class StateMachinesTest {

    // rows: NEGOTIATING, RUNNING, PAUSED, STOPPED, FAILED; columns: START RECEIPT VOUCHER PAUSE RESUME STOP TOP_UP FAIL
    // N=NEGOTIATING R=RUNNING P=PAUSED S=STOPPED F=FAILED .=illegal
    private static final Map<SessionState, String> SESSION = Map.of(
            SessionState.NEGOTIATING, "R....SNF",
            SessionState.RUNNING, ".RRP.SRF",
            SessionState.PAUSED, ".PPPRSPF",
            SessionState.STOPPED, ".SS.....",
            SessionState.FAILED, "........");

    // columns: OPEN_CONFIRMED TOP_UP VOUCHER CLAIMED CLOSE_STARTED CLOSED SETTLED; O=OPENING/OPEN? see map
    private static final Map<ChannelState, String> CHANNEL = Map.of(
            ChannelState.OPENING, "O......",
            ChannelState.OPEN, ".OOOCD.",
            ChannelState.CLOSING, "..CC.D.",
            ChannelState.CLOSED, "......T",
            ChannelState.SETTLED, ".......");

    private static SessionState session(char c) {
        return switch (c) {
            case 'N' -> SessionState.NEGOTIATING;
            case 'R' -> SessionState.RUNNING;
            case 'P' -> SessionState.PAUSED;
            case 'S' -> SessionState.STOPPED;
            case 'F' -> SessionState.FAILED;
            default -> null;
        };
    }

    private static ChannelState channel(char c) {
        return switch (c) {
            case 'O' -> ChannelState.OPEN;
            case 'C' -> ChannelState.CLOSING;
            case 'D' -> ChannelState.CLOSED;
            case 'T' -> ChannelState.SETTLED;
            default -> null;
        };
    }

    @Test
    void everySessionTransition() {
        SessionMachine.Event[] events = SessionMachine.Event.values();
        int legal = 0;
        for (SessionState s : SessionState.values()) {
            String row = SESSION.get(s);
            assertEquals(events.length, row.length());
            for (int i = 0; i < events.length; i++) {
                SessionState expected = session(row.charAt(i));
                assertEquals(java.util.Optional.ofNullable(expected), SessionMachine.target(s, events[i]),
                        s + " + " + events[i]);
                if (expected == null) {
                    SessionMachine.Event e = events[i];
                    ProtocolException ex = assertThrows(ProtocolException.class, () -> SessionMachine.next(s, e));
                    assertEquals(ErrorCode.INVALID_STATE, ex.code());
                } else {
                    assertEquals(expected, SessionMachine.next(s, events[i]));
                    legal++;
                }
            }
        }
        assertEquals(19, legal);
    }

    @Test
    void everyChannelTransition() {
        ChannelMachine.Event[] events = ChannelMachine.Event.values();
        int legal = 0;
        for (ChannelState s : ChannelState.values()) {
            String row = CHANNEL.get(s);
            assertEquals(events.length, row.length());
            for (int i = 0; i < events.length; i++) {
                ChannelState expected = channel(row.charAt(i));
                assertEquals(java.util.Optional.ofNullable(expected), ChannelMachine.target(s, events[i]),
                        s + " + " + events[i]);
                if (expected == null) {
                    ChannelMachine.Event e = events[i];
                    ProtocolException ex = assertThrows(ProtocolException.class, () -> ChannelMachine.next(s, e));
                    assertEquals(ErrorCode.INVALID_STATE, ex.code());
                } else {
                    legal++;
                }
            }
        }
        assertEquals(10, legal);
    }
}
