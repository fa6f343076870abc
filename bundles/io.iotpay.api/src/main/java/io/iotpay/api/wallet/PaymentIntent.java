package io.iotpay.api.wallet;

import static io.iotpay.api.internal.Checks.notNull;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.AssetMismatchException;
import io.iotpay.api.money.Price;

/**
 * What a payment signature commits to, as seen by the spending policy.
 * <p>
 * Rules enforced: {@code increment} and {@code cumulative} (and {@code unitPrice}, if any) are of one asset;
 * {@code increment <= cumulative}; payer, payee and the asset are on the same chain.
 *
 * @param payer the paying account (held by the wallet)
 * @param payee the receiving account
 * @param increment the new money this signature commits beyond what was signed before (for a voucher: new cumulative
 *        minus previous cumulative; for a transfer: the value)
 * @param cumulative the total committed in this channel or session including the increment (for a transfer: equal to
 *        the increment)
 * @param unitPrice the price per unit being paid, or null if not metered
 * @param sessionKey key grouping payments for per-session limits (e.g. the session id), or null
 * @param channel the channel paid through, or null for a direct transfer
 */
public record PaymentIntent(AccountId payer, AccountId payee, Amount increment, Amount cumulative, Price unitPrice,
        String sessionKey, ChannelId channel) {

    /**
     * Validates.
     *
     * @throws AssetMismatchException if amounts or price are of different assets
     * @throws IllegalArgumentException if the increment exceeds the cumulative or the chains differ
     * @throws NullPointerException if a required component is null
     */
    public PaymentIntent {
        notNull(payer, "intent payer");
        notNull(payee, "intent payee");
        notNull(increment, "intent increment");
        notNull(cumulative, "intent cumulative");
        if (increment.isGreaterThan(cumulative)) {
            throw new IllegalArgumentException("intent increment " + increment + " exceeds cumulative " + cumulative);
        }
        if (unitPrice != null && !unitPrice.asset().equals(increment.asset())) {
            throw new AssetMismatchException("payment intent unit price", increment.asset(), unitPrice.asset());
        }
        if (!payer.chainId().equals(increment.asset().chain()) || !payee.chainId().equals(payer.chainId())) {
            throw new IllegalArgumentException("intent payer " + payer + ", payee " + payee + " and asset "
                    + increment.asset() + " must be on one chain");
        }
    }

    /**
     * Creates the intent of a direct transfer (increment = cumulative = amount, no price, session or channel).
     *
     * @param payer the payer
     * @param payee the payee
     * @param amount the amount
     * @return the intent
     */
    public static PaymentIntent transfer(AccountId payer, AccountId payee, Amount amount) {
        return new PaymentIntent(payer, payee, amount, amount, null, null, null);
    }
}
