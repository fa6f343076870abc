package io.iotpay.api.channel;

import io.iotpay.api.chain.TxHash;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Price;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Runs both sides of metered payment sessions: publishes offers (provider), buys (consumer), and keeps channels,
 * vouchers and receipts durable. Failures of the peer protocol throw {@link ProtocolException}; refusals of the
 * wallet surface as {@link ErrorCode#POLICY_REFUSED}.
 */
public interface ChannelEngine {

    /**
     * Publishes an offer for a device (provider side).
     *
     * @param deviceId the device, a registered {@link io.iotpay.api.device.MeteredDevice}
     * @param price the price per unit
     * @param creditWindow how much to deliver ahead of the latest voucher
     * @param minimumDeposit the smallest acceptable channel deposit
     * @return the published offer
     */
    Offer publishOffer(String deviceId, Price price, Amount creditWindow, Amount minimumDeposit);

    /**
     * Lists this node's published offers.
     *
     * @return the offers
     */
    List<Offer> offers();

    /**
     * Fetches and verifies a remote provider's offer (consumer side).
     *
     * @param provider the provider's offer endpoint
     * @return the offer
     * @throws ProtocolException if the provider is unreachable, untrusted or answers malformed data
     */
    Offer fetchOffer(URI provider);

    /**
     * Starts buying from a provider within a budget and price cap (consumer side). Opens or reuses a channel.
     *
     * @param request the purchase
     * @return the new session
     * @throws ProtocolException for example {@link ErrorCode#PRICE_ABOVE_CAP}
     */
    SessionSnapshot startPurchase(PurchaseRequest request);

    /**
     * Pauses a session.
     *
     * @param id the session
     * @return the session after pausing
     * @throws ProtocolException {@link ErrorCode#UNKNOWN_SESSION} or {@link ErrorCode#INVALID_STATE}
     */
    SessionSnapshot pause(SessionId id);

    /**
     * Resumes a paused session.
     *
     * @param id the session
     * @return the session after resuming
     * @throws ProtocolException {@link ErrorCode#UNKNOWN_SESSION} or {@link ErrorCode#INVALID_STATE}
     */
    SessionSnapshot resume(SessionId id);

    /**
     * Stops a session (final). The channel stays open for reuse.
     *
     * @param id the session
     * @return the session after stopping
     * @throws ProtocolException {@link ErrorCode#UNKNOWN_SESSION}
     */
    SessionSnapshot stop(SessionId id);

    /**
     * Looks up a session.
     *
     * @param id the session
     * @return the latest snapshot, or empty
     */
    Optional<SessionSnapshot> session(SessionId id);

    /**
     * Lists all sessions known to the store.
     *
     * @return the latest snapshots
     */
    List<SessionSnapshot> sessions();

    /**
     * Lists all channels this node is party to.
     *
     * @return the channels
     */
    List<Channel> channels();

    /**
     * Closes a channel: cooperatively if the peer answers, else unilaterally.
     *
     * @param id the channel
     * @return the closing transaction
     * @throws ProtocolException {@link ErrorCode#UNKNOWN_CHANNEL}
     */
    TxHash closeChannel(ChannelId id);
}
