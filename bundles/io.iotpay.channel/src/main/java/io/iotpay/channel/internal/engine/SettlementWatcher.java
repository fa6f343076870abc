package io.iotpay.channel.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainException;
import io.iotpay.api.chain.SettlementScheme;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.channel.internal.store.ChannelRecord;
import io.iotpay.channel.internal.store.ChannelStore;
import io.iotpay.channel.internal.store.StoredVoucher;

/**
 * Provider side: claims the latest stored vouchers on chain. A channel whose payer started a unilateral close is
 * claimed at the next run, whatever the amount, so the claim lands inside the challenge period (run the watcher at
 * an interval well below the contract's challenge period). Open channels are claimed when the unclaimed amount
 * reaches {@code claimThreshold} or when {@code maxUnclaimedAge} passed since the last claim. All claims of one payee
 * and asset go into one {@link SettlementScheme#claimBatch} transaction.
 */
public final class SettlementWatcher {

    /** One claim the watcher made or wants to make. */
    public record Claim(ChannelRecord channel, Voucher voucher, String reason) {
    }

    private final ChannelStore store;
    private final SettlementScheme scheme;
    private final Clock clock;
    private final Amount claimThreshold;
    private final Duration maxUnclaimedAge;
    private final Map<io.iotpay.api.channel.ChannelId, java.time.Instant> lastClaim = new java.util.HashMap<>();

    /**
     * @param claimThreshold claim an open channel once this much is unclaimed (null: only when closing or aged)
     * @param maxUnclaimedAge claim an open channel with anything unclaimed after this long (null: never by age)
     */
    public SettlementWatcher(ChannelStore store, SettlementScheme scheme, Clock clock, Amount claimThreshold,
            Duration maxUnclaimedAge) {
        this.store = Objects.requireNonNull(store, "store");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.claimThreshold = claimThreshold;
        this.maxUnclaimedAge = maxUnclaimedAge;
    }

    /** The claims due now (reads the chain, changes nothing). */
    public List<Claim> due() {
        List<Claim> out = new ArrayList<>();
        for (ChannelRecord r : store.channels()) {
            if (r.role() != SessionRole.PROVIDER || !r.contract().equals(scheme.contract())
                    || (r.state() != ChannelState.OPEN && r.state() != ChannelState.CLOSING)) {
                continue;
            }
            Optional<StoredVoucher> v = store.latestVoucher(r.id(), SessionRole.PROVIDER);
            Optional<Channel> onChain = scheme.channel(r.id());
            if (v.isEmpty() || onChain.isEmpty()) {
                continue;
            }
            Channel c = onChain.get();
            Amount latest = Amount.ofUnits(v.get().cumulative(), r.asset());
            if (!latest.isGreaterThan(c.claimed())) {
                continue; // nothing new to claim
            }
            Voucher voucher = new Voucher(r.id(), r.contract(), latest, v.get().signature());
            Amount unclaimed = latest.minus(c.claimed());
            if (c.state() == ChannelState.CLOSING) {
                out.add(new Claim(r, voucher, "payer started close; closes at " + c.closesAt()));
            } else if (c.state() == ChannelState.OPEN) {
                if (claimThreshold != null && !unclaimed.isLessThan(claimThreshold)) {
                    out.add(new Claim(r, voucher, "unclaimed " + unclaimed.toDecimalString() + " reached threshold"));
                } else if (maxUnclaimedAge != null) {
                    java.time.Instant since = lastClaim.computeIfAbsent(r.id(), k -> r.updatedAt());
                    if (!since.plus(maxUnclaimedAge).isAfter(clock.instant())) {
                        out.add(new Claim(r, voucher, "unclaimed for " + maxUnclaimedAge));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Claims everything due, one batch transaction per payee and asset, and records channel state changes.
     *
     * @return the claim transactions sent (a batch that fails is retried at the next run)
     */
    public List<TxHash> runOnce() {
        Map<String, List<Claim>> batches = new LinkedHashMap<>();
        for (Claim c : due()) {
            batches.computeIfAbsent(c.channel().payee() + "|" + c.channel().asset().toCaip19(),
                    k -> new ArrayList<>()).add(c);
        }
        List<TxHash> sent = new ArrayList<>();
        for (List<Claim> batch : batches.values()) {
            AccountId payee = batch.get(0).channel().payee();
            List<Voucher> vouchers = batch.stream().map(Claim::voucher).toList();
            TxHash tx;
            try {
                tx = vouchers.size() == 1 ? scheme.claim(payee, vouchers.get(0)) : scheme.claimBatch(payee, vouchers);
            } catch (ChainException e) {
                continue;
            }
            sent.add(tx);
            for (Claim c : batch) {
                lastClaim.put(c.channel().id(), clock.instant());
                ChannelState next = ChannelMachine.next(c.channel().state(), ChannelMachine.Event.CLAIMED);
                if (scheme.channel(c.channel().id()).map(ch -> ch.state() == ChannelState.CLOSING).orElse(false)
                        && next == ChannelState.OPEN) {
                    next = ChannelMachine.next(next, ChannelMachine.Event.CLOSE_STARTED);
                }
                store.putChannel(c.channel().with(c.channel().deposit(), next, clock.instant()));
            }
        }
        return sent;
    }
}
