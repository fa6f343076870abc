package io.iotpay.chain.evm.internal;

import java.lang.annotation.Annotation;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HexFormat;

import org.web3j.abi.datatypes.Type;
import org.web3j.utils.Numeric;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.chain.TxReceipt;
import io.iotpay.chain.evm.internal.abi.Abi;
import io.iotpay.chain.evm.internal.abi.ContractArtifact;
import io.iotpay.devnet.internal.AnvilProcess;
import io.iotpay.devnet.internal.DevnetDeployer;
import io.iotpay.devnet.internal.SimpleRpc;

/**
 * A real anvil with the IOTPAY contracts deployed and a connector on it, signing with {@link TestKeys}. Fails (never
 * skips) when anvil is missing, with the install command in the message.
 */
public final class Devchain implements AutoCloseable {

    /** Challenge period of the test deployment. */
    public static final long CHALLENGE_SECONDS = 3600;

    public final AnvilProcess anvil;
    public final SimpleRpc admin;
    public final DevnetDeployer deployer;
    public final DevnetDeployer.Deployment deployment;
    public final TestKeys keys = new TestKeys(ChainId.DEVNET);
    public final EvmConnectorCore connector;

    private Devchain(AnvilProcess anvil, EvmTransactionTypeChoice choice, String gasCap) {
        this.anvil = anvil;
        this.admin = new SimpleRpc(anvil.rpcUri());
        this.deployer = new DevnetDeployer(admin);
        this.deployment = deployer.deployAll(CHALLENGE_SECONDS);
        this.connector = new EvmConnectorCore(EvmSettings.from(config(anvil.rpcUri().toString(), deployment,
                choice.name().toLowerCase(), gasCap, 31337)), keys);
        connector.verifyChain();
    }

    /** Which transaction type the connector uses. */
    public enum EvmTransactionTypeChoice {
        /** EIP-1559. */
        EIP1559,
        /** Legacy EIP-155. */
        LEGACY
    }

    /** Starts anvil and deploys. */
    public static Devchain start() {
        return start(EvmTransactionTypeChoice.EIP1559);
    }

    /** Starts anvil and deploys, with a transaction type. */
    public static Devchain start(EvmTransactionTypeChoice type) {
        AnvilProcess a = AnvilProcess.start();
        try {
            return new Devchain(a, type, "3000000");
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
    }

    /** @return a connector configuration on this anvil */
    public static EvmConnectorConfig config(String url, DevnetDeployer.Deployment d, String txType, String gasCap,
            long chainId) {
        return new EvmConnectorConfig() {
            @Override public Class<? extends Annotation> annotationType() { return EvmConnectorConfig.class; }
            @Override public String network() { return chainId == 31337 ? "devnet" : "custom"; }
            @Override public String rpcUrl() { return url; }
            @Override public long chainId() { return chainId; }
            @Override public int confirmations() { return 1; }
            @Override public long gasCap() { return Long.parseLong(gasCap); }
            @Override public int gasMarginPercent() { return 20; }
            @Override public String txType() { return txType; }
            @Override public long minTipWei() { return -1; }
            @Override public String nativeSymbol() { return ""; }
            @Override public String channelsContract() { return d == null ? "" : d.channels(); }
            @Override public String registryContract() { return d == null ? "" : d.registry(); }
            @Override public String notaryContract() { return d == null ? "" : d.notary(); }
            @Override public String anchorAccount() { return ""; }
            @Override public long logsFromBlock() { return 0; }
            @Override public long pollIntervalMs() { return 50; }
            @Override public int rpcMaxAttempts() { return 3; }
        };
    }

    /** @return a fresh account with {@code eth} ETH */
    public AccountId funded(long eth) {
        AccountId a = keys.newAccount();
        deployer.setBalance(a.address(), BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(eth)));
        return a;
    }

    /** @return the EVM context */
    public EvmChain evm() {
        return connector.evm();
    }

    /** Waits for a receipt and requires success. */
    public TxReceipt mined(TxHash tx) {
        TxReceipt r = connector.awaitReceipt(tx, 1, Duration.ofSeconds(30));
        if (!r.success()) {
            throw new AssertionError("transaction " + tx + " reverted");
        }
        return r;
    }

    /** Deploys an artifact (main or test) with constructor arguments from anvil's account 0. */
    public String deploy(String artifact, Type<?>... ctorArgs) {
        byte[] code = ContractArtifact.load(artifact).bytecode();
        byte[] args = ctorArgs.length == 0 ? new byte[0] : Abi.encode(ctorArgs);
        return deployer.deploy(deployer.account(0), DevnetDeployer.concat(code, args));
    }

    /** Moves the chain clock forward and mines a block. */
    public void advance(Duration d) {
        admin.call("evm_increaseTime", d.toSeconds());
        admin.call("evm_mine");
    }

    /** @return hex of bytes */
    public static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }

    /** @return balance in wei */
    public BigInteger balance(String address) {
        return deployer.balance(address);
    }

    /** @return bytes of a hex string */
    public static byte[] bytes(String hex) {
        return Numeric.hexStringToByteArray(hex);
    }

    @Override
    public void close() {
        connector.close();
        anvil.close();
    }
}
