package io.iotpay.api.wallet;

import static io.iotpay.api.internal.Checks.notNull;

import io.iotpay.api.money.Amount;

/**
 * The wallet refused to sign a payment because of the account's {@link SpendingPolicy} or lock. The message names the
 * limit, its value and the attempted total; it never contains key material.
 */
public class SpendingRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a payment was refused. */
    public enum Reason {
        /** The payee is not in {@link SpendingPolicy#allowedPayees()}. */
        PAYEE_NOT_ALLOWED,
        /** The session's total would exceed {@link SpendingPolicy#perSessionLimit()}. */
        SESSION_LIMIT,
        /** The day's total would exceed {@link SpendingPolicy#perDayLimit()}. */
        DAY_LIMIT,
        /** The payee's day total would exceed its {@link SpendingPolicy#perPayeeDailyLimit()}. */
        PAYEE_DAY_LIMIT,
        /** The unit price is above {@link SpendingPolicy#maxUnitPrice()}. */
        UNIT_PRICE_TOO_HIGH,
        /** The increment is above the approval threshold and no approval was given (yet): a request is pending. */
        APPROVAL_REQUIRED,
        /** A person denied the pending approval. */
        APPROVAL_DENIED,
        /** The account is locked. */
        ACCOUNT_LOCKED,
        /** The payment is in an asset the account's policy does not govern. */
        ASSET_NOT_ALLOWED
    }

    private final Reason reason;
    private final transient PaymentIntent intent;
    private final transient Amount limit;
    private final transient Amount attemptedTotal;

    /**
     * Creates the exception for a limit that would be exceeded.
     *
     * @param reason the reason
     * @param intent the refused payment, or null if the operation was not described by an intent (e.g. a contract
     *        creation carrying value)
     * @param limit the limit in force, or null if the reason has none
     * @param attemptedTotal the total the payment would have reached, or null if the reason has none
     */
    public SpendingRefusedException(Reason reason, PaymentIntent intent, Amount limit, Amount attemptedTotal) {
        super(message(reason, intent, limit, attemptedTotal, null));
        this.reason = reason;
        this.intent = intent;
        this.limit = limit;
        this.attemptedTotal = attemptedTotal;
    }

    /**
     * Creates the exception with a free-text detail (no limit involved).
     *
     * @param reason the reason
     * @param intent the refused payment, or null (see above)
     * @param detail what happened, for people
     */
    public SpendingRefusedException(Reason reason, PaymentIntent intent, String detail) {
        super(message(reason, intent, null, null, detail));
        this.reason = reason;
        this.intent = intent;
        this.limit = null;
        this.attemptedTotal = null;
    }

    private static String message(Reason reason, PaymentIntent intent, Amount limit, Amount attempted, String detail) {
        notNull(reason, "refusal reason");
        StringBuilder sb = new StringBuilder("payment refused (").append(reason).append(')');
        if (limit != null) {
            sb.append(": limit ").append(limit.toDecimalString()).append(' ').append(limit.asset().symbol());
        }
        if (attempted != null) {
            sb.append(limit != null ? ", " : ": ").append("attempted total ").append(attempted.toDecimalString())
                    .append(' ').append(attempted.asset().symbol());
        }
        if (detail != null) {
            sb.append(": ").append(detail);
        }
        if (intent != null) {
            sb.append(" [payer ").append(intent.payer()).append(", payee ").append(intent.payee())
                    .append(", increment ").append(intent.increment().toDecimalString()).append(' ')
                    .append(intent.increment().asset().symbol()).append(']');
        }
        return sb.toString();
    }

    /**
     * Returns why the payment was refused.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Returns the refused payment.
     *
     * @return the intent, or null if the refused operation had none
     */
    public PaymentIntent intent() {
        return intent;
    }

    /**
     * Returns the limit that would have been exceeded.
     *
     * @return the limit, or null if the reason has none
     */
    public Amount limit() {
        return limit;
    }

    /**
     * Returns the total the payment would have reached.
     *
     * @return the attempted total, or null if the reason has none
     */
    public Amount attemptedTotal() {
        return attemptedTotal;
    }
}
