package io.iotpay.wallet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.crypto.Keccak;

/**
 * The wallet's allowlist of IOTPAY contract selectors equals the state-changing functions of the committed ABI
 * artifacts (bundles/io.iotpay.chain.evm/src/main/resources/contracts/*.json): a contract change that adds, removes or
 * re-types a function fails here until the wallet's list is updated.
 */
class IotpaySelectorsTest {
    static final Path CONTRACTS = Paths.get("..", "io.iotpay.chain.evm", "src", "main", "resources", "contracts");

    @Test
    void allowlistMatchesTheCommittedAbis() throws Exception {
        Set<String> fromAbi = new TreeSet<>();
        List<String> names = new ArrayList<>();
        for (String contract : List.of("IotpayChannels", "DeviceRegistry", "Notary")) {
            Path f = CONTRACTS.resolve(contract + ".json");
            assertTrue(Files.isRegularFile(f), "ABI artifact " + f.toAbsolutePath());
            JsonNode abi = new ObjectMapper().readTree(Files.readString(f, StandardCharsets.UTF_8)).get("abi");
            for (JsonNode e : abi) {
                String mut = e.path("stateMutability").asText();
                if (!"function".equals(e.path("type").asText()) || mut.equals("view") || mut.equals("pure")) {
                    continue;
                }
                String sig = e.get("name").asText() + "(" + params(e.get("inputs")) + ")";
                names.add(sig);
                fromAbi.add(Bytes.toHex(java.util.Arrays.copyOf(
                        Keccak.keccak256(sig.getBytes(StandardCharsets.US_ASCII)), 4)));
            }
        }
        assertEquals(fromAbi, new TreeSet<>(WalletService.IOTPAY_SELECTORS), "functions in the ABIs: " + names);
        // the published selector of a well-known signature, so the canonical form above is right
        assertTrue(names.contains("claimBatch(address,(address,uint256,uint256,uint8,bytes32,bytes32)[])"), names.toString());
        assertEquals("a9059cbb", Bytes.toHex(java.util.Arrays.copyOf(
                Keccak.keccak256("transfer(address,uint256)".getBytes(StandardCharsets.US_ASCII)), 4)));
    }

    private static String params(JsonNode inputs) {
        List<String> out = new ArrayList<>();
        for (JsonNode in : inputs) {
            String type = in.get("type").asText();
            if (type.startsWith("tuple")) {
                type = "(" + params(in.get("components")) + ")" + type.substring("tuple".length());
            }
            out.add(type);
        }
        return String.join(",", out);
    }
}
