package io.iotpay.chain.evm.internal.abi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.web3j.utils.Numeric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.iotpay.chain.evm.internal.tx.RevertDecoder;

/**
 * A compiled contract artifact ({@code contracts/<Name>.json}: abi, bytecode, ...) as written by
 * {@code tools/compile-contracts.mjs}. Gives canonical signatures, event topics and custom error selectors.
 */
public final class ContractArtifact {

    /** One event of the ABI. */
    public record EventDef(String name, String signature, byte[] topic0, List<Param> inputs) {
    }

    /** One parameter. */
    public record Param(String name, String type, boolean indexed) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final JsonNode abi;
    private final byte[] bytecode;
    private final String deployedBytecode;
    private final Map<String, EventDef> eventsByTopic = new HashMap<>();
    private final Map<String, EventDef> eventsByName = new HashMap<>();
    private final Map<String, String> errorsBySelector = new HashMap<>();
    private final Map<String, String> functionsByName = new HashMap<>();

    private ContractArtifact(String name, JsonNode root) {
        this.name = name;
        this.abi = root.get("abi");
        if (abi == null || !abi.isArray() || !root.hasNonNull("bytecode")) {
            throw new IllegalArgumentException("contract artifact " + name + " has no abi or bytecode");
        }
        this.bytecode = Numeric.hexStringToByteArray(root.get("bytecode").asText());
        this.deployedBytecode = root.path("deployedBytecode").asText("");
        for (JsonNode item : abi) {
            String type = item.path("type").asText();
            if ("event".equals(type)) {
                List<Param> params = new ArrayList<>();
                for (JsonNode in : item.path("inputs")) {
                    params.add(new Param(in.path("name").asText(), canonicalType(in), in.path("indexed").asBoolean()));
                }
                String sig = signature(item);
                EventDef e = new EventDef(item.get("name").asText(), sig, Abi.keccak(sig), List.copyOf(params));
                eventsByTopic.put(Numeric.toHexString(e.topic0()), e);
                eventsByName.put(e.name(), e);
            } else if ("error".equals(type)) {
                String sig = signature(item);
                errorsBySelector.put(Numeric.toHexString(Abi.selector(sig)), sig);
            } else if ("function".equals(type)) {
                functionsByName.put(item.get("name").asText(), signature(item));
            }
        }
    }

    /** Loads {@code contracts/<name>.json} with this bundle's class loader. */
    public static ContractArtifact load(String name) {
        return load(name, ContractArtifact.class.getClassLoader(), "contracts/");
    }

    /** Loads {@code <prefix><name>.json} with the given class loader. */
    public static ContractArtifact load(String name, ClassLoader loader, String prefix) {
        String path = prefix + name + ".json";
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("contract artifact " + path + " is not on the class path");
            }
            return new ContractArtifact(name, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read contract artifact " + path, e);
        }
    }

    private static String signature(JsonNode item) {
        StringBuilder sb = new StringBuilder(item.get("name").asText()).append('(');
        boolean first = true;
        for (JsonNode in : item.path("inputs")) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(canonicalType(in));
        }
        return sb.append(')').toString();
    }

    private static String canonicalType(JsonNode param) {
        String t = param.path("type").asText();
        if (t.startsWith("tuple")) {
            StringBuilder sb = new StringBuilder("(");
            boolean first = true;
            for (JsonNode c : param.path("components")) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append(canonicalType(c));
            }
            return sb.append(')').append(t.substring("tuple".length())).toString();
        }
        return t;
    }

    /** @return the contract name */
    public String name() {
        return name;
    }

    /** @return the creation bytecode */
    public byte[] bytecode() {
        return bytecode.clone();
    }

    /** @return the runtime bytecode as hex (may be empty) */
    public String deployedBytecode() {
        return deployedBytecode;
    }

    /** @return the canonical signature of a function, e.g. {@code claim(address,address,uint256,...)} */
    public String function(String functionName) {
        String s = functionsByName.get(functionName);
        if (s == null) {
            throw new IllegalArgumentException("contract " + name + " has no function " + functionName);
        }
        return s;
    }

    /** @return the event of a topic 0 */
    public Optional<EventDef> eventByTopic(String topic0) {
        return Optional.ofNullable(eventsByTopic.get(topic0.toLowerCase(java.util.Locale.ROOT)));
    }

    /** @return the event of a name */
    public EventDef event(String eventName) {
        EventDef e = eventsByName.get(eventName);
        if (e == null) {
            throw new IllegalArgumentException("contract " + name + " has no event " + eventName);
        }
        return e;
    }

    /** @return custom error selector to signature */
    public Map<String, String> errors() {
        return Map.copyOf(errorsBySelector);
    }

    /** @return a revert decoder knowing this contract's custom errors */
    public RevertDecoder revertDecoder() {
        return new RevertDecoder(errorsBySelector);
    }
}
