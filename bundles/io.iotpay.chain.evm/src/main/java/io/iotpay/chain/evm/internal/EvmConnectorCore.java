package io.iotpay.chain.evm.internal;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.AnchorClient;
import io.iotpay.api.chain.BlockCursor;
import io.iotpay.api.chain.ChainConnector;
import io.iotpay.api.chain.ChainEventListener;
import io.iotpay.api.chain.ChainException;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.ChainMismatchException;
import io.iotpay.api.chain.ChainStatus;
import io.iotpay.api.chain.DeviceRegistryClient;
import io.iotpay.api.chain.SettlementScheme;
import io.iotpay.api.chain.Subscription;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.chain.TxReceipt;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.chain.evm.internal.abi.Abi;
import io.iotpay.chain.evm.internal.abi.AbiEventDecoder;
import io.iotpay.chain.evm.internal.abi.ContractArtifact;
import io.iotpay.chain.evm.internal.events.EventDecoder;
import io.iotpay.chain.evm.internal.events.EventPoller;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;
import io.iotpay.chain.evm.internal.scheme.EvmAnchorClient;
import io.iotpay.chain.evm.internal.scheme.EvmDeviceRegistryClient;
import io.iotpay.chain.evm.internal.scheme.IotpaySettlementScheme;
import io.iotpay.chain.evm.internal.tx.FeeOracle;
import io.iotpay.chain.evm.internal.tx.GasEstimator;
import io.iotpay.chain.evm.internal.tx.NonceManager;
import io.iotpay.chain.evm.internal.tx.ReceiptWaiter;
import io.iotpay.chain.evm.internal.tx.RevertDecoder;
import io.iotpay.chain.evm.internal.tx.TxSender;
import io.iotpay.chain.evm.internal.tx.TxSigner;

/**
 * The EVM {@link ChainConnector}, free of OSGi so tests drive it directly. {@link EvmChainConnector} is its OSGi face.
 * Holds no channel state: nonces are re-read from the node, channel parameters from contract logs, and event cursors
 * belong to the subscribers, so the bundle can be stopped or replaced at any time.
 */
public final class EvmConnectorCore implements ChainConnector, AutoCloseable {

    private final EvmSettings settings;
    private final ChainId chain;
    private final JsonRpcClient rpc;
    private final EvmChain evm;
    private final Asset nativeAsset;
    private final List<SettlementScheme> schemes;
    private final EvmDeviceRegistryClient registry;
    private final EvmAnchorClient anchors;
    private final Map<String, EventDecoder> decoders = new ConcurrentHashMap<>();
    private final Set<EventPoller> pollers = ConcurrentHashMap.newKeySet();
    private volatile boolean verified;

    /**
     * @param settings resolved settings
     * @param signer signs transactions (the wallet)
     */
    public EvmConnectorCore(EvmSettings settings, TxSigner signer) {
        this.settings = settings;
        this.chain = settings.chain();
        this.rpc = new JsonRpcClient(chain, settings.rpcUrl(), settings.retry());
        this.nativeAsset = Asset.nativeCoin(chain, 18, settings.nativeSymbol());
        RevertDecoder reverts = RevertDecoder.standard();
        for (String a : List.of(IotpaySettlementScheme.ARTIFACT, "DeviceRegistry", "Notary")) {
            reverts = reverts.with(ContractArtifact.load(a).revertDecoder());
        }
        GasEstimator gas = new GasEstimator(rpc, settings.gasMarginPercent(), settings.gasCap(), reverts);
        TxSender sender = new TxSender(rpc, chain.evmChainId(), new NonceManager(rpc), gas,
                new FeeOracle(rpc, settings.txType(), settings.minTipWei()), signer);
        this.evm = new EvmChain(chain, rpc, sender, new ReceiptWaiter(rpc, settings.pollInterval()), nativeAsset,
                reverts, settings.logsFromBlock(), Duration.ofMinutes(5), Math.max(1, settings.confirmations()));
        if (settings.channelsContract() != null) {
            AccountId c = AccountId.of(chain, settings.channelsContract());
            IotpaySettlementScheme s = new IotpaySettlementScheme(evm, c);
            this.schemes = List.of(s);
            decoders.put(c.address(), new AbiEventDecoder(s.artifact()));
        } else {
            this.schemes = List.of();
        }
        if (settings.registryContract() != null) {
            this.registry = new EvmDeviceRegistryClient(evm, AccountId.of(chain, settings.registryContract()));
            decoders.put(settings.registryContract(), new AbiEventDecoder(ContractArtifact.load("DeviceRegistry")));
        } else {
            this.registry = null;
        }
        if (settings.notaryContract() != null && settings.anchorAccount() != null) {
            this.anchors = new EvmAnchorClient(evm, AccountId.of(chain, settings.notaryContract()),
                    AccountId.of(chain, settings.anchorAccount()));
        } else {
            this.anchors = null;
        }
        if (settings.notaryContract() != null) {
            decoders.put(settings.notaryContract(), new AbiEventDecoder(ContractArtifact.load("Notary")));
        }
    }

    /** @return the settings */
    public EvmSettings settings() {
        return settings;
    }

    /** @return the shared chain context (for tests and contract clients) */
    public EvmChain evm() {
        return evm;
    }

    /**
     * Checks that the node serves the configured chain.
     *
     * @throws ChainMismatchException if it does not
     * @throws io.iotpay.api.chain.ChainUnavailableException if it cannot be reached
     */
    public void verifyChain() {
        long actual = JsonRpcClient.quantity(rpc.call("eth_chainId"));
        if (actual != chain.evmChainId()) {
            throw new ChainMismatchException(chain, ChainId.eip155(actual));
        }
        verified = true;
    }

    private void ensureVerified() {
        if (!verified) {
            verifyChain();
        }
    }

    @Override
    public ChainId chainId() {
        return chain;
    }

    @Override
    public Asset nativeAsset() {
        return nativeAsset;
    }

    @Override
    public ChainStatus status() {
        try {
            ensureVerified();
            long head = JsonRpcClient.quantity(rpc.call("eth_blockNumber"));
            return new ChainStatus(chain, true, head, Instant.now(), "ok via " + rpc.safeEndpoint());
        } catch (ChainException e) {
            return new ChainStatus(chain, false, 0, Instant.now(), e.getMessage());
        }
    }

    @Override
    public Amount balance(AccountId account, Asset asset) {
        ensureVerified();
        evm.checkChain(account, "account");
        if (!asset.chain().equals(chain)) {
            throw new IllegalArgumentException("asset " + asset + " is not on chain " + chain);
        }
        if (asset.isNative()) {
            return Amount.ofUnits(JsonRpcClient.bigQuantity(rpc.call("eth_getBalance", account.address(), "latest")),
                    asset);
        }
        BigInteger units = (BigInteger) evm.call(AccountId.of(chain, asset.token()),
                Abi.call("balanceOf(address)", new Address(account.address())), new TypeReference<Uint256>() { })
                .get(0).getValue();
        return Amount.ofUnits(units, asset);
    }

    @Override
    public TxHash transfer(AccountId from, AccountId to, Amount amount) {
        ensureVerified();
        evm.checkChain(from, "sender");
        evm.checkChain(to, "recipient");
        if (!amount.asset().chain().equals(chain)) {
            throw new IllegalArgumentException("amount " + amount + " is not on chain " + chain);
        }
        if (amount.asset().isNative()) {
            return evm.sender().send(from, to.address(), amount.units(), new byte[0]);
        }
        return evm.sender().send(from, amount.asset().token(), BigInteger.ZERO,
                Abi.call("transfer(address,uint256)", new Address(to.address()), new Uint256(amount.units())));
    }

    @Override
    public int confirmations() {
        return evm.confirmations();
    }

    @Override
    public TxReceipt awaitReceipt(TxHash tx, int confirmations, Duration timeout) {
        if (!tx.chain().equals(chain)) {
            throw new IllegalArgumentException("transaction " + tx + " is not on chain " + chain);
        }
        return evm.receipts().await(tx, confirmations, timeout);
    }

    @Override
    public SettlementScheme settlement() {
        if (schemes.isEmpty()) {
            throw new UnsupportedOperationException("no channels contract is configured for " + chain);
        }
        ensureVerified();
        return schemes.get(0);
    }

    @Override
    public List<SettlementScheme> settlementSchemes() {
        return schemes;
    }

    @Override
    public DeviceRegistryClient deviceRegistry() {
        if (registry == null) {
            throw new UnsupportedOperationException("no device registry contract is configured for " + chain);
        }
        ensureVerified();
        return registry;
    }

    @Override
    public AnchorClient anchoring() {
        if (anchors == null) {
            throw new UnsupportedOperationException("no notary contract and anchoring account are configured for "
                    + chain);
        }
        ensureVerified();
        return anchors;
    }

    @Override
    public Subscription subscribe(AccountId contract, BlockCursor from, ChainEventListener listener) {
        ensureVerified();
        evm.checkChain(contract, "contract");
        EventDecoder decoder = decoders.getOrDefault(contract.address(), EventDecoder.raw());
        EventPoller p = new EventPoller(rpc, contract, decoder, from, listener, new EventPoller.Options(
                settings.pollInterval(), 1000, settings.confirmations(), 64, Duration.ofSeconds(30)));
        pollers.add(p);
        p.start();
        return new Subscription() {
            @Override
            public BlockCursor cursor() {
                return p.cursor();
            }

            @Override
            public void close() {
                p.close();
                pollers.remove(p);
            }
        };
    }

    /** Stops every subscription. */
    @Override
    public void close() {
        pollers.forEach(EventPoller::close);
        pollers.clear();
    }
}
