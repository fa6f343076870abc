package io.iotpay.chain.evm.internal.tx;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * Turns revert data into a readable reason: {@code Error(string)}, {@code Panic(uint256)}, or a custom error whose
 * selector is known from a contract ABI ({@code 0x<selector> -> "Name(types)"}).
 */
public final class RevertDecoder {

    private static final String ERROR_SELECTOR = "0x08c379a0";
    private static final String PANIC_SELECTOR = "0x4e487b71";

    private final Map<String, String> customErrors;

    /** @param customErrors selector (0x + 8 hex, lower case) to error signature */
    public RevertDecoder(Map<String, String> customErrors) {
        this.customErrors = Map.copyOf(customErrors);
    }

    /** A decoder that knows only the standard errors. */
    public static RevertDecoder standard() {
        return new RevertDecoder(Map.of());
    }

    /** @return a decoder knowing the custom errors of both */
    public RevertDecoder with(RevertDecoder other) {
        java.util.Map<String, String> all = new java.util.HashMap<>(customErrors);
        all.putAll(other.customErrors);
        return new RevertDecoder(all);
    }

    /**
     * @param data hex revert data, may be null
     * @param fallback what to say when there is no data (the node's message)
     * @return a readable reason, e.g. {@code "VoucherSignatureInvalid()"} or {@code "Error: not payee"}
     */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    public String decode(String data, String fallback) {
        if (data == null || data.length() < 10) {
            return fallback == null || fallback.isBlank() ? "no revert reason" : fallback;
        }
        String d = data.toLowerCase(java.util.Locale.ROOT);
        String selector = d.substring(0, 10);
        String rest = d.substring(10);
        try {
            if (selector.equals(ERROR_SELECTOR)) {
                List<Type> v = FunctionReturnDecoder.decode(rest, (List) List.of(new TypeReference<Utf8String>() { }));
                return "Error: " + v.get(0).getValue();
            }
            if (selector.equals(PANIC_SELECTOR)) {
                List<Type> v = FunctionReturnDecoder.decode(rest, (List) List.of(new TypeReference<Uint256>() { }));
                return "Panic(0x" + ((BigInteger) v.get(0).getValue()).toString(16) + ")";
            }
        } catch (RuntimeException e) {
            return "undecodable revert data " + d;
        }
        String custom = customErrors.get(selector);
        if (custom != null) {
            return rest.isEmpty() ? custom : custom + " data=0x" + rest;
        }
        return "revert " + d;
    }

    /** @return the error name part of a decoded reason ("Name(...)" -> "Name"), for tests and callers */
    public static String errorName(String reason) {
        int p = reason.indexOf('(');
        return p < 0 ? reason : reason.substring(0, p);
    }
}
