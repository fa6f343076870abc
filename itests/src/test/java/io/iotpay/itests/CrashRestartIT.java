package io.iotpay.itests;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A runtime killed with SIGKILL comes back in the same folder with what it had: wallet accounts, and its devnet chain
 * (the orphaned anvil the crash left behind must not stop the devnet from coming back).
 */
class CrashRestartIT {

    private static IotpayRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = IotpayRuntime.start("crash", Map.of());
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static boolean devnetChainRegistered() {
        return runtime.get("/iotpay/api/status").body().contains("\"eip155:31337\"");
    }

    @Test
    void walletAndDevnetSurviveSigkill() throws Exception {
        runtime.await("the devnet chain is registered", Duration.ofSeconds(120), CrashRestartIT::devnetChainRegistered);
        runtime.execute("iotpay:wallet-create --show-mnemonic --chain eip155:31337 meter-1");
        java.util.regex.Matcher address = java.util.regex.Pattern.compile("0x[0-9a-fA-F]{40}")
                .matcher(runtime.execute("iotpay:wallet-address meter-1"));
        assertTrue(address.find(), "an address");
        String before = address.group();
        long pid = runtime.pid();

        runtime.sigkill();
        runtime.restart();

        assertNotEquals(pid, runtime.pid(), "a new JVM");
        assertTrue(runtime.execute("iotpay:wallet-list").contains("meter-1"), "the account survived the crash");
        assertTrue(runtime.execute("iotpay:wallet-address meter-1").contains(before), "same key, same address");
        runtime.await("the devnet chain is registered again", Duration.ofSeconds(120),
                CrashRestartIT::devnetChainRegistered);
    }
}
