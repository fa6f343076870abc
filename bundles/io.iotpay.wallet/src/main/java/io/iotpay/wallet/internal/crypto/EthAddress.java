package io.iotpay.wallet.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/** Ethereum addresses: derivation from a public key and EIP-55 mixed-case checksums. */
public final class EthAddress {
    private static final Pattern HEX40 = Pattern.compile("0x[0-9a-fA-F]{40}");

    private EthAddress() {
    }

    /** The 20-byte address of an uncompressed (65-byte) public key. */
    public static byte[] fromPublicKey(byte[] pub65) {
        if (pub65 == null || pub65.length != 65 || pub65[0] != 0x04) {
            throw new IllegalArgumentException("public key must be 65 bytes uncompressed (0x04 || X || Y)");
        }
        byte[] h = Keccak.keccak256(Arrays.copyOfRange(pub65, 1, 65));
        return Arrays.copyOfRange(h, 12, 32);
    }

    /** EIP-55 checksummed form of a 20-byte address. */
    public static String checksum(byte[] address20) {
        String lower = Bytes.toHex(address20);
        byte[] h = Keccak.keccak256(lower.getBytes(StandardCharsets.US_ASCII));
        StringBuilder sb = new StringBuilder("0x");
        for (int i = 0; i < 40; i++) {
            char c = lower.charAt(i);
            int nibble = (h[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            sb.append(Character.isLetter(c) && nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return sb.toString();
    }

    /**
     * Parses {@code 0x} + 40 hex digits. All-lower or all-upper case is accepted as is; mixed case must carry a valid
     * EIP-55 checksum.
     */
    public static byte[] parse(String s, String what) {
        if (s == null || !HEX40.matcher(s).matches()) {
            throw new IllegalArgumentException(what + " is not an address: expected 0x followed by 40 hex digits, got \""
                    + s + "\"");
        }
        String body = s.substring(2);
        byte[] a = Bytes.fromHex(body, what);
        boolean mixed = !body.equals(body.toLowerCase(Locale.ROOT)) && !body.equals(body.toUpperCase(Locale.ROOT));
        if (mixed && !checksum(a).equals(s)) {
            throw new IllegalArgumentException(what + " \"" + s + "\" has an invalid EIP-55 checksum");
        }
        return a;
    }
}
