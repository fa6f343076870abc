package io.iotpay.chain.evm.internal.abi;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.BytesType;
import org.web3j.abi.datatypes.Type;
import org.web3j.utils.Numeric;

import io.iotpay.chain.evm.internal.events.EventDecoder;

/**
 * Decodes logs with a contract's ABI. Field values are JSON-like: addresses as lower-case 0x strings, integers as
 * BigInteger, fixed bytes as 0x hex strings, bool as Boolean, string as String. Indexed dynamic values (string, bytes,
 * arrays) are only available as their topic hash (0x hex).
 */
public final class AbiEventDecoder implements EventDecoder {

    private final ContractArtifact artifact;

    /** @param artifact the contract */
    public AbiEventDecoder(ContractArtifact artifact) {
        this.artifact = artifact;
    }

    @Override
    @SuppressWarnings({ "rawtypes", "unchecked" })
    public Decoded decode(List<String> topics, String data) {
        Optional<ContractArtifact.EventDef> def = topics.isEmpty() ? Optional.empty()
                : artifact.eventByTopic(topics.get(0));
        if (def.isEmpty()) {
            return EventDecoder.raw().decode(topics, data);
        }
        ContractArtifact.EventDef e = def.get();
        Map<String, Object> fields = new LinkedHashMap<>();
        List<TypeReference<Type>> nonIndexed = new ArrayList<>();
        List<String> nonIndexedNames = new ArrayList<>();
        int topic = 1;
        try {
            for (ContractArtifact.Param p : e.inputs()) {
                TypeReference<Type> ref = (TypeReference<Type>) TypeReference.makeTypeReference(p.type());
                if (p.indexed()) {
                    String t = topics.get(topic++);
                    if (isDynamic(p.type())) {
                        fields.put(p.name(), t.toLowerCase(Locale.ROOT));
                    } else {
                        fields.put(p.name(), value(FunctionReturnDecoder.decodeIndexedValue(t, ref)));
                    }
                } else {
                    nonIndexed.add(ref);
                    nonIndexedNames.add(p.name());
                }
            }
            if (!nonIndexed.isEmpty()) {
                List<Type> vals = FunctionReturnDecoder.decode(data, (List) nonIndexed);
                for (int i = 0; i < vals.size(); i++) {
                    fields.put(nonIndexedNames.get(i), value(vals.get(i)));
                }
            }
        } catch (ClassNotFoundException | RuntimeException ex) {
            return new Decoded(e.name(), Map.of("topics", List.copyOf(topics), "data", data, "decodeError",
                    String.valueOf(ex.getMessage())));
        }
        return new Decoded(e.name(), fields);
    }

    private static boolean isDynamic(String type) {
        return type.equals("string") || type.equals("bytes") || type.endsWith("]") || type.startsWith("(");
    }

    private static Object value(Type<?> t) {
        if (t instanceof Address a) {
            return a.getValue().toLowerCase(Locale.ROOT);
        }
        if (t instanceof BytesType b) {
            return Numeric.toHexString(b.getValue());
        }
        Object v = t.getValue();
        if (v instanceof BigInteger || v instanceof Boolean || v instanceof String) {
            return v;
        }
        return String.valueOf(v);
    }
}
