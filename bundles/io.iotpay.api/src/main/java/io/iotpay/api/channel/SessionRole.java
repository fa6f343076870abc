package io.iotpay.api.channel;

/** Which side of a metering session this node is. */
public enum SessionRole {
    /** Delivers and is paid. */
    PROVIDER,
    /** Pays and receives. */
    CONSUMER
}
