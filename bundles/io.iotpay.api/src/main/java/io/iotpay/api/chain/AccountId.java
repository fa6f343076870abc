package io.iotpay.api.chain;

import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.quote;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An account on a chain in <a href="https://chainagnostic.org/CAIPs/caip-10">CAIP-10</a> form
 * {@code <namespace>:<reference>:<address>}, for example {@code eip155:1:0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb}.
 * <p>
 * Rules enforced by the constructor: the address matches {@code [-.%a-zA-Z0-9]{1,128}}; on {@code eip155} chains it is
 * {@code 0x} followed by 40 hex digits and is stored in lower case, so equality is case-insensitive. EIP-55 checksum
 * validation of mixed-case input is deliberately not done here: it belongs to the EVM connector and wallet bundles
 * that accept addresses from users. On {@code tezos} chains the address is {@code tz1}, {@code tz2}, {@code tz3},
 * {@code tz4} or {@code KT1} followed by 33 base58 characters (format only, the base58check checksum is not verified).
 * Other namespaces are only checked against the generic CAIP-10 rule.
 *
 * @param chainId the chain the account lives on
 * @param address the address, normalised as described above
 */
public record AccountId(ChainId chainId, String address) {

    private static final Pattern ADDRESS = Pattern.compile("[-.%a-zA-Z0-9]{1,128}");
    private static final Pattern EVM_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern TEZOS_ADDRESS = Pattern.compile(
            "(tz1|tz2|tz3|tz4|KT1)[1-9A-HJ-NP-Za-km-z]{33}");

    /**
     * Validates and normalises the address.
     *
     * @throws IllegalArgumentException if the address does not fit the chain's address rules
     * @throws NullPointerException if a part is null
     */
    public AccountId {
        notNull(chainId, "account chain id");
        if (address == null || !ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("account address " + quote(address) + " on " + chainId
                    + " is not CAIP-10: expected [-.%a-zA-Z0-9]{1,128}");
        }
        if (chainId.isEvm()) {
            if (!EVM_ADDRESS.matcher(address).matches()) {
                throw new IllegalArgumentException("account address " + quote(address) + " on " + chainId
                        + " is not an EVM address: expected 0x followed by 40 hex digits");
            }
            address = address.toLowerCase(Locale.ROOT);
        } else if (ChainId.TEZOS.equals(chainId.namespace()) && !TEZOS_ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("account address " + quote(address) + " on " + chainId
                    + " is not a Tezos address: expected tz1/tz2/tz3/tz4/KT1 followed by 33 base58 characters");
        }
    }

    /**
     * Parses a CAIP-10 string {@code <namespace>:<reference>:<address>}.
     *
     * @param caip10 the string
     * @return the account id
     * @throws IllegalArgumentException if the string is null or not a valid CAIP-10 account id
     */
    public static AccountId parse(String caip10) {
        if (caip10 == null) {
            throw new IllegalArgumentException("account id is null: expected <namespace>:<reference>:<address>");
        }
        int second = caip10.lastIndexOf(':');
        int first = second <= 0 ? -1 : caip10.lastIndexOf(':', second - 1);
        if (first < 0 || caip10.indexOf(':') != first) {
            throw new IllegalArgumentException("account id " + quote(caip10)
                    + " is not CAIP-10: expected <namespace>:<reference>:<address>");
        }
        return new AccountId(ChainId.parse(caip10.substring(0, second)), caip10.substring(second + 1));
    }

    /**
     * Creates an account id.
     *
     * @param chainId the chain
     * @param address the address on that chain
     * @return the account id
     * @throws IllegalArgumentException if the address is invalid for the chain
     */
    public static AccountId of(ChainId chainId, String address) {
        return new AccountId(chainId, address);
    }

    /**
     * Returns the CAIP-10 form.
     *
     * @return {@code <namespace>:<reference>:<address>}
     */
    @Override
    public String toString() {
        return chainId + ":" + address;
    }
}
