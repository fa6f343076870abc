package io.iotpay.api.chain;

import static io.iotpay.api.internal.Checks.quote;

import java.util.regex.Pattern;

/**
 * A blockchain identifier in <a href="https://chainagnostic.org/CAIPs/caip-2">CAIP-2</a> form
 * {@code <namespace>:<reference>}, for example {@code eip155:56} or {@code tezos:NetXdQprcVkpaWU}.
 * <p>
 * Rules enforced by the constructor: the namespace matches {@code [-a-z0-9]{3,8}}, the reference matches
 * {@code [-_a-zA-Z0-9]{1,32}}. For the {@code eip155} namespace the reference must in addition be a positive decimal
 * number without leading zero that fits a signed 64-bit {@code long} (IOTPAY's decision: EVM chain ids in use are far
 * below that, and {@link #evmChainId()} can then always answer).
 *
 * @param namespace the CAIP-2 namespace, e.g. {@code eip155}
 * @param reference the chain reference inside the namespace, e.g. {@code 56}
 */
public record ChainId(String namespace, String reference) {

    /** The CAIP-2 namespace of EVM chains (EIP-155 chain ids). */
    public static final String EIP155 = "eip155";
    /** The CAIP-2 namespace of Tezos chains. */
    public static final String TEZOS = "tezos";

    private static final Pattern NAMESPACE = Pattern.compile("[-a-z0-9]{3,8}");
    private static final Pattern REFERENCE = Pattern.compile("[-_a-zA-Z0-9]{1,32}");
    private static final Pattern EIP155_REFERENCE = Pattern.compile("[1-9][0-9]{0,18}");
    private static final String EXPECTED = "expected <namespace>:<reference>, namespace [-a-z0-9]{3,8}, "
            + "reference [-_a-zA-Z0-9]{1,32}";

    /** Local anvil / hardhat development chain, {@code eip155:31337}. */
    public static final ChainId DEVNET = eip155(31337);
    /** BNB Smart Chain mainnet, {@code eip155:56}. */
    public static final ChainId BSC = eip155(56);
    /** BNB Smart Chain testnet, {@code eip155:97}. */
    public static final ChainId BSC_TESTNET = eip155(97);
    /** Ethereum mainnet, {@code eip155:1}. */
    public static final ChainId ETHEREUM = eip155(1);
    /** Ethereum Sepolia testnet, {@code eip155:11155111}. */
    public static final ChainId SEPOLIA = eip155(11155111);
    /** Polygon PoS mainnet, {@code eip155:137}. */
    public static final ChainId POLYGON = eip155(137);
    /** Gnosis chain, {@code eip155:100}. */
    public static final ChainId GNOSIS = eip155(100);
    /** Tezos mainnet, {@code tezos:NetXdQprcVkpaWU}. */
    public static final ChainId TEZOS_MAINNET = of(TEZOS, "NetXdQprcVkpaWU");

    /**
     * Validates the parts.
     *
     * @throws IllegalArgumentException if a part is null or does not follow CAIP-2 (or the eip155 rule above)
     */
    public ChainId {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("chain id namespace " + quote(namespace) + " is not CAIP-2: " + EXPECTED);
        }
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            throw new IllegalArgumentException("chain id reference " + quote(reference) + " in namespace " + namespace
                    + " is not CAIP-2: " + EXPECTED);
        }
        if (EIP155.equals(namespace)) {
            if (!EIP155_REFERENCE.matcher(reference).matches()) {
                throw new IllegalArgumentException("chain id \"" + namespace + ":" + reference
                        + "\" is not a valid eip155 chain: expected a positive decimal chain id without leading zero");
            }
            try {
                Long.parseLong(reference);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("chain id \"" + namespace + ":" + reference
                        + "\" is not a valid eip155 chain: chain id must be at most " + Long.MAX_VALUE, e);
            }
        }
    }

    /**
     * Parses a CAIP-2 string {@code <namespace>:<reference>}.
     *
     * @param caip2 the string, e.g. {@code "eip155:56"}
     * @return the chain id
     * @throws IllegalArgumentException if the string is null or not CAIP-2
     */
    public static ChainId parse(String caip2) {
        if (caip2 == null) {
            throw new IllegalArgumentException("chain id is null: " + EXPECTED);
        }
        int colon = caip2.indexOf(':');
        if (colon < 0 || caip2.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException("chain id " + quote(caip2) + " is not CAIP-2: " + EXPECTED);
        }
        return new ChainId(caip2.substring(0, colon), caip2.substring(colon + 1));
    }

    /**
     * Creates a chain id from its two parts.
     *
     * @param namespace the namespace, e.g. {@code "eip155"}
     * @param reference the reference, e.g. {@code "56"}
     * @return the chain id
     * @throws IllegalArgumentException if a part is invalid
     */
    public static ChainId of(String namespace, String reference) {
        return new ChainId(namespace, reference);
    }

    /**
     * Creates an EVM chain id {@code eip155:<chainId>}.
     *
     * @param chainId the EIP-155 chain id, positive
     * @return the chain id
     * @throws IllegalArgumentException if {@code chainId <= 0}
     */
    public static ChainId eip155(long chainId) {
        if (chainId <= 0) {
            throw new IllegalArgumentException("eip155 chain id " + chainId + " is invalid: expected a positive number");
        }
        return new ChainId(EIP155, Long.toString(chainId));
    }

    /**
     * Tells whether this is an EVM chain.
     *
     * @return true if the namespace is {@code eip155}
     */
    public boolean isEvm() {
        return EIP155.equals(namespace);
    }

    /**
     * Returns the numeric EIP-155 chain id.
     *
     * @return the chain id as used in EVM transactions and EIP-712 domains
     * @throws IllegalStateException if this is not an {@code eip155} chain
     */
    public long evmChainId() {
        if (!isEvm()) {
            throw new IllegalStateException("chain " + this + " is not an eip155 (EVM) chain");
        }
        return Long.parseLong(reference);
    }

    /**
     * Returns the CAIP-2 form.
     *
     * @return {@code <namespace>:<reference>}
     */
    @Override
    public String toString() {
        return namespace + ":" + reference;
    }

}
