package io.iotpay.api.wallet;

import io.iotpay.api.chain.AccountId;

/**
 * A non-payment signing operation ({@link Wallet#signPersonalMessage}, non-payment {@link Wallet#signTypedData}) was
 * attempted on a locked account. Payment signing on a locked account throws {@link SpendingRefusedException} with
 * {@link SpendingRefusedException.Reason#ACCOUNT_LOCKED} instead, so payment callers handle a single exception type.
 */
public class WalletLockedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient AccountId account;

    /**
     * Creates the exception.
     *
     * @param account the locked account
     */
    public WalletLockedException(AccountId account) {
        super("account " + account + " is locked");
        this.account = account;
    }

    /**
     * Returns the locked account.
     *
     * @return the account
     */
    public AccountId account() {
        return account;
    }
}
