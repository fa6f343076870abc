package io.iotpay.chain.evm.internal.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.BlockCursor;
import io.iotpay.api.chain.ChainEvent;
import io.iotpay.api.chain.ChainEventListener;
import io.iotpay.api.chain.ChainException;
import io.iotpay.api.chain.Subscription;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;

/**
 * Follows the logs of one contract with {@code eth_getLogs} in block ranges, from a {@link BlockCursor}.
 *
 * <ul>
 * <li>The cursor (last fully processed block and its hash) advances only after a whole range was fetched and handed
 * to the listener, so a failed RPC call (node down, connection dropped) is simply retried from the same cursor: no event
 * is missed or delivered twice.</li>
 * <li>The poller remembers the hashes of recent blocks it processed (up to {@code reorgDepth} blocks back) and the
 * events it delivered in them. When the hash at the cursor changes, it walks back to the newest remembered block that is
 * still canonical, delivers every event of the orphaned blocks again with {@code removed = true} (newest first), and
 * then processes the canonical blocks, delivering their events.</li>
 * <li>Resuming from a stored cursor whose block was reorged while nobody watched: the poller has no memory of what was
 * delivered, so it rewinds {@code reorgDepth} blocks and delivers again from there; consumers key events by transaction
 * hash and log index.</li>
 * <li>Only blocks with at least {@code confirmations} confirmations are processed (1 = the head block).</li>
 * </ul>
 */
public final class EventPoller implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(EventPoller.class);

    /**
     * Tuning.
     *
     * @param pollInterval pause between polls
     * @param maxRange most blocks per {@code eth_getLogs}
     * @param confirmations blocks must have this many confirmations (>= 1)
     * @param reorgDepth how far back reorgs are tracked
     * @param maxBackoff longest pause after repeated RPC failures
     */
    public record Options(Duration pollInterval, int maxRange, int confirmations, int reorgDepth, Duration maxBackoff) {
        /** Validates. */
        public Options {
            if (maxRange < 1 || confirmations < 1 || reorgDepth < 1) {
                throw new IllegalArgumentException("maxRange, confirmations and reorgDepth must be at least 1");
            }
        }

        /** Defaults: 1 s, 1000 blocks, 1 confirmation, 64 blocks of reorg memory, 30 s backoff. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(1), 1000, 1, 64, Duration.ofSeconds(30));
        }
    }

    private final JsonRpcClient rpc;
    private final AccountId contract;
    private final EventDecoder decoder;
    private final ChainEventListener listener;
    private final Options options;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object lock = new Object();
    private Thread thread;

    // guarded by lock
    private BlockCursor cursor;
    private final NavigableMap<Long, String> seenHashes = new TreeMap<>();
    private final NavigableMap<Long, List<ChainEvent>> delivered = new TreeMap<>();
    private boolean resumedFromStoredCursor;

    /**
     * @param rpc node
     * @param contract the contract whose logs to follow
     * @param decoder decodes its events
     * @param from last processed block, or null to start at the current (confirmed) head
     * @param listener receives events in chain order
     * @param options tuning
     */
    public EventPoller(JsonRpcClient rpc, AccountId contract, EventDecoder decoder, BlockCursor from,
            ChainEventListener listener, Options options) {
        this.rpc = rpc;
        this.contract = contract;
        this.decoder = decoder;
        this.listener = listener;
        this.options = options;
        this.cursor = from;
        this.resumedFromStoredCursor = from != null;
    }

    /** Starts the background thread. */
    public EventPoller start() {
        Thread t = new Thread(this::run, "iotpay-events-" + contract.address().substring(0, 10));
        t.setDaemon(true);
        this.thread = t;
        t.start();
        return this;
    }

    private void run() {
        Duration backoff = options.pollInterval();
        while (!closed.get()) {
            try {
                pollOnce();
                backoff = options.pollInterval();
                sleep(options.pollInterval());
            } catch (ChainException e) {
                LOG.warn("events of {}: {}; retrying from block {} in {} ms", contract, e.getMessage(),
                        cursor == null ? "head" : cursor.blockNumber(), backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
                if (backoff.compareTo(options.maxBackoff()) > 0) {
                    backoff = options.maxBackoff();
                }
            } catch (RuntimeException e) {
                LOG.error("events of {}: unexpected failure; retrying", contract, e);
                sleep(options.maxBackoff());
            }
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.set(true);
        }
    }

    /**
     * Runs one poll step: reorg check, then at most one range of blocks.
     *
     * @return the number of events delivered (removals included)
     */
    public int pollOnce() {
        synchronized (lock) {
            if (closed.get()) {
                return 0;
            }
            long head = JsonRpcClient.quantity(rpc.call("eth_blockNumber"));
            long safe = head - options.confirmations() + 1;
            if (safe < 0) {
                return 0;
            }
            if (cursor == null) {
                cursor = new BlockCursor(safe, blockHash(safe));
                seenHashes.put(safe, cursor.blockHash());
                return 0;
            }
            int count = 0;
            String canonical = cursor.blockNumber() <= head ? blockHash(cursor.blockNumber()) : null;
            if (!cursor.blockHash().equalsIgnoreCase(String.valueOf(canonical))) {
                count += rewind();
            }
            resumedFromStoredCursor = false;
            if (safe <= cursor.blockNumber()) {
                return count;
            }
            long fromBlock = cursor.blockNumber() + 1;
            long toBlock = Math.min(safe, cursor.blockNumber() + options.maxRange());
            String toHash = blockHash(toBlock);
            Map<String, Object> filter = new LinkedHashMap<>();
            filter.put("address", contract.address());
            filter.put("fromBlock", JsonRpcClient.hex(fromBlock));
            filter.put("toBlock", JsonRpcClient.hex(toBlock));
            JsonNode logs = rpc.call("eth_getLogs", filter);
            if (!toHash.equalsIgnoreCase(blockHash(toBlock))) {
                return count; // chain moved under us; next poll detects the reorg
            }
            List<ChainEvent> events = new ArrayList<>();
            Map<Long, String> hashes = new TreeMap<>();
            for (JsonNode log : logs) {
                if (log.path("removed").asBoolean(false)) {
                    continue;
                }
                long bn = JsonRpcClient.quantity(log.get("blockNumber"));
                String bh = log.get("blockHash").asText().toLowerCase(java.util.Locale.ROOT);
                if (bn == toBlock && !bh.equalsIgnoreCase(toHash)) {
                    return count; // inconsistent view; retry next poll
                }
                hashes.put(bn, bh);
                events.add(toEvent(log, false));
            }
            events.sort((a, b) -> a.blockNumber() != b.blockNumber() ? Long.compare(a.blockNumber(), b.blockNumber())
                    : Integer.compare(a.logIndex(), b.logIndex()));
            for (ChainEvent e : events) {
                deliver(e);
                delivered.computeIfAbsent(e.blockNumber(), k -> new ArrayList<>()).add(e);
                count++;
            }
            seenHashes.putAll(hashes);
            seenHashes.put(toBlock, toHash.toLowerCase(java.util.Locale.ROOT));
            cursor = new BlockCursor(toBlock, toHash.toLowerCase(java.util.Locale.ROOT));
            long keepFrom = toBlock - options.reorgDepth();
            seenHashes.headMap(keepFrom, false).clear();
            delivered.headMap(keepFrom, false).clear();
            return count;
        }
    }

    /** Walks back to a canonical block, announcing removed events. Called with the lock held. */
    private int rewind() {
        long ancestor = -1;
        String ancestorHash = null;
        for (Map.Entry<Long, String> e : seenHashes.descendingMap().entrySet()) {
            String h = blockHashOrNull(e.getKey());
            if (e.getValue().equalsIgnoreCase(String.valueOf(h))) {
                ancestor = e.getKey();
                ancestorHash = h;
                break;
            }
        }
        if (ancestor < 0) {
            long lowest = seenHashes.isEmpty() ? cursor.blockNumber() : seenHashes.firstKey();
            ancestor = Math.max(0, lowest - (seenHashes.isEmpty() ? options.reorgDepth() : 1));
            ancestorHash = blockHash(ancestor);
            if (resumedFromStoredCursor || seenHashes.isEmpty()) {
                LOG.warn("stored cursor {} of {} is no longer canonical; re-reading from block {}", cursor, contract,
                        ancestor);
            }
        }
        LOG.info("reorg on {} below block {}: rewinding {} to block {}", rpc.chain(), cursor.blockNumber(), contract,
                ancestor);
        int count = 0;
        for (List<ChainEvent> events : delivered.tailMap(ancestor, false).descendingMap().values()) {
            for (int i = events.size() - 1; i >= 0; i--) {
                ChainEvent e = events.get(i);
                deliver(new ChainEvent(e.chain(), e.contract(), e.name(), e.blockNumber(), e.blockHash(), e.txHash(),
                        e.logIndex(), e.fields(), true));
                count++;
            }
        }
        delivered.tailMap(ancestor, false).clear();
        seenHashes.tailMap(ancestor, false).clear();
        seenHashes.put(ancestor, ancestorHash.toLowerCase(java.util.Locale.ROOT));
        cursor = new BlockCursor(ancestor, ancestorHash.toLowerCase(java.util.Locale.ROOT));
        return count;
    }

    private void deliver(ChainEvent e) {
        try {
            listener.onEvent(e);
        } catch (RuntimeException ex) {
            LOG.error("listener of {} failed on {} {}#{}", contract, e.name(), e.txHash(), e.logIndex(), ex);
        }
    }

    private ChainEvent toEvent(JsonNode log, boolean removed) {
        List<String> topics = new ArrayList<>();
        log.path("topics").forEach(t -> topics.add(t.asText()));
        EventDecoder.Decoded d = decoder.decode(topics, log.path("data").asText("0x"));
        return new ChainEvent(rpc.chain(), contract, d.name(), JsonRpcClient.quantity(log.get("blockNumber")),
                log.get("blockHash").asText().toLowerCase(java.util.Locale.ROOT),
                log.get("transactionHash").asText().toLowerCase(java.util.Locale.ROOT),
                (int) JsonRpcClient.quantity(log.get("logIndex")), d.fields(), removed);
    }

    private String blockHash(long number) {
        String h = blockHashOrNull(number);
        if (h == null) {
            throw new io.iotpay.api.chain.ChainUnavailableException(rpc.chain(), "block " + number
                    + " is not available on " + rpc.safeEndpoint());
        }
        return h;
    }

    private String blockHashOrNull(long number) {
        JsonNode b = rpc.call("eth_getBlockByNumber", JsonRpcClient.hex(number), false);
        return b == null || b.isNull() || b.isMissingNode() ? null : b.path("hash").asText().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public BlockCursor cursor() {
        synchronized (lock) {
            return cursor;
        }
    }

    @Override
    public void close() {
        closed.set(true);
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }
}
