package io.iotpay.chain.evm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.iotpay.chain.evm.internal.abi.ContractArtifact;
import io.iotpay.devnet.internal.DevnetDeployer;

/**
 * The committed contract artifacts must be exactly what the pinned compiler makes of the committed sources
 * ({@code node tools/compile-contracts.mjs --check}), and the devnet bundle must carry the same artifacts.
 */
class ContractArtifactsTest {

    private static Path repoRoot() {
        String p = System.getProperty("iotpay.repo.root");
        if (p != null && Files.isDirectory(Paths.get(p, "tools"))) {
            return Paths.get(p);
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("tools/compile-contracts.mjs"))) {
                return d;
            }
        }
        throw new AssertionError("cannot find tools/compile-contracts.mjs above " + Paths.get("").toAbsolutePath());
    }

    @Test
    void committedArtifactsMatchAFreshCompile() throws IOException, InterruptedException {
        Path root = repoRoot();
        assertTrue(Files.isDirectory(root.resolve("tools/node_modules/solc")),
                "tools/node_modules is missing: run `cd tools && npm ci` (CI does)");
        Process p;
        try {
            p = new ProcessBuilder("node", "tools/compile-contracts.mjs", "--check").directory(root.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("`node` is not on the PATH; install Node.js 20 and run `cd tools && npm ci`", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "compile-contracts.mjs --check did not finish");
        assertEquals(0, p.exitValue(), "committed artifacts differ from a fresh compile:\n" + out);
    }

    @Test
    void devnetCarriesTheSameBytecode() {
        for (String name : new String[] { "IotpayChannels", "DeviceRegistry", "Notary" }) {
            assertEquals(java.util.HexFormat.of().formatHex(ContractArtifact.load(name).bytecode()),
                    java.util.HexFormat.of().formatHex(DevnetDeployer.bytecode(name)), name);
        }
    }
}
