package io.iotpay.chain.evm.internal.tx;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.iotpay.api.chain.ChainUnavailableException;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.chain.TxReceipt;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;

/**
 * Waits for a transaction receipt with a number of confirmations (1 = included in the head block). The receipt's
 * block must still be canonical (hash at its height unchanged) when the depth is reached; if a reorg removed it, the
 * waiter keeps waiting for the transaction to be included again.
 */
public final class ReceiptWaiter {

    private final JsonRpcClient rpc;
    private final Duration pollInterval;

    /**
     * @param rpc node
     * @param pollInterval how often to ask
     */
    public ReceiptWaiter(JsonRpcClient rpc, Duration pollInterval) {
        this.rpc = rpc;
        this.pollInterval = pollInterval;
    }

    /**
     * @param tx the transaction
     * @param confirmations at least 1
     * @param timeout how long at most
     * @return the receipt
     * @throws ChainUnavailableException if the timeout passes first
     */
    public TxReceipt await(TxHash tx, int confirmations, Duration timeout) {
        if (confirmations < 1) {
            throw new IllegalArgumentException("confirmations " + confirmations + " must be at least 1");
        }
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<TxReceipt> r = check(tx, confirmations);
            if (r.isPresent()) {
                return r.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ChainUnavailableException(tx.chain(), "transaction " + tx.hash() + " did not reach "
                        + confirmations + " confirmation(s) within " + timeout);
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainUnavailableException(tx.chain(), "interrupted waiting for " + tx.hash(), e);
            }
        }
    }

    /** @return the receipt if it has the confirmations now */
    public Optional<TxReceipt> check(TxHash tx, int confirmations) {
        JsonNode r = rpc.call("eth_getTransactionReceipt", tx.hash());
        if (r == null || r.isNull() || r.isMissingNode() || !r.hasNonNull("blockNumber")) {
            return Optional.empty();
        }
        long block = JsonRpcClient.quantity(r.get("blockNumber"));
        String blockHash = r.get("blockHash").asText();
        long head = JsonRpcClient.quantity(rpc.call("eth_blockNumber"));
        long conf = head - block + 1;
        if (conf < confirmations) {
            return Optional.empty();
        }
        JsonNode b = rpc.call("eth_getBlockByNumber", JsonRpcClient.hex(block), false);
        if (b == null || b.isNull() || !blockHash.equalsIgnoreCase(b.path("hash").asText())) {
            return Optional.empty(); // reorged away; wait for re-inclusion
        }
        boolean success = "0x1".equals(r.path("status").asText());
        return Optional.of(new TxReceipt(tx, block, blockHash.toLowerCase(java.util.Locale.ROOT), success,
                JsonRpcClient.bigQuantity(r.get("gasUsed")), (int) Math.min(Integer.MAX_VALUE, conf)));
    }

    /** @return the raw receipt JSON (logs included) or empty */
    public Optional<JsonNode> raw(TxHash tx) {
        JsonNode r = rpc.call("eth_getTransactionReceipt", tx.hash());
        return r == null || r.isNull() || r.isMissingNode() ? Optional.empty() : Optional.of(r);
    }
}
