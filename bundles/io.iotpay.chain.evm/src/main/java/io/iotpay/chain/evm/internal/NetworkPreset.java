package io.iotpay.chain.evm.internal;

import java.util.Locale;

import io.iotpay.chain.evm.internal.tx.EvmTransaction;

/**
 * Known EVM networks with their defaults. {@code CUSTOM} takes everything from the configuration.
 */
public enum NetworkPreset {
    /** Local anvil devnet supervised by the devnet bundle. */
    DEVNET("devnet", 31337, "http://127.0.0.1:8545", "ETH", EvmTransaction.Type.EIP1559, 1, 1_000_000L),
    /** BNB Smart Chain mainnet (legacy transactions, 0.1 gwei floor). */
    BSC("bsc", 56, "https://bsc-dataseed.bnbchain.org", "BNB", EvmTransaction.Type.LEGACY, 3, 100_000_000L),
    /** BNB Smart Chain testnet. */
    BSC_TESTNET("bsc-testnet", 97, "https://data-seed-prebsc-1-s1.bnbchain.org:8545", "tBNB",
            EvmTransaction.Type.LEGACY, 3, 100_000_000L),
    /** Ethereum mainnet. */
    ETHEREUM("ethereum", 1, "https://ethereum-rpc.publicnode.com", "ETH", EvmTransaction.Type.EIP1559, 3,
            1_000_000L),
    /** Ethereum Sepolia testnet. */
    SEPOLIA("sepolia", 11155111, "https://ethereum-sepolia-rpc.publicnode.com", "ETH", EvmTransaction.Type.EIP1559,
            3, 1_000_000L),
    /** Polygon PoS (minimum tip 25 gwei). */
    POLYGON("polygon", 137, "https://polygon-rpc.com", "POL", EvmTransaction.Type.EIP1559, 5, 25_000_000_000L),
    /** Gnosis chain. */
    GNOSIS("gnosis", 100, "https://rpc.gnosischain.com", "xDAI", EvmTransaction.Type.EIP1559, 3, 1_000_000_000L),
    /** Any other EVM chain: rpcUrl and chainId are required. */
    CUSTOM("custom", 0, "", "ETH", EvmTransaction.Type.EIP1559, 3, 1_000_000L);

    private final String key;
    private final long chainId;
    private final String defaultRpcUrl;
    private final String symbol;
    private final EvmTransaction.Type txType;
    private final int confirmations;
    private final long minTipWei;

    NetworkPreset(String key, long chainId, String defaultRpcUrl, String symbol, EvmTransaction.Type txType,
            int confirmations, long minTipWei) {
        this.key = key;
        this.chainId = chainId;
        this.defaultRpcUrl = defaultRpcUrl;
        this.symbol = symbol;
        this.txType = txType;
        this.confirmations = confirmations;
        this.minTipWei = minTipWei;
    }

    /** @return the configuration key, e.g. {@code bsc-testnet} */
    public String key() {
        return key;
    }

    /** @return the chain id (0 for custom) */
    public long chainId() {
        return chainId;
    }

    /** @return the default public RPC URL (empty for custom; operators should configure their own) */
    public String defaultRpcUrl() {
        return defaultRpcUrl;
    }

    /** @return the native coin symbol */
    public String symbol() {
        return symbol;
    }

    /** @return the transaction type used */
    public EvmTransaction.Type txType() {
        return txType;
    }

    /** @return default confirmation depth */
    public int confirmations() {
        return confirmations;
    }

    /** @return minimum priority fee (EIP-1559) or gas price (legacy) in wei */
    public long minTipWei() {
        return minTipWei;
    }

    /**
     * @param key a configuration key (case-insensitive, {@code _} and {@code -} equivalent)
     * @return the preset
     * @throws IllegalArgumentException naming the known keys
     */
    public static NetworkPreset of(String key) {
        String k = key == null ? "" : key.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (NetworkPreset p : values()) {
            if (p.key.equals(k)) {
                return p;
            }
        }
        StringBuilder known = new StringBuilder();
        for (NetworkPreset p : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(p.key);
        }
        throw new IllegalArgumentException("network \"" + key + "\" is unknown: expected one of " + known);
    }
}
