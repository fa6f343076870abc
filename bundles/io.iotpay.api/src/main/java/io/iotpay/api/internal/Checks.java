package io.iotpay.api.internal;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Validation helpers shared by the API value types. Private to the API bundle (not exported); not part of the API.
 */
public final class Checks {

    private static final Pattern HEX = Pattern.compile("(0x|0X)?[0-9a-fA-F]*");

    private Checks() {
    }

    /**
     * Quotes a user-supplied string for an error message, shortening very long input.
     *
     * @param s the input, may be null
     * @return {@code "s"} or {@code null}
     */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 80 ? s.substring(0, 80) + "...(" + s.length() + " chars)" : s;
        return "\"" + shown + "\"";
    }

    /**
     * Requires a non-null value.
     *
     * @param <T> type of the value
     * @param value the value
     * @param what the name of the value for the message
     * @return the value
     * @throws NullPointerException naming {@code what} if the value is null
     */
    public static <T> T notNull(T value, String what) {
        return Objects.requireNonNull(value, () -> what + " must not be null");
    }

    /**
     * Copies a byte array, requiring an exact length.
     *
     * @param bytes the array
     * @param length the required length
     * @param what the name of the value for the message
     * @return a copy
     * @throws IllegalArgumentException if the array has another length; NullPointerException if it is null
     */
    public static byte[] copyOfLength(byte[] bytes, int length, String what) {
        notNull(bytes, what);
        if (bytes.length != length) {
            throw new IllegalArgumentException(what + " has " + bytes.length + " bytes: expected exactly " + length);
        }
        return bytes.clone();
    }

    /**
     * Parses hex, with or without {@code 0x} prefix, requiring an exact byte length.
     *
     * @param hex the hex text
     * @param length the required length in bytes
     * @param what the name of the value for the message
     * @return the bytes
     * @throws IllegalArgumentException if the text is null, not hex or has another length
     */
    public static byte[] parseHex(String hex, int length, String what) {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(what + " " + quote(hex) + " is not hex: expected 0x followed by "
                    + (2 * length) + " hex digits");
        }
        String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (digits.length() != 2 * length) {
            throw new IllegalArgumentException(what + " " + quote(hex) + " has " + digits.length()
                    + " hex digits: expected " + (2 * length) + " (" + length + " bytes)");
        }
        return HexFormat.of().parseHex(digits);
    }

    /**
     * Formats bytes as lower-case hex with {@code 0x} prefix.
     *
     * @param bytes the bytes
     * @return {@code 0x...}
     */
    public static String toHex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
