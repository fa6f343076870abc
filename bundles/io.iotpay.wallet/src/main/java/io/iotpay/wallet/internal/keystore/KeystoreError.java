package io.iotpay.wallet.internal.keystore;

/**
 * Keystore failure with a kind the caller can act on. Messages never contain the passphrase or key material.
 */
public final class KeystoreError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The MAC does not match: the passphrase is wrong (or the ciphertext was altered). */
        WRONG_PASSPHRASE,
        /** The file is not a valid Web3 Secret Storage v3 document (truncated, tampered structure, bad hex...). */
        CORRUPTED,
        /** The file uses a cipher, KDF or version this wallet does not support. */
        UNSUPPORTED,
        /** Reading or writing failed, or the target file already exists. */
        IO
    }

    private final Kind kind;

    public KeystoreError(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public KeystoreError(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
