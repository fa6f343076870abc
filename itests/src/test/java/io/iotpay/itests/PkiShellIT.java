package io.iotpay.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device PKI through its Karaf shell commands in the assembled distribution, on the embedded devnet chain
 * (eip155:31337, real anvil, real DeviceRegistry): create the owner CA, issue a device certificate anchored on chain,
 * verify it, export it for OpenSSL, revoke it on chain and see the revocation, read the owner and the ownership history
 * replayed from the registry's events. Bad input is refused with the argument's name.
 */
class PkiShellIT {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final int FRESHNESS_SECONDS = 3;
    private static IotpayRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = IotpayRuntime.start("pki", Map.of("etc/io.iotpay.pki.cfg",
                "cacheFreshnessSeconds = " + FRESHNESS_SECONDS + "\ncaName = Itest household CA\n"));
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static String awaitCommand(String command, Duration timeout) {
        String[] out = new String[1];
        RuntimeException[] last = new RuntimeException[1];
        try {
            runtime.await("'" + command + "' succeeds", timeout, () -> {
                try {
                    out[0] = runtime.execute(command);
                    return true;
                } catch (RuntimeException e) {
                    last[0] = e;
                    return false;
                }
            });
        } catch (IllegalStateException timedOut) {
            throw new IllegalStateException(timedOut.getMessage() + "; last failure: "
                    + (last[0] == null ? "-" : last[0].getMessage()), timedOut);
        }
        return out[0];
    }

    /** The value cell of a key/value table row. */
    private static String field(String table, String key) {
        for (String line : table.split("\\R")) {
            String[] cells = line.split("[│|]");
            if (cells.length >= 2 && cells[0].trim().equals(key)) {
                return cells[1].trim();
            }
        }
        throw new IllegalStateException("no row " + key + " in\n" + table);
    }

    private static String address(String text) {
        Matcher m = ADDRESS.matcher(text);
        assertTrue(m.find(), text);
        return m.group().toLowerCase();
    }

    @Test
    void issueVerifyExportRevokeAndOwnershipThroughTheShell() throws Exception {
        // the PKI component is up once the devnet connector and the wallet are (the commands need it)
        awaitCommand("iotpay:cert-list", Duration.ofSeconds(150));
        // Karaf: options before arguments
        runtime.execute("iotpay:wallet-create --chain eip155:31337 --show-mnemonic household");
        runtime.execute("iotpay:wallet-create --chain eip155:31337 plug-account");
        String owner = address(runtime.execute("iotpay:wallet-address household"));
        String plug = address(runtime.execute("iotpay:wallet-address plug-account"));
        assertFalse(owner.equals(plug));

        // owner CA
        String ca = runtime.execute("iotpay:ca-create --owner household");
        assertEquals("eip155:31337:" + owner, field(ca, "Owner"));
        assertTrue(field(ca, "Subject").contains("CN=Itest household CA"), ca);
        // the CA key was generated in the wallet's encrypted keystore (no ca.p12)
        assertTrue(field(ca, "Key").contains("wallet certificate-authority key \"owner-ca\""), ca);
        assertEquals(FRESHNESS_SECONDS + " s", field(ca, "Cache freshness"));
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> runtime.execute("iotpay:ca-create"));
        assertTrue(twice.getMessage().contains("exists already"), twice.getMessage());
        assertTrue(runtime.execute("iotpay:ca-show --pem").contains("-----BEGIN CERTIFICATE-----"));

        // bad input names the argument and what was expected
        IllegalStateException badDevice = assertThrows(IllegalStateException.class,
                () -> runtime.execute("iotpay:cert-issue 'bad id!' plug-account"));
        assertTrue(badDevice.getMessage().contains("argument device") && badDevice.getMessage().contains("expected"),
                badDevice.getMessage());
        IllegalStateException badValidity = assertThrows(IllegalStateException.class,
                () -> runtime.execute("iotpay:cert-issue --validity soon plug-1 plug-account"));
        assertTrue(badValidity.getMessage().contains("--validity"), badValidity.getMessage());
        IllegalStateException badAccount = assertThrows(IllegalStateException.class,
                () -> runtime.execute("iotpay:cert-issue plug-1 nobody"));
        assertTrue(badAccount.getMessage().contains("argument account"), badAccount.getMessage());

        // issue: anchored on chain (the devnet funds the owner account within seconds, so retry until it has gas)
        String issued = awaitCommand("iotpay:cert-issue --validity 30d plug-1 plug-account", Duration.ofSeconds(90));
        assertEquals("eip155:31337:" + plug, field(issued, "Payment account"));
        assertEquals("eip155:31337:" + owner, field(issued, "Owner"));
        assertTrue(field(issued, "On chain").startsWith("anchored"), issued);
        String hash = field(issued, "SHA-256 (registry key)");
        assertTrue(runtime.execute("iotpay:cert-list").contains(hash));
        String shown = runtime.execute("iotpay:cert-show plug-1");
        assertTrue(shown.contains("-----BEGIN CERTIFICATE-----"), shown);
        assertFalse(shown.contains("PRIVATE KEY"), "no secret is printed");

        String valid = runtime.execute("iotpay:cert-verify plug-1");
        assertEquals("VALID", field(valid, "Status"), valid);
        assertTrue(field(valid, "Cache age").endsWith("(freshness " + FRESHNESS_SECONDS + " s)"), valid);

        // export for standard tools
        Path dir = runtime.home().toAbsolutePath().resolve("exports");
        Files.createDirectories(dir);
        runtime.execute("iotpay:cert-export plug-1 " + dir.resolve("plug-1.pem"));
        runtime.execute("iotpay:cert-export ca " + dir.resolve("ca.pem"));
        runtime.execute("iotpay:cert-export plug-1 " + dir.resolve("plug-1.p12"));
        assertTrue(Files.size(dir.resolve("plug-1.p12")) > 0);
        String pem = Files.readString(dir.resolve("plug-1.pem"), StandardCharsets.UTF_8);
        assertFalse(pem.contains("PRIVATE KEY"));
        Path openssl = Path.of("/usr/bin/openssl");
        if (Files.isExecutable(openssl)) {
            String verified = run(openssl.toString(), "verify", "-CAfile", dir.resolve("ca.pem").toString(),
                    dir.resolve("plug-1.pem").toString());
            assertTrue(verified.trim().endsWith(": OK"), verified);
            String text = run(openssl.toString(), "x509", "-in", dir.resolve("plug-1.pem").toString(), "-noout",
                    "-text");
            assertTrue(text.contains("URI:eip155:31337:" + plug), text);
        }

        // a peer's view: the exported chain verifies from a file too
        assertEquals("VALID", field(runtime.execute("iotpay:cert-verify " + dir.resolve("plug-1.pem")), "Status"));

        // ownership: ownerOf and the history replayed from the registry's events
        String ownerShown = runtime.execute("iotpay:owner-show plug-1");
        assertEquals("eip155:31337:" + owner, field(ownerShown, "Owner"));
        assertEquals("yes", field(ownerShown, "Owner in this wallet"));
        String history = runtime.execute("iotpay:owner-history plug-1");
        assertTrue(history.contains("registered") && history.contains(owner), history);
        assertTrue(history.contains("History consistent with ownerOf: yes"), history);

        // revoke on chain; this node sees it at once, a verifier with a cache within the configured freshness
        String revoked = runtime.execute("iotpay:cert-revoke plug-1");
        assertTrue(field(revoked, "On chain").startsWith("REVOKED"), revoked);
        runtime.await("cert-verify reports REVOKED", Duration.ofSeconds(FRESHNESS_SECONDS + 10),
                () -> field(runtime.execute("iotpay:cert-verify plug-1"), "Status").equals("REVOKED"));
        String after = runtime.execute("iotpay:cert-verify " + dir.resolve("plug-1.pem"));
        assertEquals("REVOKED", field(after, "Status"), after);
        assertTrue(field(after, "On chain").startsWith("REVOKED"), after);
        IllegalStateException unknown = assertThrows(IllegalStateException.class,
                () -> runtime.execute("iotpay:cert-revoke plug-2"));
        assertTrue(unknown.getMessage().contains("no certificate was issued here for device plug-2"),
                unknown.getMessage());
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
