package io.iotpay.api.chain;

import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;

import java.time.Duration;
import java.util.List;

/**
 * Connection to one blockchain. Registered as an OSGi service with the property {@value #CHAIN_PROPERTY} set to the
 * CAIP-2 string of {@link #chainId()}; consumers select connectors by that property and bind them dynamically.
 * <p>
 * A connector never holds keys: every transaction it sends is signed through the {@code io.iotpay.api.wallet.Wallet}
 * service ({@code Wallet.signTransaction}), which applies the sending account's spending policy. Connectors are trusted
 * runtime code; user-facing layers (rules, REST, shell) use the higher-level services instead.
 * <p>
 * All methods may throw {@link ChainUnavailableException} (node unreachable after retries) and
 * {@link ChainMismatchException} (node on another chain); methods that send transactions may also throw
 * {@link InsufficientFundsException}, {@link GasLimitExceededException}, {@link TransactionRevertedException} (revert in
 * simulation) and the wallet's {@code SpendingRefusedException}. Methods that send return once the transaction was
 * accepted by the node, without waiting for it to be mined: use {@link #awaitReceipt}.
 */
public interface ChainConnector {

    /** Service property carrying the CAIP-2 chain id of the connector, e.g. {@code eip155:56}. */
    String CHAIN_PROPERTY = "iotpay.chain";

    /**
     * Returns the chain this connector serves.
     *
     * @return the chain id
     */
    ChainId chainId();

    /**
     * Returns the chain's native coin (pays fees and native-coin channels).
     *
     * @return the native asset
     */
    Asset nativeAsset();

    /**
     * Checks the node now (bounded by the connector's RPC timeout) and reports its state. Never throws for an
     * unreachable node: that is reported as {@code reachable = false}.
     *
     * @return the status
     */
    ChainStatus status();

    /**
     * Returns the balance of an account in an asset, at the latest block.
     *
     * @param account the account, on this chain
     * @param asset the asset, on this chain (native coin or token)
     * @return the balance
     * @throws IllegalArgumentException if the account or asset is on another chain
     */
    Amount balance(AccountId account, Asset asset);

    /**
     * Transfers an amount (native coin or token) from one account to another. Signing goes through the wallet; the
     * sender's spending policy applies there.
     *
     * @param from the paying account, held by the wallet
     * @param to the receiving account
     * @param amount the amount, of an asset on this chain
     * @return the hash of the sent transaction
     * @throws IllegalArgumentException if an account or the asset is on another chain
     */
    TxHash transfer(AccountId from, AccountId to, Amount amount);

    /**
     * The confirmation depth this connector treats as final (1 = included in the head block), configured per network
     * (e.g. 1 on the local devnet, 3 on BNB Smart Chain and Ethereum): wait for it before relying on a transaction
     * ({@link #awaitReceipt}), and {@link SettlementScheme#confirmedChannel} reads at it.
     *
     * @return at least 1
     * @since 1.2
     */
    default int confirmations() {
        return 1;
    }

    /**
     * Waits until a transaction has the requested number of confirmations.
     *
     * @param tx the transaction, on this chain
     * @param confirmations the required confirmations, {@code >= 1} (1 = included in a block)
     * @param timeout how long to wait at most
     * @return the receipt; check {@link TxReceipt#success()}
     * @throws ChainUnavailableException if the timeout passed first (the message says so)
     */
    TxReceipt awaitReceipt(TxHash tx, int confirmations, Duration timeout);

    /**
     * Returns the default settlement scheme of this chain.
     *
     * @return the scheme, equal to the first element of {@link #settlementSchemes()}
     * @throws UnsupportedOperationException if no settlement contract is configured on this chain
     */
    SettlementScheme settlement();

    /**
     * Returns every settlement scheme configured on this chain, the default first.
     *
     * @return an unmodifiable list, possibly empty
     */
    List<SettlementScheme> settlementSchemes();

    /**
     * Returns the device registry contract client of this chain.
     *
     * @return the client
     * @throws UnsupportedOperationException if no registry contract is configured on this chain
     */
    DeviceRegistryClient deviceRegistry();

    /**
     * Returns the anchoring contract client of this chain.
     *
     * @return the client
     * @throws UnsupportedOperationException if no anchoring contract is configured on this chain
     */
    AnchorClient anchoring();

    /**
     * Subscribes to the events of a contract, starting after a block.
     *
     * @param contract the contract, on this chain
     * @param from the last block already processed, or null to start at the current head
     * @param listener receives the events in chain order
     * @return the subscription; close it to stop
     */
    Subscription subscribe(AccountId contract, BlockCursor from, ChainEventListener listener);
}
