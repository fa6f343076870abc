package io.iotpay.chain.evm.internal;

import java.math.BigInteger;
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
import io.iotpay.api.chain.ChainMismatchException;
import io.iotpay.api.chain.ChainUnavailableException;
import io.iotpay.api.money.Amount;
import io.iotpay.api.wallet.UnsignedTransaction;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.chain.evm.internal.tx.EvmTransaction;
import io.iotpay.chain.evm.internal.tx.TxSigner;

/**
 * OSGi face of the EVM connector: one component per factory configuration {@code io.iotpay.chain.evm}. Registers the
 * {@link ChainConnector} service itself, with {@code iotpay.chain=eip155:<id>}, after checking the node's
 * {@code eth_chainId} (a mismatch refuses to register and logs the two ids; an unreachable node registers anyway and
 * the check runs again on first use). Signing goes through the {@link Wallet} service.
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

    /** The wallet as transaction signer: it sees recipient, value and data and applies the spending policy. */
    static TxSigner walletSigner(Wallet wallet, EvmSettings settings) {
        return (AccountId from, EvmTransaction tx, byte[] hash) -> {
            AccountId to = tx.toHex() == null ? null : AccountId.of(settings.chain(), tx.toHex());
            Amount value = Amount.ofUnits(tx.value(), io.iotpay.api.money.Asset.nativeCoin(settings.chain(), 18,
                    settings.nativeSymbol()));
            BigInteger gas = tx.gasLimit();
            return wallet.signTransaction(from, new UnsignedTransaction(to, value, tx.data(), gas), hash).bytes();
        };
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
