package io.iotpay.channel.internal.protocol;

import java.math.BigInteger;
import java.util.Objects;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.wallet.Signature;

/**
 * Payload of a peer message, one record per {@link MessageType}. Amounts are base units of the offer's asset,
 * quantities are subunits of the offer's metering unit (mWh, ms, requests).
 */
public sealed interface Body {

    /** The message type this body travels as. */
    MessageType type();

    private static BigInteger nonNegative(BigInteger v, String name) {
        Objects.requireNonNull(v, name);
        if (v.signum() < 0) {
            throw new IllegalArgumentException(name + " " + v + " is negative");
        }
        return v;
    }

    /** Provider's offer. */
    record OfferBody(Offer offer) implements Body {
        public OfferBody {
            Objects.requireNonNull(offer, "offer");
        }

        @Override
        public MessageType type() {
            return MessageType.OFFER;
        }
    }

    /**
     * Consumer asks to start a session on an open (or reused) channel.
     *
     * @param offerId the offer accepted
     * @param channel channel funded by the payer for the offer's payee
     * @param payer account that signs vouchers (the channel's payer)
     * @param depositTx transaction that opened or funded the channel, null when reusing
     */
    record OpenSession(String offerId, ChannelId channel, AccountId payer, String depositTx) implements Body {
        public OpenSession {
            Objects.requireNonNull(offerId, "offerId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(payer, "payer");
        }

        @Override
        public MessageType type() {
            return MessageType.OPEN_SESSION;
        }
    }

    /**
     * Provider accepted the session and switched the device on.
     *
     * @param channel the channel
     * @param channelCumulative latest voucher amount the provider holds for the channel (base of this session)
     * @param deposit channel deposit as seen on chain by the provider
     */
    record Start(ChannelId channel, BigInteger channelCumulative, BigInteger deposit) implements Body {
        public Start {
            Objects.requireNonNull(channel, "channel");
            nonNegative(channelCumulative, "channelCumulative");
            nonNegative(deposit, "deposit");
        }

        @Override
        public MessageType type() {
            return MessageType.START;
        }
    }

    /**
     * Provider's signed receipt: cumulative quantity delivered in this session.
     *
     * @param cumulativeQuantity subunits delivered since the session started
     */
    record ReceiptBody(BigInteger cumulativeQuantity) implements Body {
        public ReceiptBody {
            nonNegative(cumulativeQuantity, "cumulativeQuantity");
        }

        @Override
        public MessageType type() {
            return MessageType.RECEIPT;
        }
    }

    /**
     * Consumer's voucher for the channel: cumulative amount over the channel's lifetime, EIP-712 signed by the payer.
     *
     * @param channel the channel
     * @param cumulativeAmount cumulative amount in base units
     * @param signature payer's signature over the settlement scheme's voucher digest
     * @param receiptSeq sequence number of the receipt this voucher answers (0 if none)
     */
    record VoucherBody(ChannelId channel, BigInteger cumulativeAmount, Signature signature, long receiptSeq)
            implements Body {
        public VoucherBody {
            Objects.requireNonNull(channel, "channel");
            nonNegative(cumulativeAmount, "cumulativeAmount");
            Objects.requireNonNull(signature, "signature");
            if (receiptSeq < 0) {
                throw new IllegalArgumentException("receiptSeq is negative");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.VOUCHER;
        }
    }

    /** Either side pauses delivery; reason is {@code REQUESTED} or an {@link ErrorCode} name. */
    record Pause(String reason) implements Body {
        public Pause {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public MessageType type() {
            return MessageType.PAUSE;
        }
    }

    /** Either side asks to resume delivery. */
    record Resume() implements Body {
        @Override
        public MessageType type() {
            return MessageType.RESUME;
        }
    }

    /** Either side ends the session (the channel stays open for reuse). */
    record Stop(String reason) implements Body {
        public Stop {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public MessageType type() {
            return MessageType.STOP;
        }
    }

    /** Consumer added funds to the channel. */
    record TopUp(ChannelId channel, BigInteger newDeposit, String txHash) implements Body {
        public TopUp {
            Objects.requireNonNull(channel, "channel");
            nonNegative(newDeposit, "newDeposit");
            Objects.requireNonNull(txHash, "txHash");
        }

        @Override
        public MessageType type() {
            return MessageType.TOP_UP;
        }
    }

    /**
     * Cooperative close of the channel: the consumer proposes the final cumulative amount, the provider answers with
     * its close signature.
     */
    record Close(ChannelId channel, BigInteger finalCumulative, Signature closeSignature) implements Body {
        public Close {
            Objects.requireNonNull(channel, "channel");
            nonNegative(finalCumulative, "finalCumulative");
        }

        @Override
        public MessageType type() {
            return MessageType.CLOSE;
        }
    }

    /** Refusal of a message. {@code refSeq} is the refused message's sequence number (0 if unknown). */
    record Error(ErrorCode code, String message, long refSeq) implements Body {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public MessageType type() {
            return MessageType.ERROR;
        }
    }
}
