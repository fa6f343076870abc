package io.iotpay.api.chain;

import static io.iotpay.api.internal.Checks.notNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decoded contract event (EVM log, Tezos contract event).
 *
 * @param chain the chain
 * @param contract the emitting contract
 * @param name the event name, e.g. {@code ChannelOpened}
 * @param blockNumber the block, {@code >= 0}
 * @param blockHash the block hash
 * @param txHash the hash of the transaction that emitted it (text; see {@link TxHash} for the format)
 * @param logIndex the index of the event within the block, {@code >= 0}
 * @param fields decoded fields by name, in declaration order; values are JSON-like ({@code String},
 *        {@code java.math.BigInteger}, {@code Boolean}, {@code byte[]}, {@code AccountId}, {@code List}, {@code Map});
 *        the map is an unmodifiable copy
 * @param removed true if this event was removed by a chain reorganisation (it was delivered before with
 *        {@code removed = false})
 */
public record ChainEvent(ChainId chain, AccountId contract, String name, long blockNumber, String blockHash,
        String txHash, int logIndex, Map<String, Object> fields, boolean removed) {

    /**
     * Validates the fields and copies the map.
     *
     * @throws IllegalArgumentException if a number is negative
     * @throws NullPointerException if a reference field is null
     */
    public ChainEvent {
        notNull(chain, "event chain");
        notNull(contract, "event contract");
        notNull(name, "event name");
        notNull(blockHash, "event block hash");
        notNull(txHash, "event transaction hash");
        notNull(fields, "event fields");
        if (blockNumber < 0) {
            throw new IllegalArgumentException("event block number " + blockNumber + " is negative");
        }
        if (logIndex < 0) {
            throw new IllegalArgumentException("event log index " + logIndex + " is negative");
        }
        if (!contract.chainId().equals(chain)) {
            throw new IllegalArgumentException("event contract " + contract + " is not on chain " + chain);
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
