package io.iotpay.api.channel;

import static io.iotpay.api.internal.Checks.notNull;

/**
 * A peer protocol or session rule was violated. The code is machine-readable; the message is for people.
 */
public class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * Creates the exception.
     *
     * @param code the error code
     * @param message details for people
     */
    public ProtocolException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param code the error code
     * @param message details for people
     * @param cause the cause, may be null
     */
    public ProtocolException(ErrorCode code, String message, Throwable cause) {
        super(notNull(code, "error code") + ": " + message, cause);
        this.code = code;
    }

    /**
     * Returns the error code.
     *
     * @return the code
     */
    public ErrorCode code() {
        return code;
    }
}
