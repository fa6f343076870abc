package io.iotpay.api.wallet;

import static io.iotpay.api.internal.Checks.notNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EIP-712 typed structured data, as passed to {@link Wallet#signTypedData}. Mirrors the JSON shape of
 * {@code eth_signTypedData_v4}.
 * <p>
 * Values in {@code domain} and {@code message} are JSON-like: {@code String}, {@code java.math.BigInteger},
 * {@code Long}, {@code Integer}, {@code Boolean}, {@code byte[]} or hex {@code String} for bytes, {@code List} and
 * {@code Map}. The maps and lists given are copied (top level and type lists), nested values are not: do not mutate
 * them afterwards. {@code types} need not contain {@code EIP712Domain}; the wallet derives it from the domain keys.
 *
 * @param types struct type definitions by type name, each an ordered list of fields
 * @param primaryType the type of {@code message}, must be a key of {@code types}
 * @param domain the domain separator values ({@code name}, {@code version}, {@code chainId},
 *        {@code verifyingContract}, {@code salt})
 * @param message the message values
 */
public record TypedData(Map<String, List<TypedData.Field>> types, String primaryType, Map<String, Object> domain,
        Map<String, Object> message) {

    /**
     * One member of an EIP-712 struct type.
     *
     * @param name the member name
     * @param type the Solidity type name, e.g. {@code uint256}, {@code address}, {@code bytes32}, or a struct name
     */
    public record Field(String name, String type) {

        /**
         * Validates the field.
         *
         * @throws IllegalArgumentException if name or type is empty
         * @throws NullPointerException if name or type is null
         */
        public Field {
            notNull(name, "typed data field name");
            notNull(type, "typed data field type");
            if (name.isEmpty() || type.isEmpty()) {
                throw new IllegalArgumentException("typed data field name and type must not be empty: name=\"" + name
                        + "\" type=\"" + type + "\"");
            }
        }
    }

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if {@code primaryType} is not defined in {@code types}
     * @throws NullPointerException if a component is null
     */
    public TypedData {
        notNull(types, "typed data types");
        notNull(primaryType, "typed data primary type");
        notNull(domain, "typed data domain");
        notNull(message, "typed data message");
        Map<String, List<Field>> t = new LinkedHashMap<>();
        types.forEach((k, v) -> t.put(notNull(k, "typed data type name"), List.copyOf(notNull(v, "fields of " + k))));
        if (!t.containsKey(primaryType)) {
            throw new IllegalArgumentException("typed data primary type \"" + primaryType
                    + "\" is not defined in types " + t.keySet());
        }
        types = Collections.unmodifiableMap(t);
        domain = Collections.unmodifiableMap(new LinkedHashMap<>(domain));
        message = Collections.unmodifiableMap(new LinkedHashMap<>(message));
    }
}
