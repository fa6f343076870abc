package io.iotpay.wallet.internal.eip712;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.crypto.EthAddress;
import io.iotpay.wallet.internal.crypto.Keccak;

/**
 * EIP-712 typed structured data hashing: {@code encodeType}, {@code typeHash}, {@code encodeData},
 * {@code hashStruct}, domain separator and the final digest {@code keccak256(0x1901 || domainSeparator ||
 * hashStruct(message))}.
 * <p>
 * Values are JSON-like: {@link Map} for structs, {@link List} for arrays, {@link String}, {@link Number}
 * ({@link BigInteger}, {@link Long}, {@link Integer}...), {@link Boolean} and {@code byte[]}. Integers may also be
 * decimal or {@code 0x} hex strings; bytes and addresses are {@code 0x} hex strings or {@code byte[]}.
 * <p>
 * Strict: every declared field must be present, undeclared fields are refused (a signer must not let data appear to
 * be signed when it is not), fixed-size arrays and {@code bytesN} must have their exact length, integers must fit
 * their type.
 */
public final class Eip712 {

    /** A member of a struct type. */
    public record Field(String name, String type) {
        public Field {
            Objects.requireNonNull(name, "field name");
            Objects.requireNonNull(type, "field type");
        }
    }

    /** A complete typed-data document (the {@code eth_signTypedData_v4} shape). */
    public record TypedData(Map<String, List<Field>> types, String primaryType, Map<String, Object> domain,
            Map<String, Object> message) {
        public TypedData {
            if (types == null) {
                throw new TypedDataException("typed data: \"types\" is missing");
            }
            if (primaryType == null || primaryType.isEmpty()) {
                throw new TypedDataException("typed data: \"primaryType\" is missing");
            }
            if (domain == null) {
                throw new TypedDataException("typed data: \"domain\" is missing");
            }
            types = copyTypes(types);
        }
    }

    public static final String DOMAIN_TYPE = "EIP712Domain";
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Pattern ARRAY = Pattern.compile("^(.*)\\[([0-9]*)\\]$");
    private static final Pattern UINT = Pattern.compile("u?int([0-9]{1,3})");
    private static final Pattern BYTES_N = Pattern.compile("bytes([0-9]{1,2})");
    private static final List<Field> CANONICAL_DOMAIN = List.of(new Field("name", "string"),
            new Field("version", "string"), new Field("chainId", "uint256"), new Field("verifyingContract", "address"),
            new Field("salt", "bytes32"));

    private final Map<String, List<Field>> types;
    private final Map<String, byte[]> typeHashes = new java.util.concurrent.ConcurrentHashMap<>();

    /** Validates the type set: names are identifiers, field types resolve, no duplicate fields. */
    public Eip712(Map<String, List<Field>> types) {
        this.types = copyTypes(types);
        for (Map.Entry<String, List<Field>> e : this.types.entrySet()) {
            String name = e.getKey();
            if (!IDENT.matcher(name).matches()) {
                throw new TypedDataException("type name \"" + name + "\" is not a valid identifier");
            }
            if (isAtomicOrDynamic(name)) {
                throw new TypedDataException("type name \"" + name + "\" shadows a primitive type");
            }
            Set<String> seen = new TreeSet<>();
            for (Field f : e.getValue()) {
                if (!seen.add(f.name())) {
                    throw new TypedDataException("type " + name + " declares field \"" + f.name() + "\" twice");
                }
                checkTypeResolves(f.type(), name + "." + f.name());
            }
        }
    }

    /** Digest of a complete document: domain separator, then the primary type's struct hash. */
    public static byte[] digest(TypedData data) {
        Map<String, List<Field>> t = new LinkedHashMap<>(data.types());
        t.putIfAbsent(DOMAIN_TYPE, inferDomainType(data.domain()));
        Eip712 enc = new Eip712(t);
        byte[] domainSeparator = enc.hashStruct(DOMAIN_TYPE, data.domain());
        if (DOMAIN_TYPE.equals(data.primaryType())) {
            return Keccak.keccak256(new byte[] {0x19, 0x01}, domainSeparator);
        }
        if (data.message() == null) {
            throw new TypedDataException("typed data: \"message\" is missing");
        }
        return Keccak.keccak256(new byte[] {0x19, 0x01}, domainSeparator,
                enc.hashStruct(data.primaryType(), data.message()));
    }

    /** The domain separator of a document. */
    public static byte[] domainSeparator(TypedData data) {
        Map<String, List<Field>> t = new LinkedHashMap<>(data.types());
        t.putIfAbsent(DOMAIN_TYPE, inferDomainType(data.domain()));
        return new Eip712(t).hashStruct(DOMAIN_TYPE, data.domain());
    }

    /** EIP712Domain fields in canonical order for the keys present (when the document does not declare it). */
    public static List<Field> inferDomainType(Map<String, Object> domain) {
        List<Field> out = new ArrayList<>();
        for (Field f : CANONICAL_DOMAIN) {
            if (domain.containsKey(f.name())) {
                out.add(f);
            }
        }
        for (String k : domain.keySet()) {
            if (CANONICAL_DOMAIN.stream().noneMatch(f -> f.name().equals(k))) {
                throw new TypedDataException("domain field \"" + k
                        + "\" is not a standard EIP712Domain field; declare EIP712Domain in types");
            }
        }
        return out;
    }

    /** {@code encodeType}: the primary type followed by its referenced struct types sorted by name. */
    public String encodeType(String primaryType) {
        requireStruct(primaryType, "primary type");
        Set<String> deps = new TreeSet<>();
        collectDependencies(primaryType, deps);
        deps.remove(primaryType);
        StringBuilder sb = new StringBuilder();
        sb.append(encodeSingle(primaryType));
        for (String d : deps) {
            sb.append(encodeSingle(d));
        }
        return sb.toString();
    }

    public byte[] typeHash(String type) {
        return typeHashes.computeIfAbsent(type, t -> Keccak.keccak256(encodeType(t).getBytes(StandardCharsets.UTF_8)))
                .clone();
    }

    /** {@code encodeData}: typeHash followed by one 32-byte word per field. */
    public byte[] encodeData(String type, Map<String, Object> value) {
        List<Field> fields = requireStruct(type, "type");
        if (value == null) {
            throw new TypedDataException("value of struct " + type + " is missing");
        }
        for (String k : value.keySet()) {
            if (fields.stream().noneMatch(f -> f.name().equals(k))) {
                throw new TypedDataException("field \"" + k + "\" is not declared in type " + type);
            }
        }
        byte[] out = new byte[32 * (fields.size() + 1)];
        System.arraycopy(typeHash(type), 0, out, 0, 32);
        int o = 32;
        for (Field f : fields) {
            if (!value.containsKey(f.name())) {
                throw new TypedDataException("missing field \"" + f.name() + "\" (" + f.type() + ") in " + type);
            }
            byte[] word = encodeValue(f.type(), value.get(f.name()), type + "." + f.name());
            System.arraycopy(word, 0, out, o, 32);
            o += 32;
        }
        return out;
    }

    public byte[] hashStruct(String type, Map<String, Object> value) {
        return Keccak.keccak256(encodeData(type, value));
    }

    // ---------------------------------------------------------------------------------------------------------------

    private byte[] encodeValue(String type, Object v, String where) {
        if (v == null) {
            throw new TypedDataException(where + " (" + type + ") is null");
        }
        Matcher arr = ARRAY.matcher(type);
        if (arr.matches()) {
            String elem = arr.group(1);
            if (!(v instanceof List<?> list)) {
                throw new TypedDataException(where + " must be an array for type " + type + ", got "
                        + v.getClass().getSimpleName());
            }
            if (!arr.group(2).isEmpty()) {
                int n = Integer.parseInt(arr.group(2));
                if (list.size() != n) {
                    throw new TypedDataException(where + " must have exactly " + n + " elements (" + type + "), has "
                            + list.size());
                }
            }
            byte[] concat = new byte[32 * list.size()];
            for (int i = 0; i < list.size(); i++) {
                System.arraycopy(encodeValue(elem, list.get(i), where + "[" + i + "]"), 0, concat, 32 * i, 32);
            }
            return Keccak.keccak256(concat);
        }
        if (types.containsKey(type)) {
            if (!(v instanceof Map<?, ?> m)) {
                throw new TypedDataException(where + " must be an object of type " + type + ", got "
                        + v.getClass().getSimpleName());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> sm = (Map<String, Object>) m;
            return hashStruct(type, sm);
        }
        switch (type) {
            case "string":
                if (!(v instanceof String s)) {
                    throw new TypedDataException(where + " must be a string, got " + v.getClass().getSimpleName());
                }
                return Keccak.keccak256(s.getBytes(StandardCharsets.UTF_8));
            case "bytes":
                return Keccak.keccak256(toBytes(v, where));
            case "bool":
                if (v instanceof Boolean b) {
                    return word(b ? BigInteger.ONE : BigInteger.ZERO);
                }
                if ("true".equals(v) || "false".equals(v)) {
                    return word("true".equals(v) ? BigInteger.ONE : BigInteger.ZERO);
                }
                throw new TypedDataException(where + " must be a boolean, got " + v.getClass().getSimpleName());
            case "address": {
                byte[] a;
                if (v instanceof byte[] raw) {
                    if (raw.length != 20) {
                        throw new TypedDataException(where + " address must be 20 bytes, got " + raw.length);
                    }
                    a = raw;
                } else if (v instanceof String s) {
                    try {
                        a = EthAddress.parse(s, where);
                    } catch (IllegalArgumentException e) {
                        throw new TypedDataException(e.getMessage(), e);
                    }
                } else {
                    throw new TypedDataException(where + " must be an address string, got "
                            + v.getClass().getSimpleName());
                }
                byte[] w = new byte[32];
                System.arraycopy(a, 0, w, 12, 20);
                return w;
            }
            default:
                break;
        }
        Matcher bn = BYTES_N.matcher(type);
        if (bn.matches()) {
            int n = Integer.parseInt(bn.group(1));
            byte[] b = toBytes(v, where);
            if (b.length != n) {
                throw new TypedDataException(where + " must be exactly " + n + " bytes (" + type + "), got "
                        + b.length);
            }
            byte[] w = new byte[32];
            System.arraycopy(b, 0, w, 0, n);
            return w;
        }
        Matcher im = UINT.matcher(type);
        if (im.matches()) {
            int bits = Integer.parseInt(im.group(1));
            boolean signed = !type.startsWith("u");
            BigInteger x = toInteger(v, where, type);
            BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
            BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            if (x.compareTo(min) < 0 || x.compareTo(max) > 0) {
                throw new TypedDataException(where + " value " + x + " is out of range for " + type + " [" + min
                        + ", " + max + "]");
            }
            return word(x.signum() < 0 ? x.add(BigInteger.ONE.shiftLeft(256)) : x);
        }
        throw new TypedDataException(where + " has unknown type \"" + type + "\"");
    }

    private static byte[] word(BigInteger v) {
        return Bytes.toFixed(v, 32);
    }

    private static byte[] toBytes(Object v, String where) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof String s) {
            if (!s.startsWith("0x") && !s.startsWith("0X")) {
                throw new TypedDataException(where + " must be 0x-prefixed hex bytes");
            }
            try {
                return Bytes.fromHex(s, where);
            } catch (IllegalArgumentException e) {
                throw new TypedDataException(e.getMessage(), e);
            }
        }
        throw new TypedDataException(where + " must be hex bytes, got " + v.getClass().getSimpleName());
    }

    private static BigInteger toInteger(Object v, String where, String type) {
        if (v instanceof BigInteger b) {
            return b;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigInteger.valueOf(((Number) v).longValue());
        }
        if (v instanceof java.math.BigDecimal d) {
            try {
                return d.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw new TypedDataException(where + " (" + type + ") must be an integer, got " + d);
            }
        }
        if (v instanceof String s) {
            String t = s.trim();
            try {
                if (t.startsWith("0x") || t.startsWith("0X")) {
                    if (t.length() == 2) {
                        throw new NumberFormatException();
                    }
                    return new BigInteger(t.substring(2), 16);
                }
                if (t.startsWith("-0x") || t.startsWith("-0X")) {
                    return new BigInteger(t.substring(3), 16).negate();
                }
                return new BigInteger(t);
            } catch (NumberFormatException e) {
                throw new TypedDataException(where + " (" + type + ") is not an integer: \"" + s + "\"");
            }
        }
        throw new TypedDataException(where + " (" + type + ") must be an integer, got " + v.getClass().getSimpleName());
    }

    private String encodeSingle(String type) {
        StringBuilder sb = new StringBuilder(type).append('(');
        List<Field> fs = types.get(type);
        for (int i = 0; i < fs.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(fs.get(i).type()).append(' ').append(fs.get(i).name());
        }
        return sb.append(')').toString();
    }

    private void collectDependencies(String type, Set<String> acc) {
        String base = baseType(type);
        if (!types.containsKey(base) || !acc.add(base)) {
            return;
        }
        for (Field f : types.get(base)) {
            collectDependencies(f.type(), acc);
        }
    }

    private List<Field> requireStruct(String type, String what) {
        List<Field> fs = types.get(type);
        if (fs == null) {
            throw new TypedDataException(what + " \"" + type + "\" is not defined in types");
        }
        return fs;
    }

    private void checkTypeResolves(String type, String where) {
        String base = baseType(type);
        Matcher arr = ARRAY.matcher(type);
        while (arr.matches()) {
            String len = arr.group(2);
            if (len.startsWith("0") && !len.isEmpty()) {
                throw new TypedDataException(where + ": array length in \"" + type + "\" must be a positive number");
            }
            arr = ARRAY.matcher(arr.group(1));
        }
        if (!types.containsKey(base) && !isAtomicOrDynamic(base)) {
            throw new TypedDataException(where + " has unknown type \"" + base + "\"");
        }
    }

    private static String baseType(String type) {
        int i = type.indexOf('[');
        return i < 0 ? type : type.substring(0, i);
    }

    static boolean isAtomicOrDynamic(String t) {
        switch (t) {
            case "string":
            case "bytes":
            case "bool":
            case "address":
                return true;
            default:
                break;
        }
        Matcher bn = BYTES_N.matcher(t);
        if (bn.matches()) {
            int n = Integer.parseInt(bn.group(1));
            return n >= 1 && n <= 32 && !bn.group(1).startsWith("0");
        }
        Matcher im = UINT.matcher(t);
        if (im.matches()) {
            int bits = Integer.parseInt(im.group(1));
            return bits >= 8 && bits <= 256 && bits % 8 == 0 && !im.group(1).startsWith("0");
        }
        return false;
    }

    private static Map<String, List<Field>> copyTypes(Map<String, List<Field>> in) {
        Map<String, List<Field>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Field>> e : in.entrySet()) {
            if (e.getValue() == null) {
                throw new TypedDataException("type " + e.getKey() + " has no field list");
            }
            out.put(e.getKey(), List.copyOf(e.getValue()));
        }
        return out;
    }
}
