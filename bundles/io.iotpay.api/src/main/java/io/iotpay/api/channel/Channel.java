package io.iotpay.api.channel;

import static io.iotpay.api.internal.Checks.notNull;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.AssetMismatchException;

import java.time.Instant;

/**
 * A payment channel as known on chain (or by the local store before confirmation).
 * <p>
 * Rules: deposit and claimed are of {@code asset}; {@code claimed <= deposit}; contract, payer, payee and asset are on
 * one chain.
 *
 * @param id the channel id
 * @param scheme the settlement scheme id, e.g. {@code "iotpay-channels-v1"}
 * @param contract the settlement contract
 * @param payer the payer
 * @param payee the payee
 * @param asset the asset
 * @param deposit total deposited
 * @param claimed total already claimed by the payee
 * @param state the state
 * @param closesAt when the challenge period ends (state {@link ChannelState#CLOSING}), else null
 */
public record Channel(ChannelId id, String scheme, AccountId contract, AccountId payer, AccountId payee, Asset asset,
        Amount deposit, Amount claimed, ChannelState state, Instant closesAt) {

    /**
     * Validates.
     *
     * @throws AssetMismatchException if deposit or claimed is of another asset
     * @throws IllegalArgumentException if claimed exceeds deposit or the chains differ
     * @throws NullPointerException if a required component is null
     */
    public Channel {
        notNull(id, "channel id");
        notNull(scheme, "channel scheme");
        notNull(contract, "channel contract");
        notNull(payer, "channel payer");
        notNull(payee, "channel payee");
        notNull(asset, "channel asset");
        notNull(deposit, "channel deposit");
        notNull(claimed, "channel claimed");
        notNull(state, "channel state");
        if (!deposit.asset().equals(asset)) {
            throw new AssetMismatchException("channel deposit", asset, deposit.asset());
        }
        if (!claimed.asset().equals(asset)) {
            throw new AssetMismatchException("channel claimed", asset, claimed.asset());
        }
        if (claimed.isGreaterThan(deposit)) {
            throw new IllegalArgumentException("channel " + id + " claimed " + claimed + " exceeds deposit " + deposit);
        }
        if (!contract.chainId().equals(asset.chain()) || !payer.chainId().equals(asset.chain())
                || !payee.chainId().equals(asset.chain())) {
            throw new IllegalArgumentException("channel " + id + ": contract, payer, payee and asset must be on one chain");
        }
    }

    /**
     * Returns what is left for the payee to claim or the payer to withdraw.
     *
     * @return deposit minus claimed
     */
    public Amount remaining() {
        return deposit.minus(claimed);
    }
}
