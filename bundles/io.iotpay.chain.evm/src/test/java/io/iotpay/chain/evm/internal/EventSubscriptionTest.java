package io.iotpay.chain.evm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.BlockCursor;
import io.iotpay.api.chain.ChainEvent;
import io.iotpay.api.chain.Subscription;
import io.iotpay.api.chain.TxHash;
import io.iotpay.chain.evm.internal.abi.AbiEventDecoder;
import io.iotpay.chain.evm.internal.abi.ContractArtifact;
import io.iotpay.chain.evm.internal.events.EventPoller;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;
import io.iotpay.chain.evm.internal.rpc.RetryPolicy;
import io.iotpay.chain.evm.internal.scheme.EvmAnchorClient;

/** Event subscriptions: dropped RPC connections, resuming from a stored cursor, reorgs (evm_snapshot/evm_revert). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventSubscriptionTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private Devchain chain;
    private AccountId notary;
    private EvmAnchorClient anchors;
    private long batch = 1;
    private AccountId submitter;

    @BeforeAll
    void start() {
        chain = Devchain.start();
        notary = AccountId.of(chain.evm().chain(), chain.deployment.notary());
        submitter = chain.funded(10);
        anchors = new EvmAnchorClient(chain.evm(), notary, submitter);
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    private TxHash anchor() {
        byte[] root = new byte[32];
        RANDOM.nextBytes(root);
        TxHash tx = anchors.anchor(root, batch++, 1);
        chain.mined(tx);
        return tx;
    }

    private static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static List<String> txs(List<ChainEvent> events) {
        List<String> l = new ArrayList<>();
        events.forEach(e -> l.add(e.txHash()));
        return l;
    }

    @Test
    void droppedConnectionMidSubscriptionResumesWithoutGapsOrDuplicates() throws Exception {
        try (TcpProxy proxy = new TcpProxy(chain.anvil.port())) {
            EvmConnectorCore viaProxy = new EvmConnectorCore(EvmSettings.from(Devchain.config(
                    "http://127.0.0.1:" + proxy.port(), chain.deployment, "eip1559", "3000000", 31337)), chain.keys);
            List<ChainEvent> got = new CopyOnWriteArrayList<>();
            List<String> sent = new ArrayList<>();
            long head = JsonRpcClient.quantity(chain.evm().rpc().call("eth_blockNumber"));
            String headHash = chain.evm().rpc().call("eth_getBlockByNumber", JsonRpcClient.hex(head), false)
                    .get("hash").asText();
            Subscription sub = viaProxy.subscribe(notary, new BlockCursor(head, headHash), got::add);
            for (int i = 0; i < 5; i++) {
                sent.add(anchor().hash());
            }
            await(() -> got.size() >= 5, "first 5 events");
            proxy.down(); // every connection dropped, new ones refused
            for (int i = 0; i < 5; i++) {
                sent.add(anchor().hash());
            }
            Thread.sleep(600); // the poller hits the dead endpoint, gives up the call and backs off
            assertEquals(5, got.size(), "nothing can arrive while the endpoint is down");
            proxy.up();
            for (int i = 0; i < 5; i++) {
                sent.add(anchor().hash());
            }
            await(() -> got.size() >= 15, "all 15 events");
            Thread.sleep(300);
            assertEquals(sent, txs(got), "every event exactly once, in chain order");
            assertTrue(got.stream().noneMatch(ChainEvent::removed));
            assertTrue(got.stream().allMatch(e -> e.name().equals("RootAnchored")));
            assertEquals(anchors.anchorOf(1).isPresent(), true);

            // resume from the stored cursor after closing: exactly the events in between
            BlockCursor stored = sub.cursor();
            sub.close();
            List<String> later = List.of(anchor().hash(), anchor().hash(), anchor().hash());
            List<ChainEvent> resumed = new CopyOnWriteArrayList<>();
            Subscription again = viaProxy.subscribe(notary, stored, resumed::add);
            await(() -> resumed.size() >= 3, "events after the stored cursor");
            Thread.sleep(300);
            assertEquals(later, txs(resumed));
            again.close();
            viaProxy.close();
        }
    }

    @Test
    void reorgEmitsRemovedEventsThenTheCanonicalOnes() {
        JsonRpcClient rpc = new JsonRpcClient(chain.evm().chain(), chain.anvil.rpcUri(), RetryPolicy.DEFAULT);
        List<ChainEvent> got = new ArrayList<>();
        EventPoller poller = new EventPoller(rpc, notary, new AbiEventDecoder(ContractArtifact.load("Notary")), null,
                got::add, new EventPoller.Options(Duration.ofMillis(50), 1000, 1, 64, Duration.ofSeconds(1)));
        poller.pollOnce(); // starts at the head
        TxHash before = anchor();
        poller.pollOnce();
        assertEquals(List.of(before.hash()), txs(got));

        String snapshot = chain.admin.call("evm_snapshot").asText();
        TxHash orphanA = anchor();
        TxHash orphanB = anchor();
        poller.pollOnce();
        assertEquals(List.of(before.hash(), orphanA.hash(), orphanB.hash()), txs(got));
        BlockCursor onOrphan = poller.cursor();

        assertTrue(chain.admin.call("evm_revert", snapshot).asBoolean());
        // evm_revert also rolls back the submitter's nonce (a real reorg returns the transactions to the pool)
        chain.evm().sender().nonces().reset(submitter.address());
        chain.admin.call("evm_mine"); // a different block at the same height
        TxHash canonical = anchor();
        chain.admin.call("evm_mine");
        got.clear();
        while (poller.pollOnce() > 0 || poller.cursor().blockNumber() < onOrphan.blockNumber()) {
            // drain
        }
        // the orphaned events come back removed (newest first), then the canonical event
        assertEquals(3, got.size(), got.toString());
        assertEquals(orphanB.hash(), got.get(0).txHash());
        assertTrue(got.get(0).removed());
        assertEquals(orphanA.hash(), got.get(1).txHash());
        assertTrue(got.get(1).removed());
        assertEquals(canonical.hash(), got.get(2).txHash());
        assertFalse(got.get(2).removed());
        assertNotEquals(onOrphan.blockHash(), chain.evm().rpc().call("eth_getBlockByNumber",
                JsonRpcClient.hex(onOrphan.blockNumber()), false).get("hash").asText());
        Set<String> keys = new HashSet<>();
        got.stream().filter(e -> !e.removed()).forEach(e -> assertTrue(keys.add(e.txHash() + "#" + e.logIndex())));
    }
}
