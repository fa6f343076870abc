package io.iotpay.api.wallet;

import static io.iotpay.api.internal.Checks.notNull;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.AssetMismatchException;
import io.iotpay.api.money.Price;

import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Limits the wallet enforces before it signs anything that moves money from an account.
 * <p>
 * A policy governs one asset, the asset of {@code perDayLimit}; every other amount and price in it must be of that
 * asset. Payments in any other asset are refused ({@link SpendingRefusedException.Reason#ASSET_NOT_ALLOWED}).
 * There is no "unlimited" policy: an account without an explicit policy gets the conservative default of the wallet's
 * configuration, and {@link #denyAll(Asset)} refuses everything.
 * <p>
 * Evaluation (done by the wallet, in this order): payee allowed; unit price at most {@code maxUnitPrice}; the
 * session's committed total at most {@code perSessionLimit}; the day's total (increments since local midnight in
 * {@code dayZone}) at most {@code perDayLimit}; the payee's day total at most its {@code perPayeeDailyLimit}; and if
 * the increment exceeds {@code approvalThreshold} the signature waits for a person's approval.
 *
 * @param perSessionLimit most one session may commit in total, or null for no session limit
 * @param perDayLimit most all payments of a day may add up to (zero forbids all payments)
 * @param perPayeeDailyLimit per-payee day limits (copied; payees not in the map only have the day limit)
 * @param maxUnitPrice highest acceptable unit price (compared only with prices of the same unit), or null for no cap
 * @param allowedPayees the only payees allowed, or empty to allow any payee (copied)
 * @param approvalThreshold increments above this need explicit approval, or null for never
 * @param dayZone the time zone whose midnight starts a new day
 */
public record SpendingPolicy(Amount perSessionLimit, Amount perDayLimit, Map<AccountId, Amount> perPayeeDailyLimit,
        Price maxUnitPrice, Set<AccountId> allowedPayees, Amount approvalThreshold, ZoneId dayZone) {

    /**
     * Validates and copies.
     *
     * @throws AssetMismatchException if an amount or price is not of the day limit's asset
     * @throws NullPointerException if a required component or a map/set element is null
     */
    public SpendingPolicy {
        notNull(perDayLimit, "policy per-day limit");
        notNull(perPayeeDailyLimit, "policy per-payee limits");
        notNull(allowedPayees, "policy allowed payees");
        notNull(dayZone, "policy day zone");
        Asset asset = perDayLimit.asset();
        check(asset, perSessionLimit, "per-session limit");
        check(asset, approvalThreshold, "approval threshold");
        if (maxUnitPrice != null) {
            check(asset, maxUnitPrice.amount(), "max unit price");
        }
        Map<AccountId, Amount> limits = new LinkedHashMap<>();
        perPayeeDailyLimit.forEach((k, v) -> {
            notNull(k, "policy payee");
            notNull(v, "policy limit of payee " + k);
            check(asset, v, "per-payee limit of " + k);
            limits.put(k, v);
        });
        perPayeeDailyLimit = Collections.unmodifiableMap(limits);
        Set<AccountId> payees = new LinkedHashSet<>();
        allowedPayees.forEach(p -> payees.add(notNull(p, "allowed payee")));
        allowedPayees = Collections.unmodifiableSet(payees);
    }

    private static void check(Asset asset, Amount amount, String what) {
        if (amount != null && !amount.asset().equals(asset)) {
            throw new AssetMismatchException("spending policy " + what, asset, amount.asset());
        }
    }

    /**
     * Returns a policy that refuses every payment in an asset (day limit zero), days in UTC.
     *
     * @param asset the asset
     * @return the policy
     */
    public static SpendingPolicy denyAll(Asset asset) {
        return new SpendingPolicy(null, Amount.zero(asset), Map.of(), null, Set.of(), null, ZoneId.of("UTC"));
    }

    /**
     * Returns the asset this policy governs.
     *
     * @return the asset of {@link #perDayLimit()}
     */
    public Asset asset() {
        return perDayLimit.asset();
    }

    /**
     * Tells whether a payee passes {@link #allowedPayees()}.
     *
     * @param payee the payee
     * @return true if the set is empty or contains the payee
     */
    public boolean allowsPayee(AccountId payee) {
        return allowedPayees.isEmpty() || allowedPayees.contains(payee);
    }
}
