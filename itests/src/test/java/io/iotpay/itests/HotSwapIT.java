package io.iotpay.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hot-swap promise: a feature is uninstalled and installed again in a running runtime, its bundles and services go
 * away and come back, and the runtime (same JVM) never restarts.
 */
class HotSwapIT {

    private static IotpayRuntime runtime;
    private static FeatureRepository repository;

    @BeforeAll
    static void start() throws Exception {
        repository = new FeatureRepository();
        runtime = IotpayRuntime.start("hotswap", Map.of());
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void webFeatureGoesAndComesBackWithoutRestart() {
        long pid = runtime.pid();
        assertEquals(200, runtime.get("/iotpay/api/status").statusCode());

        runtime.execute("feature:uninstall iotpay-web");
        runtime.await("the status endpoint is gone", Duration.ofSeconds(60),
                () -> runtime.get("/iotpay/api/status").statusCode() == 404);
        Set<String> webBundles = repository.bundlesOf("iotpay-web");
        assertFalse(webBundles.isEmpty());
        Map<String, String> without = runtime.iotpayBundles();
        for (String bundle : webBundles) {
            assertFalse(without.containsKey(bundle), () -> bundle + " still installed: " + without);
        }
        assertFalse(runtime.execute("service:list javax.servlet.Servlet").contains("io.iotpay.web"));
        assertEquals("Active", without.get("io.iotpay.api"), "the API bundle stays");

        runtime.execute("feature:install iotpay-web");
        runtime.await("the status endpoint is back", Duration.ofSeconds(60),
                () -> runtime.get("/iotpay/api/status").statusCode() == 200);
        Map<String, String> with = runtime.iotpayBundles();
        for (String bundle : webBundles) {
            assertEquals("Active", with.get(bundle), bundle);
        }
        assertTrue(runtime.execute("service:list javax.servlet.Servlet").contains("io.iotpay.web"));
        assertEquals(pid, runtime.pid(), "same JVM");
        assertTrue(runtime.execute("system:name").length() > 0);
    }
}
