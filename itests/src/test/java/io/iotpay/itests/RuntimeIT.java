package io.iotpay.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The distribution as a user gets it: every IOTPAY feature booted, every bundle ACTIVE, every component satisfied. */
class RuntimeIT {

    private static IotpayRuntime runtime;
    private static FeatureRepository repository;

    @BeforeAll
    static void start() throws Exception {
        repository = new FeatureRepository();
        runtime = IotpayRuntime.start("runtime", Map.of());
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void announcesItselfWithItsHttpEndpointOnTheConsole() {
        assertTrue(runtime.console().contains("IOTPAY is up: HTTP endpoint http://127.0.0.1:" + runtime.httpPort()
                + "/iotpay/api/status"), runtime::diagnostics);
    }

    @Test
    void everyIotpayFeatureIsInstalledAtBoot() {
        String installed = runtime.execute("feature:list -i --no-format");
        Set<String> missing = new TreeSet<>();
        for (String feature : repository.features()) {
            if (!installed.matches("(?s).*(^|\\R)" + java.util.regex.Pattern.quote(feature) + "\\s.*")) {
                missing.add(feature);
            }
        }
        assertEquals(Set.of(), missing, () -> "features not booted:\n" + installed);
    }

    @Test
    void everyIotpayBundleIsActive() {
        Map<String, String> bundles = runtime.iotpayBundles();
        assertEquals(repository.allBundles(), bundles.keySet(), "IOTPAY bundles in the runtime");
        Map<String, String> notActive = new TreeMap<>();
        bundles.forEach((name, state) -> {
            if (!"Active".equals(state)) {
                notActive.put(name, state);
            }
        });
        assertEquals(Map.of(), notActive, runtime::diagnostics);
    }

    @Test
    void everyIotpayComponentIsSatisfied() {
        Map<String, String> components = runtime.iotpayComponents();
        assertTrue(components.containsKey("io.iotpay.web.internal.StatusServlet"), () -> "components: " + components);
        Map<String, String> unsatisfied = new TreeMap<>();
        components.forEach((name, state) -> {
            if (!state.equals("ACTIVE") && !state.equals("SATISFIED") && !state.equals("NOT_CONFIGURED")) {
                unsatisfied.put(name, state);
            }
        });
        assertEquals(Map.of(), unsatisfied, runtime::diagnostics);
    }

    @Test
    void runtimeStaysLeanNoNettyVertxKotlinOrHttpClientStacks() {
        String bundles = runtime.execute("bundle:list -t 0 -s");
        assertTrue(bundles.contains("io.iotpay.chain.evm") && bundles.contains("org.apache.felix.scr"), bundles);
        for (String unwanted : new String[] {"netty", "vertx", "kotlin", "okhttp", "reactivex", "tuweni", "jc-kzg"}) {
            assertTrue(!bundles.toLowerCase(java.util.Locale.ROOT).contains(unwanted),
                    () -> unwanted + " found in the runtime:\n" + bundles);
        }
    }

    @Test
    void statusEndpointAnswersOverHttp() throws Exception {
        HttpResponse<String> response = runtime.get("/iotpay/api/status");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonNode status = new ObjectMapper().readTree(response.body());
        assertEquals("IOTPAY", status.path("name").asText());
        assertEquals("UP", status.path("status").asText());
        assertTrue(status.path("version").asText().startsWith("0.1.0"), response.body());
    }

    @Test
    void servicesAreRegisteredWithTheFramework() {
        runtime.await("the status servlet is registered", Duration.ofSeconds(30),
                () -> runtime.execute("service:list javax.servlet.Servlet").contains("io.iotpay.web"));
    }
}
