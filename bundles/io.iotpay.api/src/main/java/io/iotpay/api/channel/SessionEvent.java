package io.iotpay.api.channel;

import static io.iotpay.api.internal.Checks.notNull;

/**
 * Something that happened in a session, delivered to {@link SessionListener}s.
 *
 * @param id the session
 * @param type what happened
 * @param snapshot the session state right after it happened
 */
public record SessionEvent(SessionId id, Type type, SessionSnapshot snapshot) {

    /** Kinds of session events. */
    public enum Type {
        /** The session started running. */
        STARTED,
        /** Delivery paused. */
        PAUSED,
        /** Delivery resumed. */
        RESUMED,
        /** The session stopped normally. */
        STOPPED,
        /** A valid voucher raised the paid amount. */
        PAYMENT_RECEIVED,
        /** Remaining deposit or budget is running low. */
        CREDIT_LOW,
        /** The session failed. */
        FAILED
    }

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the snapshot is of another session
     * @throws NullPointerException if a component is null
     */
    public SessionEvent {
        notNull(id, "event session id");
        notNull(type, "event type");
        notNull(snapshot, "event snapshot");
        if (!snapshot.id().equals(id)) {
            throw new IllegalArgumentException("event for session " + id + " carries a snapshot of session "
                    + snapshot.id());
        }
    }
}
