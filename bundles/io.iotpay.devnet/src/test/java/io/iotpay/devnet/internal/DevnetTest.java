package io.iotpay.devnet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.annotation.Annotation;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Dictionary;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.Wallet;

/** The devnet against a real anvil: state persistence, deployment reuse, supervision, connector configuration. */
class DevnetTest {

    @TempDir
    Path dir;

    @Test
    void missingBinaryFailsWithInstallInstructions() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AnvilProcess.start(AnvilProcess.options().binary(dir.resolve("no-anvil"))));
        assertTrue(e.getMessage().contains("npm ci"), e.getMessage());
    }

    @Test
    void deploymentSurvivesARestartWithTheStateFile() throws Exception {
        Path state = dir.resolve("state.json");
        Path record = dir.resolve("deployment.json");
        int port = AnvilProcess.freePort();
        DevnetDeployer.Deployment first;
        try (AnvilProcess a = AnvilProcess.start(AnvilProcess.options().port(port).stateFile(state))) {
            DevnetDeployer d = new DevnetDeployer(new SimpleRpc(a.rpcUri()));
            first = d.ensureDeployed(record, 600);
            assertTrue(d.isLive(first));
            assertEquals(31337, first.chainId());
            d.setBalance("0x00000000000000000000000000000000000000aa", BigInteger.valueOf(12345));
        }
        assertTrue(Files.size(state) > 0, "anvil wrote its state on SIGTERM");
        try (AnvilProcess a = AnvilProcess.start(AnvilProcess.options().port(port).stateFile(state))) {
            DevnetDeployer d = new DevnetDeployer(new SimpleRpc(a.rpcUri()));
            DevnetDeployer.Deployment again = d.ensureDeployed(record, 600);
            assertEquals(first, again, "contracts found at the recorded addresses, not redeployed");
            assertEquals(BigInteger.valueOf(12345), d.balance("0x00000000000000000000000000000000000000aa"));
        }
        // a fresh chain without the state: the recorded addresses have no code, so it deploys again
        try (AnvilProcess a = AnvilProcess.start()) {
            DevnetDeployer d = new DevnetDeployer(new SimpleRpc(a.rpcUri()));
            assertTrue(!d.isLive(first), "nothing deployed on a fresh chain");
            DevnetDeployer.Deployment fresh = d.ensureDeployed(record, 600);
            assertTrue(d.isLive(fresh));
            assertEquals(fresh, DevnetDeployer.read(record).orElseThrow());
        }
    }

    @Test
    void supervisorDeploysConfiguresTheConnectorRestartsAnvilAndFundsWallets() throws Exception {
        ConfigurationAdmin cm = mock(ConfigurationAdmin.class);
        Configuration conf = mock(Configuration.class);
        when(cm.getFactoryConfiguration(eq("io.iotpay.chain.evm"), eq("devnet"), eq("?"))).thenReturn(conf);
        int port = AnvilProcess.freePort();
        Wallet wallet = mock(Wallet.class);
        AccountId acc = AccountId.of(ChainId.DEVNET, "0x00000000000000000000000000000000000000bb");
        when(wallet.accounts()).thenReturn(List.of(new AccountInfo("me", acc, null, false,
                AccountInfo.KeyOrigin.RAW_KEY)));
        DevnetSupervisor sup = new DevnetSupervisor(cm, config(port, dir.toString()));
        sup.addWallet(wallet);
        try {
            await(() -> sup.deployment() != null, "first deployment");
            DevnetDeployer.Deployment d = sup.deployment();
            @SuppressWarnings("unchecked")
            ArgumentCaptor<Dictionary<String, Object>> props = ArgumentCaptor.forClass(Dictionary.class);
            verify(conf, atLeastOnce()).update(props.capture());
            assertEquals(d.channels(), props.getValue().get("channelsContract"));
            assertEquals("http://127.0.0.1:" + port, props.getValue().get("rpcUrl"));
            assertEquals(31337L, props.getValue().get("chainId"));
            assertTrue(Files.exists(dir.resolve("deployment.json")));
            SimpleRpc rpc = new SimpleRpc(java.net.URI.create("http://127.0.0.1:" + port));
            DevnetDeployer deployer = new DevnetDeployer(rpc);
            await(() -> deployer.balance(acc.address()).equals(BigInteger.TEN.pow(18).multiply(BigInteger.TWO)),
                    "wallet account funded");

            // anvil dies: the supervisor restarts it on the same port with the same state and contracts
            AnvilProcess first = sup.anvil();
            long pid = first.pid();
            Thread.sleep(2500); // let anvil write its periodic state dump
            first.kill();
            await(() -> sup.anvil() != null && sup.anvil().pid() != pid && sup.anvil().isAlive(), "restart");
            assertNotEquals(pid, sup.anvil().pid());
            assertTrue(deployer.isLive(d), "contracts still there after the restart");
            assertEquals(d, sup.deployment());
        } finally {
            sup.deactivate();
        }
        assertTrue(sup.anvil() == null || !sup.anvil().isAlive());
        verify(cm, atLeastOnce()).getFactoryConfiguration(any(), any(), any());
        assertNotNull(DevnetDeployer.read(dir.resolve("deployment.json")).orElse(null));
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (!c.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static DevnetConfig config(int port, String dataDir) {
        return new DevnetConfig() {
            @Override public Class<? extends Annotation> annotationType() { return DevnetConfig.class; }
            @Override public boolean enabled() { return true; }
            @Override public String anvilPath() { return ""; }
            @Override public int port() { return port; }
            @Override public String dataDir() { return dataDir; }
            @Override public String mnemonic() { return AnvilProcess.DEV_MNEMONIC; }
            @Override public long challengePeriodSeconds() { return 600; }
            @Override public long blockTimeSeconds() { return 0; }
            @Override public long fundEth() { return 2; }
        };
    }
}
