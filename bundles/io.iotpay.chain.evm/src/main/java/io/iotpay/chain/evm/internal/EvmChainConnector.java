package io.iotpay.chain.evm.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainConnector;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.ChainMismatchException;
import io.iotpay.api.chain.ChainUnavailableException;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.EvmTransactionFields;
import io.iotpay.api.wallet.UnsignedTransaction;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.chain.evm.internal.tx.EvmTransaction;
import io.iotpay.chain.evm.internal.tx.TxSigner;

/**
 * OSGi face of the EVM connector: one component per factory configuration {@code io.iotpay.chain.evm}. Registers the
 * {@link ChainConnector} service itself, with {@code iotpay.chain=eip155:<id>}, after checking the node's
 * {@code eth_chainId} (a mismatch refuses to register and logs the two ids; an unreachable node registers anyway and
 * the check runs again on first use). Signing goes through the {@link Wallet} service, which computes the digest it
 * signs from the whole transaction.
 */
@Component(service = {}, configurationPid = EvmChainConnector.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = EvmConnectorConfig.class, factory = true)
public final class EvmChainConnector {

    /** Factory configuration PID. */
    public static final String PID = "io.iotpay.chain.evm";

    private static final Logger LOG = LoggerFactory.getLogger(EvmChainConnector.class);

    private final EvmConnectorCore core;
    private final ServiceRegistration<ChainConnector> registration;

    /**
     * @param context bundle context (to register with computed properties)
     * @param wallet the wallet that signs
     * @param config this chain's configuration
     */
    @Activate
    public EvmChainConnector(BundleContext context, @Reference Wallet wallet, EvmConnectorConfig config) {
        EvmSettings settings = EvmSettings.from(config);
        this.core = new EvmConnectorCore(settings, walletSigner(wallet, settings));
        try {
            core.verifyChain();
        } catch (ChainMismatchException e) {
            LOG.error("EVM connector not registered: {}", e.getMessage());
            throw e;
        } catch (ChainUnavailableException e) {
            LOG.warn("{} is not reachable yet ({}); registering, the chain id is checked on first use",
                    settings.chain(), e.getMessage());
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ChainConnector.CHAIN_PROPERTY, settings.chain().toString());
        props.put("iotpay.chain.network", settings.preset().key());
        this.registration = context.registerService(ChainConnector.class, core, props);
        LOG.info("EVM connector for {} ({}) registered, {} settlement scheme(s)", settings.chain(),
                settings.preset().key(), core.settlementSchemes().size());
    }

    /**
     * The wallet as transaction signer. The wallet gets the whole transaction (recipient, value, data and the
     * {@link EvmTransactionFields}: chain, type, nonce, gas limit, fees), builds the signing payload and hashes it
     * itself (H4(a)); the connector's own {@code signingHash} is not passed. {@link TxSender} then checks that the
     * signature recovers to the sender over {@link EvmTransaction#signingHash()} before it broadcasts anything.
     */
    static TxSigner walletSigner(Wallet wallet, EvmSettings settings) {
        return (AccountId from, EvmTransaction tx, byte[] connectorHash) -> wallet.signTransaction(from,
                unsigned(tx, settings)).bytes();
    }

    /** The wallet's view of a transaction: all of it, in API types. */
    static UnsignedTransaction unsigned(EvmTransaction tx, EvmSettings settings) {
        ChainId chain = ChainId.eip155(tx.chainId());
        AccountId to = tx.toHex() == null ? null : AccountId.of(chain, tx.toHex());
        Amount value = Amount.ofUnits(tx.value(), Asset.nativeCoin(chain, 18, settings.nativeSymbol()));
        EvmTransactionFields fields = tx.type() == EvmTransaction.Type.LEGACY
                ? EvmTransactionFields.legacy(chain, tx.nonce(), tx.gasLimit(), tx.gasPrice())
                : EvmTransactionFields.eip1559(chain, tx.nonce(), tx.gasLimit(), tx.maxPriorityFeePerGas(),
                        tx.maxFeePerGas());
        return new UnsignedTransaction(to, value, tx.data(), fields);
    }

    /** Unregisters and stops subscriptions. */
    @Deactivate
    public void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // bundle stopping
        }
        core.close();
    }
}
