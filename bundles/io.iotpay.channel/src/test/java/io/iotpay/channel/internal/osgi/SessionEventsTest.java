package io.iotpay.channel.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.SessionEvent.Type;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.Price;

class SessionEventsTest {

    private static final Asset ETH = Asset.DEVNET_ETH;
    private static final SessionId ID = new SessionId("session-1");
    private static final Offer OFFER = new Offer("offer-1", AccountId.of(ChainId.DEVNET,
            "0x1111111111111111111111111111111111111111"), "plug-1", Price.parse("0.3 ETH/kWh", ETH),
            AccountId.of(ChainId.DEVNET, "0x5fbdb2315678afecb367f032d93f642f64180aa3"), "iotpay-channels-v1",
            Amount.zero(ETH), Amount.parse("0.01", ETH), Amount.parse("0.01", ETH), Duration.ofHours(1),
            URI.create("http://127.0.0.1:8181/iotpay/peer"), null, 1);

    private static SessionSnapshot snap(SessionState state, String paid) {
        return new SessionSnapshot(ID, SessionRole.PROVIDER, state, OFFER, null, BigInteger.ZERO, Amount.zero(ETH),
                Amount.parse(paid, ETH), Instant.EPOCH, null);
    }

    @Test
    void transitionsAndPaymentsBecomeEvents() {
        assertEquals(List.of(), SessionEvents.diff(null, snap(SessionState.NEGOTIATING, "0")));
        assertEquals(List.of(Type.STARTED), SessionEvents.diff(null, snap(SessionState.RUNNING, "0")));
        assertEquals(List.of(Type.STARTED, Type.PAUSED), SessionEvents.diff(snap(SessionState.NEGOTIATING, "0"),
                snap(SessionState.PAUSED, "0")), "a session that starts paused (credit window) reports both");
        assertEquals(List.of(Type.PAUSED), SessionEvents.diff(snap(SessionState.RUNNING, "0"),
                snap(SessionState.PAUSED, "0")));
        assertEquals(List.of(Type.RESUMED), SessionEvents.diff(snap(SessionState.PAUSED, "0"),
                snap(SessionState.RUNNING, "0")));
        assertEquals(List.of(Type.PAYMENT_RECEIVED), SessionEvents.diff(snap(SessionState.RUNNING, "0.1"),
                snap(SessionState.RUNNING, "0.2")));
        assertEquals(List.of(Type.PAYMENT_RECEIVED, Type.STOPPED), SessionEvents.diff(snap(SessionState.RUNNING,
                "0.1"), snap(SessionState.STOPPED, "0.2")));
        assertEquals(List.of(Type.FAILED), SessionEvents.diff(snap(SessionState.RUNNING, "0"),
                snap(SessionState.FAILED, "0")));
        assertEquals(List.of(), SessionEvents.diff(snap(SessionState.RUNNING, "0.2"), snap(SessionState.RUNNING,
                "0.2")), "nothing changed, nothing reported");
    }
}
