package io.iotpay.chain.evm.internal.tx;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;
import io.iotpay.chain.evm.internal.rpc.RpcErrorException;

/**
 * Hands out nonces per sending account.
 *
 * <p>Each account has a lock and a next-nonce counter seeded from {@code eth_getTransactionCount(address, "pending")},
 * so a restart (or another process using the same account) is picked up. Allocation, signing and broadcasting happen
 * under the account's lock inside {@link #send}: a nonce is consumed only when the node accepted the transaction, so a
 * refused signature or a failed broadcast never leaves a gap that would block every later transaction. When the node
 * answers "nonce too low" the counter is re-synced from the node and the send is retried once. The action must pass
 * that error on only after it made sure the transaction holding the nonce is not its own ({@link TxSender} looks its
 * hash up, and treats "already known" as success), so a retried broadcast never becomes a second, re-signed
 * transaction of the same intent. Different accounts never wait for each other.
 */
public final class NonceManager {

    private static final class AccountNonce {
        final ReentrantLock lock = new ReentrantLock();
        long next = -1; // -1 = not yet seeded; guarded by lock
    }

    private final JsonRpcClient rpc;
    private final Map<String, AccountNonce> accounts = new ConcurrentHashMap<>();

    /** @param rpc the node */
    public NonceManager(JsonRpcClient rpc) {
        this.rpc = rpc;
    }

    /**
     * Runs {@code sendWithNonce} with the account's next nonce, under the account's lock. If it returns normally the
     * nonce is consumed; if it throws, the nonce is not consumed (unless the node said the nonce was already used by a
     * transaction that is not the action's own, in which case the counter is re-synced from the node and the action
     * is retried once).
     *
     * @param address the sender, 0x hex
     * @param sendWithNonce signs and broadcasts with the given nonce
     * @return what the action returned
     */
    public <T> T send(String address, LongFunction<T> sendWithNonce) {
        AccountNonce n = accounts.computeIfAbsent(address.toLowerCase(Locale.ROOT), a -> new AccountNonce());
        n.lock.lock();
        try {
            if (n.next < 0) {
                n.next = pendingCount(address);
            }
            for (int attempt = 1;; attempt++) {
                try {
                    T result = sendWithNonce.apply(n.next);
                    n.next++;
                    return result;
                } catch (RpcErrorException e) {
                    if (e.isNonceTooLow() && attempt == 1) {
                        n.next = Math.max(n.next + 1, pendingCount(address));
                        continue;
                    }
                    throw e;
                }
            }
        } finally {
            n.lock.unlock();
        }
    }

    /** Forgets the cached nonce of an account; the next send re-reads it from the node. */
    public void reset(String address) {
        AccountNonce n = accounts.get(address.toLowerCase(Locale.ROOT));
        if (n != null) {
            n.lock.lock();
            try {
                n.next = -1;
            } finally {
                n.lock.unlock();
            }
        }
    }

    /** @return the nonce the next send of this account would use, or -1 if not yet known */
    public long peek(String address) {
        AccountNonce n = accounts.get(address.toLowerCase(Locale.ROOT));
        return n == null ? -1 : n.next;
    }

    private long pendingCount(String address) {
        return JsonRpcClient.quantity(rpc.call("eth_getTransactionCount", address, "pending"));
    }
}
