package io.iotpay.wallet.internal.crypto;

/**
 * secp256k1 ECDSA as Ethereum uses it. Signatures are 65 bytes {@code r || s || v} with {@code v} in {27, 28};
 * {@code s} is always normalised to the lower half of the curve order (EIP-2), {@code k} is deterministic (RFC 6979).
 * Public keys are 65-byte uncompressed SEC1 encodings ({@code 0x04 || X || Y}).
 * <p>
 * Implementations are thread-safe.
 */
public interface Secp256k1 {

    /** Short name for logs and benchmarks, e.g. "native libsecp256k1" or "BouncyCastle". */
    String name();

    /** Derives the uncompressed public key of a 32-byte private key. */
    byte[] publicKey(byte[] privateKey);

    /**
     * Signs a 32-byte digest. {@code publicKey} (uncompressed, may be null) lets implementations that must search the
     * recovery id avoid recomputing it.
     */
    byte[] sign(byte[] digest32, byte[] privateKey, byte[] publicKey);

    /** Signs a 32-byte digest. */
    default byte[] sign(byte[] digest32, byte[] privateKey) {
        return sign(digest32, privateKey, null);
    }

    /**
     * Recovers the uncompressed public key from a 65-byte signature. Rejects high-s signatures and v outside
     * {0, 1, 27, 28} with {@link IllegalArgumentException}; throws {@link SignatureException} when no key recovers.
     */
    byte[] recover(byte[] digest32, byte[] signature65);

    /** Verifies a 64- or 65-byte signature (the recovery byte is ignored) against an uncompressed public key. */
    boolean verify(byte[] digest32, byte[] signature, byte[] publicKey);

    /** Thrown when a signature is well-formed but does not verify or recover. */
    final class SignatureException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SignatureException(String message) {
            super(message);
        }
    }
}
