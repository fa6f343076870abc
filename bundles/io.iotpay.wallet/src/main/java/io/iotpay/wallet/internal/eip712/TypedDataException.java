package io.iotpay.wallet.internal.eip712;

/** Malformed EIP-712 typed data: unknown type, missing field, wrong length, out-of-range value... */
public final class TypedDataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TypedDataException(String message) {
        super(message);
    }

    public TypedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
