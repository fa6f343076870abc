package io.iotpay.api.channel;

import static io.iotpay.api.internal.Checks.notNull;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.money.AssetMismatchException;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Price;

import java.net.URI;

/**
 * A consumer's request to buy from a provider.
 *
 * @param provider the provider's offer endpoint
 * @param budget the most this purchase may cost in total
 * @param maxPrice the highest acceptable unit price (same asset as the budget)
 * @param payer the paying account, on the budget's chain
 */
public record PurchaseRequest(URI provider, Amount budget, Price maxPrice, AccountId payer) {

    /**
     * Validates.
     *
     * @throws AssetMismatchException if the price cap is of another asset than the budget
     * @throws IllegalArgumentException if the payer is on another chain
     * @throws NullPointerException if a component is null
     */
    public PurchaseRequest {
        notNull(provider, "purchase provider");
        notNull(budget, "purchase budget");
        notNull(maxPrice, "purchase max price");
        notNull(payer, "purchase payer");
        if (!maxPrice.asset().equals(budget.asset())) {
            throw new AssetMismatchException("purchase max price", budget.asset(), maxPrice.asset());
        }
        if (!payer.chainId().equals(budget.asset().chain())) {
            throw new IllegalArgumentException("purchase payer " + payer + " is not on the budget's chain "
                    + budget.asset().chain());
        }
    }
}
