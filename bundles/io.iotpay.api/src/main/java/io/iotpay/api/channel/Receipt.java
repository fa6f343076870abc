package io.iotpay.api.channel;

import static io.iotpay.api.internal.Checks.notNull;

import io.iotpay.api.wallet.Signature;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A provider's signed statement of how much it has delivered in a session so far.
 *
 * @param session the session
 * @param sequence the receipt number in the session, starting at 0, strictly increasing
 * @param cumulativeQuantity the total delivered, in sub-units of the offer's metering unit, {@code >= 0}
 * @param at when the quantity was metered
 * @param signature the provider's device-key signature, or null while unsigned
 */
public record Receipt(SessionId session, long sequence, BigInteger cumulativeQuantity, Instant at,
        Signature signature) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if sequence or quantity is negative
     * @throws NullPointerException if a required component is null
     */
    public Receipt {
        notNull(session, "receipt session");
        notNull(cumulativeQuantity, "receipt quantity");
        notNull(at, "receipt time");
        if (sequence < 0) {
            throw new IllegalArgumentException("receipt sequence " + sequence + " is negative");
        }
        if (cumulativeQuantity.signum() < 0) {
            throw new IllegalArgumentException("receipt quantity " + cumulativeQuantity + " is negative");
        }
    }

    /**
     * Returns this receipt with a signature.
     *
     * @param signature the signature
     * @return a new receipt
     */
    public Receipt withSignature(Signature signature) {
        return new Receipt(session, sequence, cumulativeQuantity, at, signature);
    }
}
