package org.openhab.binding.iotpay.internal;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.SessionEvent;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;

/**
 * Real IOTPAY API values for the tests (records validate themselves, so these are well-formed by construction).
 */
@NonNullByDefault
public final class Fixtures {

    public static final ChainId CHAIN = ChainId.DEVNET;
    public static final Asset ETH = Asset.DEVNET_ETH;
    public static final AccountId HOUSE = AccountId.of(CHAIN, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    public static final AccountId NEIGHBOUR = AccountId.of(CHAIN, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    public static final AccountId CONTRACT = AccountId.of(CHAIN, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    public static final ChannelId CHANNEL_ID = ChannelId.parse("0x" + "ab".repeat(32));
    public static final SessionId SESSION = new SessionId("session-0001");

    private Fixtures() {
    }

    public static Amount eth(String decimal) {
        return Amount.parse(decimal, ETH);
    }

    public static Offer offer(String deviceId, String pricePerKwh) {
        return new Offer("offer-" + deviceId, HOUSE, deviceId, Price.of(eth(pricePerKwh), MeteringUnit.KILOWATT_HOUR),
                CONTRACT, "iotpay-channels-v1", eth("0.01"), eth("0.001"), eth("0.001"), Duration.ofMinutes(5),
                URI.create("http://192.168.1.20:8181/iotpay/offers/" + deviceId), null, 1);
    }

    public static SessionSnapshot snapshot(SessionRole role, SessionState state, Offer offer, long deliveredMilliWh,
            String paid, Instant at) {
        return snapshot(SESSION, role, state, offer, deliveredMilliWh, paid, at);
    }

    public static SessionSnapshot snapshot(SessionId id, SessionRole role, SessionState state, Offer offer,
            long deliveredMilliWh, String paid, Instant at) {
        return new SessionSnapshot(id, role, state, offer, CHANNEL_ID, BigInteger.valueOf(deliveredMilliWh),
                eth(paid), eth(paid), at, "test");
    }

    public static SessionEvent event(SessionEvent.Type type, SessionSnapshot s) {
        return new SessionEvent(s.id(), type, s);
    }

    public static Channel channel(AccountId payer, AccountId payee, String deposit, String claimed,
            ChannelState state) {
        return channel(CHANNEL_ID, payer, payee, deposit, claimed, state);
    }

    public static Channel channel(ChannelId id, AccountId payer, AccountId payee, String deposit, String claimed,
            ChannelState state) {
        @Nullable
        Instant closesAt = null;
        return new Channel(id, "iotpay-channels-v1", CONTRACT, payer, payee, ETH, eth(deposit), eth(claimed), state,
                closesAt);
    }
}
