package io.iotpay.api.money;

import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.quote;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;

import java.util.regex.Pattern;

/**
 * Something that can be paid: the native coin of a chain or a token contract on it, with its number of decimals and
 * display symbol.
 * <p>
 * Equality covers all four components: two assets are the same only if chain, token, decimals and symbol all agree.
 * This is deliberately strict: amounts of "the same" token declared with different decimals must never be mixed.
 * <p>
 * The token address is validated like a CAIP-10 address on the asset's chain (see {@link AccountId}); on EVM chains it
 * is stored in lower case.
 *
 * @param chain the chain
 * @param token the token contract address on that chain, or null for the chain's native coin
 * @param decimals number of decimals between base units and one whole coin, {@code 0..77} (10^77 is the largest power
 *        of ten below 2^256)
 * @param symbol display symbol, {@code [A-Za-z0-9.\-]{1,11}}, e.g. {@code ETH}, {@code USDC.e}
 */
public record Asset(ChainId chain, String token, int decimals, String symbol) {

    /** Highest allowed number of decimals. */
    public static final int MAX_DECIMALS = 77;

    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9.\\-]{1,11}");

    /** Native ether of the local devnet ({@code eip155:31337}), 18 decimals, {@code ETH}. */
    public static final Asset DEVNET_ETH = nativeCoin(ChainId.DEVNET, 18, "ETH");
    /** Native BNB of BNB Smart Chain ({@code eip155:56}), 18 decimals, {@code BNB}. */
    public static final Asset BNB = nativeCoin(ChainId.BSC, 18, "BNB");

    /**
     * Validates the components and normalises the token address.
     *
     * @throws IllegalArgumentException if decimals, symbol or token address are invalid
     * @throws NullPointerException if chain or symbol is null
     */
    public Asset {
        notNull(chain, "asset chain");
        if (decimals < 0 || decimals > MAX_DECIMALS) {
            throw new IllegalArgumentException("asset decimals " + decimals + " out of range: expected 0.."
                    + MAX_DECIMALS);
        }
        if (symbol == null || !SYMBOL.matcher(symbol).matches()) {
            throw new IllegalArgumentException("asset symbol " + quote(symbol)
                    + " is invalid: expected [A-Za-z0-9.-]{1,11}");
        }
        if (token != null) {
            token = new AccountId(chain, token).address();
        }
    }

    /**
     * Creates the native coin of a chain.
     *
     * @param chain the chain
     * @param decimals the decimals
     * @param symbol the symbol
     * @return the asset
     */
    public static Asset nativeCoin(ChainId chain, int decimals, String symbol) {
        return new Asset(chain, null, decimals, symbol);
    }

    /**
     * Creates a token asset.
     *
     * @param chain the chain
     * @param contract the token contract address on that chain
     * @param decimals the decimals
     * @param symbol the symbol
     * @return the asset
     * @throws IllegalArgumentException if an argument is invalid
     * @throws NullPointerException if contract is null
     */
    public static Asset token(ChainId chain, String contract, int decimals, String symbol) {
        notNull(contract, "token contract");
        return new Asset(chain, contract, decimals, symbol);
    }

    /**
     * Tells whether this is the chain's native coin.
     *
     * @return true if {@link #token()} is null
     */
    public boolean isNative() {
        return token == null;
    }

    /**
     * Returns the token contract as an account id.
     *
     * @return the contract
     * @throws IllegalStateException if this is the native coin
     */
    public AccountId tokenContract() {
        if (token == null) {
            throw new IllegalStateException("asset " + symbol + " on " + chain + " is the native coin, not a token");
        }
        return new AccountId(chain, token);
    }

    /**
     * Returns an asset identifier in the style of CAIP-19: {@code <chain>/native} for the native coin,
     * {@code <chain>/erc20:<address>} for tokens on eip155 chains, {@code <chain>/fa1.2:<address>} on tezos and
     * {@code <chain>/token:<address>} elsewhere. {@code native} is IOTPAY's marker (CAIP-19 proper uses SLIP-44 coin
     * types, which cannot be derived from the chain id). Decimals and symbol are not part of the identifier.
     *
     * @return the identifier
     */
    public String toCaip19() {
        if (token == null) {
            return chain + "/native";
        }
        return chain + "/" + tokenNamespace(chain) + ":" + token;
    }

    /**
     * Parses an identifier produced by {@link #toCaip19()}.
     *
     * @param caip19 the identifier
     * @param decimals the decimals of the asset
     * @param symbol the symbol of the asset
     * @return the asset
     * @throws IllegalArgumentException if the identifier is malformed or uses the wrong token namespace for its chain
     */
    public static Asset parseCaip19(String caip19, int decimals, String symbol) {
        String expected = "expected <chain>/native or <chain>/<erc20|fa1.2|token>:<address>";
        if (caip19 == null) {
            throw new IllegalArgumentException("asset id is null: " + expected);
        }
        int slash = caip19.indexOf('/');
        if (slash < 0 || caip19.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("asset id " + quote(caip19) + " is malformed: " + expected);
        }
        ChainId chain = ChainId.parse(caip19.substring(0, slash));
        String rest = caip19.substring(slash + 1);
        if (rest.equals("native")) {
            return nativeCoin(chain, decimals, symbol);
        }
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("asset id " + quote(caip19) + " is malformed: " + expected);
        }
        String ns = rest.substring(0, colon);
        if (!ns.equals(tokenNamespace(chain))) {
            throw new IllegalArgumentException("asset id " + quote(caip19) + " uses asset namespace " + quote(ns)
                    + " but tokens on " + chain + " use " + tokenNamespace(chain));
        }
        return token(chain, rest.substring(colon + 1), decimals, symbol);
    }

    private static String tokenNamespace(ChainId chain) {
        if (chain.isEvm()) {
            return "erc20";
        }
        if (ChainId.TEZOS.equals(chain.namespace())) {
            return "fa1.2";
        }
        return "token";
    }

    /**
     * Returns the symbol and the CAIP-19 style identifier.
     *
     * @return e.g. {@code ETH (eip155:31337/native, 18 decimals)}
     */
    @Override
    public String toString() {
        return symbol + " (" + toCaip19() + ", " + decimals + " decimals)";
    }

}
