package io.iotpay.channel.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainUnavailableException;
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

    private static final Logger LOG = LoggerFactory.getLogger(SettlementWatcher.class);

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
                out.add(new Claim(r, voucher, CLOSING_REASON + "; closes at " + c.closesAt()));
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
     * Claims everything due, one batch transaction per payee and asset, and records channel state changes. Claims of
     * closing channels go first in a batch. A batch the chain refuses (one item reverting reverts it all: a race with
     * another claim, the challenge period ending, a domain mismatch) is split in halves and each half is retried, so
     * one bad item never blocks the others; every refused item is logged. A batch that fails because the chain cannot
     * be reached is logged and retried whole at the next run.
     *
     * @return the claim transactions sent
     */
    public List<TxHash> runOnce() {
        Map<String, List<Claim>> batches = new LinkedHashMap<>();
        for (Claim c : due()) {
            batches.computeIfAbsent(c.channel().payee() + "|" + c.channel().asset().toCaip19(),
                    k -> new ArrayList<>()).add(c);
        }
        List<TxHash> sent = new ArrayList<>();
        for (List<Claim> batch : batches.values()) {
            List<Claim> ordered = new ArrayList<>(batch);
            ordered.sort(java.util.Comparator.comparing(c -> !c.reason().startsWith(CLOSING_REASON)));
            claim(ordered, sent);
        }
        return sent;
    }

    private static final String CLOSING_REASON = "payer started close";

    private void claim(List<Claim> batch, List<TxHash> sent) {
        AccountId payee = batch.get(0).channel().payee();
        List<Voucher> vouchers = batch.stream().map(Claim::voucher).toList();
        TxHash tx;
        try {
            tx = vouchers.size() == 1 ? scheme.claim(payee, vouchers.get(0)) : scheme.claimBatch(payee, vouchers);
        } catch (ChainUnavailableException e) {
            LOG.warn("Claim of {} channel(s) of payee {} not sent, the chain is unavailable (retried at the next "
                    + "run): {}", batch.size(), payee, e.getMessage());
            return;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                Claim c = batch.get(0);
                LOG.warn("Claim of channel {} ({} {}, {}) failed: {}", c.channel().id(),
                        c.voucher().cumulative().toDecimalString(), c.channel().asset().symbol(), c.reason(),
                        e.getMessage());
                return;
            }
            LOG.warn("Batch claim of {} channels of payee {} failed ({}); retrying it in parts", batch.size(), payee,
                    e.getMessage());
            int half = batch.size() / 2;
            claim(batch.subList(0, half), sent);
            claim(batch.subList(half, batch.size()), sent);
            return;
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
}
