package io.iotpay.channel.internal.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;

/**
 * Durable store SPI of the channel engine (internal). Every write method returns only after the write is durable
 * (committed by the database).
 */
public interface ChannelStore extends AutoCloseable {

    /** Inserts or replaces a channel. */
    void putChannel(ChannelRecord channel);

    Optional<ChannelRecord> channel(ChannelId id, SessionRole role);

    List<ChannelRecord> channels();

    /**
     * Commits a voucher durably if its cumulative amount is higher than the stored one for the same channel and role
     * (many concurrent callers are committed in one transaction: group commit).
     *
     * @return future completed with true once stored, false if an equal or higher voucher was already stored
     */
    CompletableFuture<Boolean> commitVoucherAsync(StoredVoucher voucher);

    /** Blocking form of {@link #commitVoucherAsync}. */
    default boolean commitVoucher(StoredVoucher voucher) {
        try {
            return commitVoucherAsync(voucher).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while committing a voucher", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("voucher commit failed: " + c, c);
        }
    }

    Optional<StoredVoucher> latestVoucher(ChannelId channel, SessionRole role);

    void putSession(SessionRecord session);

    Optional<SessionRecord> session(SessionId id, SessionRole role);

    List<SessionRecord> sessions();

    /** Stops accepting work, finishes pending commits, closes the database. */
    @Override
    void close();
}
