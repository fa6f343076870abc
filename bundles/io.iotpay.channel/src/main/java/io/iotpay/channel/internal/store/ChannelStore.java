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
    default CompletableFuture<Boolean> commitVoucherAsync(StoredVoucher voucher) {
        return commitVoucherAsync(voucher, null);
    }

    /**
     * Commits a voucher and, in the same transaction and only if the voucher was stored, the session state that goes
     * with it (sequence numbers), so a crash can never separate them.
     */
    CompletableFuture<Boolean> commitVoucherAsync(StoredVoucher voucher, SessionRecord session);

    /** Blocking form of {@link #commitVoucherAsync}. */
    default boolean commitVoucher(StoredVoucher voucher) {
        return commitVoucher(voucher, null);
    }

    /** Blocking form of {@link #commitVoucherAsync(StoredVoucher, SessionRecord)}. */
    default boolean commitVoucher(StoredVoucher voucher, SessionRecord session) {
        try {
            return commitVoucherAsync(voucher, session).get();
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

    /** Inserts or replaces a session (group-committed with vouchers; returns once durable). */
    void putSession(SessionRecord session);

    Optional<SessionRecord> session(SessionId id, SessionRole role);

    List<SessionRecord> sessions();

    /** Stops accepting work, finishes pending commits, closes the database. */
    @Override
    void close();
}
