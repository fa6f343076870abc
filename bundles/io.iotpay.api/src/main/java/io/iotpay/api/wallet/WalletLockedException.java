package io.iotpay.api.wallet;

import io.iotpay.api.chain.AccountId;

/**
 * A non-payment signing operation ({@link Wallet#signPersonalMessage}, non-payment {@link Wallet#signTypedData},
 * {@link Wallet#signCertificate}) was attempted on a locked account or a locked wallet. Payment signing on a locked account throws {@link SpendingRefusedException} with
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
     * Creates the exception for something that is not an account, e.g. a certificate-authority key of a wallet
     * without passphrase; {@link #account()} is then null.
     *
     * @param what what is locked, for people (no secrets)
     * @since 2.1
     */
    public WalletLockedException(String what) {
        super(what + " is locked");
        this.account = null;
    }

    /**
     * Returns the locked account.
     *
     * @return the account, or null if the locked thing is not an account (a certificate-authority key)
     */
    public AccountId account() {
        return account;
    }
}
