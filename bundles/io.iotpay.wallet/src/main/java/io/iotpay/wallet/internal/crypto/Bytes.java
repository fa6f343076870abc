package io.iotpay.wallet.internal.crypto;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.encoders.Hex;

/** Small byte helpers: hex, fixed-width big-endian integers, wiping. */
public final class Bytes {
    private Bytes() {
    }

    /** Lower-case hex with a {@code 0x} prefix. */
    public static String toHex0x(byte[] b) {
        return "0x" + Hex.toHexString(b);
    }

    /** Lower-case hex without prefix. */
    public static String toHex(byte[] b) {
        return Hex.toHexString(b);
    }

    /**
     * Decodes hex with or without {@code 0x}; throws {@link IllegalArgumentException} naming {@code what} when the
     * input is not an even-length hex string. The input itself is never echoed (it may be secret).
     */
    public static byte[] fromHex(String s, String what) {
        if (s == null) {
            throw new IllegalArgumentException(what + " is missing: expected a hex string");
        }
        String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        if ((h.length() & 1) != 0) {
            throw new IllegalArgumentException(what + " has an odd number of hex digits (" + h.length() + ")");
        }
        for (int i = 0; i < h.length(); i++) {
            if (Character.digit(h.charAt(i), 16) < 0) {
                throw new IllegalArgumentException(what + " is not hex: character " + i + " is not 0-9a-fA-F");
            }
        }
        try {
            return Hex.decodeStrict(h);
        } catch (DecoderException e) {
            throw new IllegalArgumentException(what + " is not valid hex", e);
        }
    }

    /** Unsigned big-endian encoding of {@code v} in exactly {@code len} bytes. */
    public static byte[] toFixed(BigInteger v, int len) {
        if (v.signum() < 0) {
            throw new IllegalArgumentException("negative value cannot be encoded unsigned");
        }
        byte[] raw = v.toByteArray();
        if (raw.length == len) {
            return raw;
        }
        if (raw.length == len + 1 && raw[0] == 0) {
            return Arrays.copyOfRange(raw, 1, raw.length);
        }
        if (raw.length > len) {
            throw new IllegalArgumentException("value does not fit in " + len + " bytes");
        }
        byte[] out = new byte[len];
        System.arraycopy(raw, 0, out, len - raw.length, raw.length);
        return out;
    }

    /** Zeroes the array if not null. */
    public static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }

    /** Zeroes the array if not null. */
    public static void wipe(char[] c) {
        if (c != null) {
            Arrays.fill(c, '\0');
        }
    }

    /** Concatenation. */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
