package io.iotpay.api.wallet;

import static io.iotpay.api.internal.Checks.notNull;

/**
 * A key store could not be read or written. The message says what is wrong (wrong passphrase, corrupted file,
 * unsupported format, I/O) and never contains passphrases or key material.
 */
public class KeystoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** The passphrase does not decrypt the key (MAC mismatch). */
        WRONG_PASSPHRASE,
        /** The file is damaged or not a key store. */
        CORRUPTED,
        /** The key store uses a cipher, KDF or version the wallet does not support. */
        UNSUPPORTED,
        /** The file could not be read or written. */
        IO
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason what went wrong
     * @param message details for people, without secrets
     * @param cause the cause, may be null
     */
    public KeystoreException(Reason reason, String message, Throwable cause) {
        super(notNull(reason, "keystore failure reason") + ": " + message, cause);
        this.reason = reason;
    }

    /**
     * Returns what went wrong.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
