package io.iotpay.wallet.internal.crypto;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.SHA256Digest;

/** Base58 (Bitcoin alphabet) and Base58Check with a double SHA-256 checksum. */
public final class Base58 {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger FIFTY_EIGHT = BigInteger.valueOf(58);

    private Base58() {
    }

    public static String encode(byte[] in) {
        BigInteger v = new BigInteger(1, in);
        StringBuilder sb = new StringBuilder();
        while (v.signum() > 0) {
            BigInteger[] qr = v.divideAndRemainder(FIFTY_EIGHT);
            sb.append(ALPHABET.charAt(qr[1].intValue()));
            v = qr[0];
        }
        for (int i = 0; i < in.length && in[i] == 0; i++) {
            sb.append('1');
        }
        return sb.reverse().toString();
    }

    public static byte[] decode(String s) {
        BigInteger v = BigInteger.ZERO;
        for (int i = 0; i < s.length(); i++) {
            int d = ALPHABET.indexOf(s.charAt(i));
            if (d < 0) {
                throw new IllegalArgumentException("not base58: character " + i + " is outside the alphabet");
            }
            v = v.multiply(FIFTY_EIGHT).add(BigInteger.valueOf(d));
        }
        byte[] raw = v.signum() == 0 ? new byte[0] : v.toByteArray();
        if (raw.length > 0 && raw[0] == 0) {
            raw = Arrays.copyOfRange(raw, 1, raw.length);
        }
        int zeros = 0;
        while (zeros < s.length() && s.charAt(zeros) == '1') {
            zeros++;
        }
        byte[] out = new byte[zeros + raw.length];
        System.arraycopy(raw, 0, out, zeros, raw.length);
        return out;
    }

    public static String encodeChecked(byte[] payload) {
        return encode(Bytes.concat(payload, Arrays.copyOf(doubleSha256(payload), 4)));
    }

    /** Decodes and checks the 4-byte checksum; returns the payload. */
    public static byte[] decodeChecked(String s) {
        byte[] all = decode(s);
        if (all.length < 4) {
            throw new IllegalArgumentException("base58check string is too short");
        }
        byte[] payload = Arrays.copyOf(all, all.length - 4);
        byte[] check = Arrays.copyOfRange(all, all.length - 4, all.length);
        if (!Arrays.equals(check, Arrays.copyOf(doubleSha256(payload), 4))) {
            throw new IllegalArgumentException("base58check checksum mismatch");
        }
        return payload;
    }

    public static byte[] doubleSha256(byte[] in) {
        return sha256(sha256(in));
    }

    public static byte[] sha256(byte[] in) {
        SHA256Digest d = new SHA256Digest();
        d.update(in, 0, in.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
