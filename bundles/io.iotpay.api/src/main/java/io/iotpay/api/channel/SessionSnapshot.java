package io.iotpay.api.channel;

import static io.iotpay.api.internal.Checks.notNull;

import io.iotpay.api.money.Amount;
import io.iotpay.api.money.AssetMismatchException;

import java.math.BigInteger;
import java.time.Instant;

/**
 * The state of a metering session at one moment.
 *
 * @param id the session
 * @param role this node's role
 * @param state the state
 * @param offer the offer the session runs under
 * @param channel the channel paying for it, or null while negotiating
 * @param deliveredQuantity delivered so far, in sub-units of the offer's unit, {@code >= 0}
 * @param owed cost of the delivered quantity (in the offer's asset)
 * @param paid cumulative amount of the latest valid voucher for this session (in the offer's asset)
 * @param updatedAt when this snapshot was taken
 * @param detail human-readable detail (error reason for {@link SessionState#FAILED}), or null
 */
public record SessionSnapshot(SessionId id, SessionRole role, SessionState state, Offer offer, ChannelId channel,
        BigInteger deliveredQuantity, Amount owed, Amount paid, Instant updatedAt, String detail) {

    /**
     * Validates.
     *
     * @throws AssetMismatchException if owed or paid is not of the offer's asset
     * @throws IllegalArgumentException if the delivered quantity is negative
     * @throws NullPointerException if a required component is null
     */
    public SessionSnapshot {
        notNull(id, "session id");
        notNull(role, "session role");
        notNull(state, "session state");
        notNull(offer, "session offer");
        notNull(deliveredQuantity, "session delivered quantity");
        notNull(owed, "session owed");
        notNull(paid, "session paid");
        notNull(updatedAt, "session updatedAt");
        if (deliveredQuantity.signum() < 0) {
            throw new IllegalArgumentException("session delivered quantity " + deliveredQuantity + " is negative");
        }
        if (!owed.asset().equals(offer.price().asset())) {
            throw new AssetMismatchException("session owed", offer.price().asset(), owed.asset());
        }
        if (!paid.asset().equals(offer.price().asset())) {
            throw new AssetMismatchException("session paid", offer.price().asset(), paid.asset());
        }
    }
}
