package io.iotpay.api.wallet;

import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.parseHex;

import io.iotpay.api.internal.Checks;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * An encoded signature. Bytes are copied in and out.
 * <p>
 * Checks done here (format only; cryptographic verification belongs to the wallet and connectors):
 * the length must be {@link SignatureScheme#length()}. For {@link SignatureScheme#SECP256K1_RECOVERABLE}, {@code r}
 * and {@code s} must be in {@code [1, n-1]} (n = secp256k1 group order) and {@code v} must be 27 or 28; a {@code v} of
 * 0 or 1 (raw recovery id, as some signers produce) is accepted and normalised to 27 or 28. High-{@code s} values are
 * not rejected here (EIP-2 is a transaction rule); verifiers that need low-{@code s} check it themselves.
 *
 * @param bytes the encoded signature
 * @param scheme the scheme
 */
public record Signature(byte[] bytes, SignatureScheme scheme) {

    private static final BigInteger SECP256K1_N =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    /**
     * Validates and copies the bytes.
     *
     * @throws IllegalArgumentException if the length or the secp256k1 components are invalid
     * @throws NullPointerException if an argument is null
     */
    public Signature {
        notNull(scheme, "signature scheme");
        notNull(bytes, "signature bytes");
        if (bytes.length != scheme.length()) {
            throw new IllegalArgumentException("signature has " + bytes.length + " bytes: expected " + scheme.length()
                    + " for " + scheme);
        }
        bytes = bytes.clone();
        if (scheme == SignatureScheme.SECP256K1_RECOVERABLE) {
            checkScalar(new BigInteger(1, Arrays.copyOfRange(bytes, 0, 32)), "r");
            checkScalar(new BigInteger(1, Arrays.copyOfRange(bytes, 32, 64)), "s");
            int v = bytes[64] & 0xff;
            if (v == 0 || v == 1) {
                bytes[64] = (byte) (v + 27);
            } else if (v != 27 && v != 28) {
                throw new IllegalArgumentException("signature v " + v + " is invalid: expected 27 or 28 (or 0/1)");
            }
        }
    }

    private static void checkScalar(BigInteger x, String name) {
        if (x.signum() == 0 || x.compareTo(SECP256K1_N) >= 0) {
            throw new IllegalArgumentException("signature " + name + " is out of range: expected 1..n-1 of secp256k1");
        }
    }

    /**
     * Parses a hex signature.
     *
     * @param hex the hex text, with or without {@code 0x}
     * @param scheme the scheme
     * @return the signature
     * @throws IllegalArgumentException if the text is not hex of the scheme's length or the signature is invalid
     */
    public static Signature fromHex(String hex, SignatureScheme scheme) {
        notNull(scheme, "signature scheme");
        return new Signature(parseHex(hex, scheme.length(), "signature (" + scheme + ")"), scheme);
    }

    /**
     * Returns a copy of the encoded signature.
     *
     * @return the bytes
     */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Returns the signature as hex.
     *
     * @return {@code 0x} and lower-case hex
     */
    public String toHex() {
        return Checks.toHex(bytes);
    }

    /**
     * Compares scheme and bytes.
     *
     * @param o the other object
     * @return true if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Signature s && scheme == s.scheme && Arrays.equals(bytes, s.bytes);
    }

    /**
     * Hashes scheme and bytes.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return 31 * scheme.hashCode() + Arrays.hashCode(bytes);
    }

    /**
     * Shows the scheme and hex.
     *
     * @return e.g. {@code Signature[SECP256K1_RECOVERABLE 0x...]}
     */
    @Override
    public String toString() {
        return "Signature[" + scheme + " " + toHex() + "]";
    }
}
