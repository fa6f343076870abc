package io.iotpay.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded default: the distribution starts a local anvil devnet, deploys the contracts and brings the EVM
 * connector up as {@code eip155:31337}. Stopping and starting the connector bundle at runtime makes the chain go and
 * come back while the devnet (and the rest of the runtime) keeps running.
 */
class DevnetChainIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static IotpayRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = IotpayRuntime.start("devnet", Map.of());
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static JsonNode status() {
        try {
            return JSON.readTree(runtime.get("/iotpay/api/status").body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean devnetChainRegistered() {
        return status().path("chains").toString().contains("\"eip155:31337\"");
    }

    @Test
    void devnetChainComesUpAndSurvivesAConnectorRestart() {
        runtime.await("the devnet chain eip155:31337 is registered", Duration.ofSeconds(120),
                DevnetChainIT::devnetChainRegistered);
        assertTrue(runtime.execute("service:list io.iotpay.api.chain.ChainConnector").contains("eip155:31337"));
        String deployment = runtime.execute("config:list '(service.pid=io.iotpay.chain.evm~devnet)'");
        assertTrue(deployment.contains("channelsContract"), deployment);
        long pid = runtime.pid();

        runtime.execute("bundle:stop io.iotpay.chain.evm");
        runtime.await("the chain is gone", Duration.ofSeconds(60), () -> !devnetChainRegistered());
        assertFalse(runtime.execute("service:list io.iotpay.api.chain.ChainConnector").contains("eip155:31337"));

        runtime.execute("bundle:start io.iotpay.chain.evm");
        runtime.await("the chain is back", Duration.ofSeconds(60), DevnetChainIT::devnetChainRegistered);
        assertEquals(pid, runtime.pid(), "same JVM");
        assertEquals("Active", runtime.iotpayBundles().get("io.iotpay.devnet"));
    }
}
