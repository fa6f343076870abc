package io.iotpay.api.channel;

/** Machine-readable peer protocol error codes, carried in {@link ProtocolException} and error messages. */
public enum ErrorCode {
    /** A signature does not verify or is from the wrong key. */
    BAD_SIGNATURE,
    /** A message or voucher was seen before. */
    REPLAYED,
    /** A voucher grants more than the channel's deposit. */
    ABOVE_DEPOSIT,
    /** A sequence number or cumulative amount went backwards. */
    OUT_OF_ORDER,
    /** The message could not be parsed or is missing fields. */
    MALFORMED,
    /** The peer speaks an unsupported protocol version. */
    UNSUPPORTED_VERSION,
    /** No such session. */
    UNKNOWN_SESSION,
    /** No such channel. */
    UNKNOWN_CHANNEL,
    /** The offered price is above the consumer's cap. */
    PRICE_ABOVE_CAP,
    /** The consumer's budget is used up. */
    BUDGET_EXHAUSTED,
    /** The wallet's spending policy refused to sign. */
    POLICY_REFUSED,
    /** The peer's certificate or identity is not trusted. */
    PEER_UNTRUSTED,
    /** The channel deposit is below the offer's minimum. */
    INSUFFICIENT_DEPOSIT,
    /** The provider's credit window is used up (payment overdue). */
    CREDIT_EXHAUSTED,
    /** The operation is not allowed in the current state. */
    INVALID_STATE
}
