package io.iotpay.api.channel;

/**
 * Life cycle of a payment channel.
 */
public enum ChannelState {
    /** The opening transaction was sent but is not confirmed yet. */
    OPENING,
    /** Open: vouchers can be signed and claimed. */
    OPEN,
    /** The payer started a unilateral close; the payee can still claim until the challenge period ends. */
    CLOSING,
    /** Closed on chain; the payer may still have an unwithdrawn remainder. */
    CLOSED,
    /** Everything paid out; nothing left in the contract. */
    SETTLED
}
