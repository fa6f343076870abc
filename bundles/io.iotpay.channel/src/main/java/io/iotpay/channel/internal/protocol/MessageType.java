package io.iotpay.channel.internal.protocol;

/** The peer message types, with their wire names (the {@code type} field). */
public enum MessageType {
    OFFER,
    OPEN_SESSION,
    START,
    RECEIPT,
    VOUCHER,
    PAUSE,
    RESUME,
    STOP,
    TOP_UP,
    CLOSE,
    ERROR
}
