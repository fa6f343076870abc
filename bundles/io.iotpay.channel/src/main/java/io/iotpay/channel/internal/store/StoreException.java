package io.iotpay.channel.internal.store;

/** A store operation failed (database unavailable, constraint, I/O). */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
