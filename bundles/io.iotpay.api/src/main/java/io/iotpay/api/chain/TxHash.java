package io.iotpay.api.chain;

import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.quote;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hash of a transaction (Tezos: operation hash) on a chain.
 * <p>
 * On {@code eip155} chains the hash is {@code 0x} followed by 64 hex digits and is stored in lower case. On other
 * chains it must match {@code [-_.a-zA-Z0-9]{1,128}} (Tezos operation hashes are base58, e.g. {@code oo...}).
 *
 * @param chain the chain the transaction was sent to
 * @param hash the hash, normalised as described above
 */
public record TxHash(ChainId chain, String hash) {

    private static final Pattern EVM_HASH = Pattern.compile("0x[0-9a-fA-F]{64}");
    private static final Pattern GENERIC_HASH = Pattern.compile("[-_.a-zA-Z0-9]{1,128}");

    /**
     * Validates and normalises the hash.
     *
     * @throws IllegalArgumentException if the hash does not fit the chain's format
     * @throws NullPointerException if the chain is null
     */
    public TxHash {
        notNull(chain, "transaction chain");
        if (chain.isEvm()) {
            if (hash == null || !EVM_HASH.matcher(hash).matches()) {
                throw new IllegalArgumentException("transaction hash " + quote(hash) + " on " + chain
                        + " is invalid: expected 0x followed by 64 hex digits");
            }
            hash = hash.toLowerCase(Locale.ROOT);
        } else if (hash == null || !GENERIC_HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("transaction hash " + quote(hash) + " on " + chain
                    + " is invalid: expected [-_.a-zA-Z0-9]{1,128}");
        }
    }

    /**
     * Creates a transaction hash.
     *
     * @param chain the chain
     * @param hash the hash text
     * @return the transaction hash
     * @throws IllegalArgumentException if the hash is invalid for the chain
     */
    public static TxHash of(ChainId chain, String hash) {
        return new TxHash(chain, hash);
    }

    /**
     * Returns {@code <chain>/tx/<hash>}, e.g. {@code eip155:1/tx/0xab...}.
     *
     * @return a readable form
     */
    @Override
    public String toString() {
        return chain + "/tx/" + hash;
    }
}
