package io.iotpay.api.channel;

import static io.iotpay.api.internal.Checks.notNull;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.wallet.Signature;

/**
 * A payer's promise: the payee may claim up to {@code cumulative} in total from the channel. Each new voucher replaces
 * the previous one; only the highest counts.
 *
 * @param channel the channel
 * @param contract the settlement contract (on the asset's chain)
 * @param cumulative the total granted
 * @param signature the payer's signature, or null for an unsigned voucher
 */
public record Voucher(ChannelId channel, AccountId contract, Amount cumulative, Signature signature) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the contract is not on the amount's chain
     * @throws NullPointerException if a required component is null
     */
    public Voucher {
        notNull(channel, "voucher channel");
        notNull(contract, "voucher contract");
        notNull(cumulative, "voucher cumulative");
        if (!contract.chainId().equals(cumulative.asset().chain())) {
            throw new IllegalArgumentException("voucher contract " + contract + " is not on the chain of "
                    + cumulative.asset());
        }
    }

    /**
     * Creates an unsigned voucher.
     *
     * @param channel the channel
     * @param contract the settlement contract
     * @param cumulative the total granted
     * @return the voucher without signature
     */
    public static Voucher unsigned(ChannelId channel, AccountId contract, Amount cumulative) {
        return new Voucher(channel, contract, cumulative, null);
    }

    /**
     * Returns this voucher with a signature.
     *
     * @param signature the signature (null removes it)
     * @return a new voucher
     */
    public Voucher withSignature(Signature signature) {
        return new Voucher(channel, contract, cumulative, signature);
    }

    /**
     * Tells whether the voucher carries a signature (not whether it is valid).
     *
     * @return true if signed
     */
    public boolean isSigned() {
        return signature != null;
    }
}
