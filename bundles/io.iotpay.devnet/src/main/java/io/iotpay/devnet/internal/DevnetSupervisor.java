package io.iotpay.devnet.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.Wallet;

/**
 * Runs the local devnet: supervises anvil on 127.0.0.1 (state persisted with {@code --state}, restarted with backoff
 * if it dies), deploys the IOTPAY contracts on first start (addresses in {@code deployment.json}, reused while they
 * still have code), points the EVM connector at it through the factory configuration
 * {@code io.iotpay.chain.evm~devnet}, and tops up every wallet account on {@code eip155:31337}.
 */
@Component(service = DevnetSupervisor.class, configurationPid = DevnetSupervisor.PID, immediate = true)
@Designate(ocd = DevnetConfig.class)
public final class DevnetSupervisor {

    /** Configuration PID. */
    public static final String PID = "io.iotpay.devnet";
    /** Factory PID of the EVM connector. */
    public static final String CONNECTOR_FACTORY_PID = "io.iotpay.chain.evm";
    /** Name of the connector configuration this component owns. */
    public static final String CONNECTOR_CONFIG_NAME = "devnet";

    private static final Logger LOG = LoggerFactory.getLogger(DevnetSupervisor.class);

    private final DevnetConfig config;
    private final ConfigurationAdmin configAdmin;
    private final Path dataDir;
    private final List<Wallet> wallets = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile AnvilProcess anvil;
    private volatile DevnetDeployer.Deployment deployment;

    /**
     * @param configAdmin to configure the EVM connector
     * @param config devnet configuration
     */
    @Activate
    public DevnetSupervisor(@Reference ConfigurationAdmin configAdmin, DevnetConfig config) {
        this.config = config;
        this.configAdmin = configAdmin;
        String dir = config.dataDir();
        if (dir == null || dir.isBlank()) {
            String karafData = System.getProperty("karaf.data", "data");
            dir = Paths.get(karafData, "iotpay", "devnet").toString();
        }
        this.dataDir = Paths.get(dir);
        if (!config.enabled()) {
            LOG.info("devnet disabled; removing the connector configuration it owned (if any)");
            removeConnectorConfig();
            this.thread = null;
            return;
        }
        this.thread = new Thread(this::supervise, "iotpay-devnet");
        thread.setDaemon(true);
        thread.start();
    }

    /** @param wallet a wallet whose devnet accounts get funded */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addWallet(Wallet wallet) {
        wallets.add(wallet);
    }

    void removeWallet(Wallet wallet) {
        wallets.remove(wallet);
    }

    /** @return the current deployment, or null before the first start */
    public DevnetDeployer.Deployment deployment() {
        return deployment;
    }

    /** @return the supervised process (null before the first start) */
    AnvilProcess anvil() {
        return anvil;
    }

    /** @return the RPC endpoint */
    public String rpcUrl() {
        return "http://127.0.0.1:" + config.port();
    }

    private void supervise() {
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            try {
                if (anvil == null || !anvil.isAlive()) {
                    if (anvil != null) {
                        LOG.warn("anvil died; restarting in {} s. Last output:\n{}", backoff.toSeconds(),
                                anvil.lastOutput());
                        sleep(backoff);
                        backoff = backoff.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1)
                                : backoff.multipliedBy(2);
                    }
                    startAndDeploy();
                    backoff = Duration.ofSeconds(1);
                }
                fundWalletAccounts();
                sleep(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.error("devnet: {}; retrying in {} s", e.getMessage(), backoff.toSeconds());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1)
                        : backoff.multipliedBy(2);
            }
        }
    }

    private void startAndDeploy() {
        AnvilProcess.Options o = AnvilProcess.options().port(config.port()).chainId(AnvilProcess.DEVNET_CHAIN_ID)
                .stateFile(dataDir.resolve("anvil-state.json")).mnemonic(config.mnemonic())
                .blockTimeSeconds(config.blockTimeSeconds() > 0 ? config.blockTimeSeconds() : null);
        if (config.anvilPath() != null && !config.anvilPath().isBlank()) {
            o.binary(Paths.get(config.anvilPath()));
        }
        AnvilProcess a = AnvilProcess.start(o);
        anvil = a;
        DevnetDeployer deployer = new DevnetDeployer(new SimpleRpc(a.rpcUri()));
        DevnetDeployer.Deployment d = deployer.ensureDeployed(dataDir.resolve("deployment.json"),
                config.challengePeriodSeconds());
        LOG.info("devnet on {}: channels {}, registry {}, notary {}", a.rpcUri(), d.channels(), d.registry(),
                d.notary());
        configureConnector(d);
        deployment = d;
        if (!running) {
            a.close();
        }
    }

    private void configureConnector(DevnetDeployer.Deployment d) {
        try {
            Configuration c = configAdmin.getFactoryConfiguration(CONNECTOR_FACTORY_PID, CONNECTOR_CONFIG_NAME, "?");
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("network", "devnet");
            props.put("rpcUrl", rpcUrl());
            props.put("chainId", d.chainId());
            props.put("confirmations", 1);
            props.put("pollIntervalMs", 250L);
            props.put("channelsContract", d.channels());
            props.put("registryContract", d.registry());
            props.put("notaryContract", d.notary());
            props.put("logsFromBlock", d.deployBlock());
            props.put("iotpay.devnet", true);
            Dictionary<String, Object> old = c.getProperties();
            if (old != null && Objects.equals(old.get("anchorAccount"), null) == false) {
                props.put("anchorAccount", old.get("anchorAccount"));
            }
            if (old == null || changed(old, props)) {
                c.update(props);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the connector configuration: " + e.getMessage(), e);
        }
    }

    private static boolean changed(Dictionary<String, Object> old, Dictionary<String, Object> now) {
        for (java.util.Enumeration<String> k = now.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            if (!String.valueOf(now.get(key)).equals(String.valueOf(old.get(key)))) {
                return true;
            }
        }
        return false;
    }

    private void removeConnectorConfig() {
        try {
            Configuration[] cs = configAdmin.listConfigurations("(&(service.factoryPid=" + CONNECTOR_FACTORY_PID
                    + ")(iotpay.devnet=true))");
            if (cs != null) {
                for (Configuration c : cs) {
                    c.delete();
                }
            }
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            LOG.warn("cannot remove the devnet connector configuration: {}", e.getMessage());
        }
    }

    /** Tops up every wallet account on the devnet chain to the configured amount. */
    void fundWalletAccounts() {
        AnvilProcess a = anvil;
        if (a == null || !a.isAlive()) {
            return;
        }
        DevnetDeployer deployer = new DevnetDeployer(new SimpleRpc(a.rpcUri()));
        BigInteger target = BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(config.fundEth()));
        for (Wallet w : wallets) {
            for (AccountInfo info : w.accounts()) {
                AccountId acc = info.account();
                if (acc.chainId().equals(ChainId.DEVNET)) {
                    fund(deployer, acc.address(), target);
                }
            }
        }
    }

    /**
     * Sets an address's devnet balance to at least {@code wei}.
     *
     * @return true if it was topped up
     */
    public boolean fund(String address, BigInteger wei) {
        AnvilProcess a = anvil;
        if (a == null || !a.isAlive()) {
            throw new IllegalStateException("the devnet is not running");
        }
        return fund(new DevnetDeployer(new SimpleRpc(a.rpcUri())), address, wei);
    }

    private static boolean fund(DevnetDeployer deployer, String address, BigInteger wei) {
        if (deployer.balance(address).compareTo(wei) < 0) {
            deployer.setBalance(address, wei);
            LOG.info("devnet: funded {}", address);
            return true;
        }
        return false;
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops anvil (its state is written on the way out). */
    @Deactivate
    public void deactivate() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        AnvilProcess a = anvil;
        if (a != null) {
            a.close();
        }
    }
}
