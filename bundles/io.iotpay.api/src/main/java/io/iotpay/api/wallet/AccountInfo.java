package io.iotpay.api.wallet;

import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.quote;

import io.iotpay.api.chain.AccountId;

import java.util.regex.Pattern;

/**
 * Public facts about an account held by the wallet. Never contains key material.
 *
 * @param alias the unique local name, {@code [A-Za-z0-9._-]{1,64}}
 * @param account the account
 * @param derivationPath the BIP-32/SLIP-10 path, e.g. {@code m/44'/60'/0'/0/0}, or null for imported raw keys
 * @param locked true if the account may not sign now
 * @param origin where the key came from
 */
public record AccountInfo(String alias, AccountId account, String derivationPath, boolean locked, KeyOrigin origin) {

    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Where an account's key came from. */
    public enum KeyOrigin {
        /** Derived from a BIP-39 mnemonic (the household seed or an imported one). */
        MNEMONIC,
        /** Imported as a raw private key. */
        RAW_KEY,
        /** Imported from an encrypted keystore file (Web3 Secret Storage). */
        KEYSTORE_IMPORT
    }

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the alias is invalid
     * @throws NullPointerException if a required component is null
     */
    public AccountInfo {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw new IllegalArgumentException("account alias " + quote(alias)
                    + " is invalid: expected [A-Za-z0-9._-]{1,64}");
        }
        notNull(account, "account");
        notNull(origin, "key origin");
    }
}
