package io.iotpay.wallet.internal.eip712;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads {@code eth_signTypedData_v4} JSON into {@link Eip712.TypedData}. Numbers stay exact (BigInteger). */
public final class TypedDataJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private TypedDataJson() {
    }

    public static Eip712.TypedData parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TypedDataException("typed data is not valid JSON: " + e.getOriginalMessage());
        }
        return fromTree(root);
    }

    public static Eip712.TypedData parse(java.nio.file.Path file) throws IOException {
        return parse(java.nio.file.Files.readString(file));
    }

    public static Eip712.TypedData fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new TypedDataException("typed data must be a JSON object");
        }
        JsonNode typesNode = root.get("types");
        if (typesNode == null || !typesNode.isObject()) {
            throw new TypedDataException("typed data: \"types\" must be an object");
        }
        Map<String, List<Eip712.Field>> types = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = typesNode.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                throw new TypedDataException("types." + e.getKey() + " must be an array of {name, type}");
            }
            List<Eip712.Field> fs = new ArrayList<>();
            for (JsonNode f : e.getValue()) {
                JsonNode n = f.get("name");
                JsonNode t = f.get("type");
                if (n == null || !n.isTextual() || t == null || !t.isTextual()) {
                    throw new TypedDataException("types." + e.getKey() + " has an entry without string name/type");
                }
                fs.add(new Eip712.Field(n.asText(), t.asText()));
            }
            types.put(e.getKey(), fs);
        }
        JsonNode pt = root.get("primaryType");
        if (pt == null || !pt.isTextual()) {
            throw new TypedDataException("typed data: \"primaryType\" must be a string");
        }
        JsonNode domain = root.get("domain");
        if (domain == null || !domain.isObject()) {
            throw new TypedDataException("typed data: \"domain\" must be an object");
        }
        JsonNode message = root.get("message");
        if (!"EIP712Domain".equals(pt.asText()) && (message == null || !message.isObject())) {
            throw new TypedDataException("typed data: \"message\" must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) toValue(domain);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = message == null ? null : (Map<String, Object>) toValue(message);
        return new Eip712.TypedData(types, pt.asText(), d, m);
    }

    /** JSON tree to the plain value model used by {@link Eip712}. */
    public static Object toValue(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), toValue(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(toValue(x)));
            return l;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        throw new TypedDataException("unsupported JSON value " + n.getNodeType());
    }

}
