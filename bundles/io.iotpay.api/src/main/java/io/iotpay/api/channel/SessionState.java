package io.iotpay.api.channel;

/** Life cycle of a metering session. */
public enum SessionState {
    /** Offer fetched, channel being opened or reused. */
    NEGOTIATING,
    /** Delivery and payment running. */
    RUNNING,
    /** Delivery paused by either side; can resume. */
    PAUSED,
    /** Stopped normally; final. */
    STOPPED,
    /** Stopped by an error; final. The snapshot's detail says why. */
    FAILED
}
