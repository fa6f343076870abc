package io.iotpay.chain.evm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.utils.Numeric;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainUnavailableException;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.money.Amount;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;
import io.iotpay.chain.evm.internal.tx.EvmTransaction;
import io.iotpay.chain.evm.internal.tx.TxSigner;

/**
 * Security review H3: a broadcast whose first attempt reached the node (the answer was lost) must not become a second,
 * re-signed transaction. A real anvil; the "lost answer" is simulated by a signer that pushes the signed bytes to the
 * node itself before the sender broadcasts them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetriedBroadcastTest {

    private Devchain chain;

    @BeforeAll
    void start() {
        chain = Devchain.start();
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    /** Signs with the test keys and broadcasts the signed bytes directly first (the attempt whose answer is lost). */
    private final class EarlyBroadcaster implements TxSigner {
        final AtomicInteger signatures = new AtomicInteger();
        final List<String> hashes = new ArrayList<>();
        Runnable afterBroadcast = () -> { };

        @Override
        public byte[] sign(AccountId from, EvmTransaction tx, byte[] signingHash) {
            byte[] sig = chain.keys.sign(from, tx, signingHash);
            signatures.incrementAndGet();
            byte[] raw = tx.encodeSigned(sig);
            chain.evm().rpc().call("eth_sendRawTransaction", Numeric.toHexString(raw));
            hashes.add(EvmTransaction.hashOf(raw));
            afterBroadcast.run();
            return sig;
        }
    }

    private EvmConnectorCore connector(String url, TxSigner signer) {
        return new EvmConnectorCore(EvmSettings.from(Devchain.config(url, chain.deployment, "eip1559", "3000000",
                31337)), signer);
    }

    private long nonceOf(AccountId a) {
        return JsonRpcClient.quantity(chain.evm().rpc().call("eth_getTransactionCount", a.address(), "latest"));
    }

    @Test
    void sameBytesAlreadyMinedAreOurTransactionNotANonceConflict() {
        AccountId sender = chain.funded(1);
        AccountId to = chain.keys.newAccount();
        EarlyBroadcaster signer = new EarlyBroadcaster();
        EvmConnectorCore c = connector(chain.anvil.rpcUri().toString(), signer);
        try {
            // anvil mines the early copy at once, so the sender's own broadcast gets "nonce too low"
            TxHash h = c.transfer(sender, to, Amount.ofUnits(1234, c.nativeAsset()));
            assertEquals(List.of(h.hash()), signer.hashes, "the hash of our own bytes is returned");
            chain.mined(h);
            assertEquals(1, signer.signatures.get(), "never re-signed");
            assertEquals(1, nonceOf(sender), "exactly one transaction");
            assertEquals(BigInteger.valueOf(1234), chain.balance(to.address()), "value moved once");
            // the nonce counter moved past our transaction: the next send is a new transaction at nonce 1
            signer.afterBroadcast = () -> { };
            TxHash next = chain.connector.transfer(sender, to, Amount.ofUnits(1, c.nativeAsset()));
            chain.mined(next);
            assertEquals(2, nonceOf(sender));
        } finally {
            c.close();
        }
    }

    @Test
    void sameBytesStillPendingAreAlreadyKnownAndCountAsSent() {
        AccountId sender = chain.funded(1);
        AccountId to = chain.keys.newAccount();
        EarlyBroadcaster signer = new EarlyBroadcaster();
        EvmConnectorCore c = connector(chain.anvil.rpcUri().toString(), signer);
        chain.admin.call("evm_setAutomine", false);
        TxHash h;
        try {
            // the early copy waits in the pool: anvil answers "transaction already imported" to the same bytes
            h = c.transfer(sender, to, Amount.ofUnits(777, c.nativeAsset()));
        } finally {
            chain.admin.call("evm_setAutomine", true);
            chain.admin.call("evm_mine");
        }
        try {
            assertEquals(List.of(h.hash()), signer.hashes);
            chain.mined(h);
            assertEquals(1, signer.signatures.get());
            assertEquals(1, nonceOf(sender));
            assertEquals(BigInteger.valueOf(777), chain.balance(to.address()));
        } finally {
            c.close();
        }
    }

    /**
     * A JSON-RPC forwarder in front of anvil that, while {@code loseAnswers} is set, forwards eth_sendRawTransaction
     * but answers HTTP 503 (a gateway whose upstream processed the request and whose answer was lost).
     */
    private static final class LossyGateway implements AutoCloseable {
        final com.sun.net.httpserver.HttpServer server;
        final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        volatile boolean loseAnswers;

        LossyGateway(java.net.URI upstream) throws java.io.IOException {
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(
                    java.net.InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                byte[] answer;
                try {
                    answer = http.send(java.net.http.HttpRequest.newBuilder(upstream)
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    answer = new byte[0];
                }
                boolean lost = loseAnswers && new String(body, java.nio.charset.StandardCharsets.UTF_8)
                        .contains("eth_sendRawTransaction");
                if (lost) {
                    ex.sendResponseHeaders(503, -1);
                } else {
                    ex.getResponseHeaders().add("Content-Type", "application/json");
                    ex.sendResponseHeaders(200, answer.length);
                    ex.getResponseBody().write(answer);
                }
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Signs with the test keys and counts signatures and the hashes of what was signed. */
    private final class CountingSigner implements TxSigner {
        final AtomicInteger signatures = new AtomicInteger();
        final List<String> hashes = new ArrayList<>();

        @Override
        public byte[] sign(AccountId from, EvmTransaction tx, byte[] signingHash) {
            byte[] sig = chain.keys.sign(from, tx, signingHash);
            signatures.incrementAndGet();
            hashes.add(EvmTransaction.hashOf(tx.encodeSigned(sig)));
            return sig;
        }
    }

    @Test
    void callerRetryAfterATimeoutReturnsTheTransactionThatLandedInsteadOfSendingAgain() throws Exception {
        AccountId sender = chain.funded(1);
        AccountId to = chain.keys.newAccount();
        CountingSigner signer = new CountingSigner();
        try (LossyGateway gw = new LossyGateway(chain.anvil.rpcUri())) {
            EvmConnectorCore c = connector(gw.url(), signer);
            try {
                // the bytes reach the node (anvil mines them), every answer is lost: the send fails as unavailable
                gw.loseAnswers = true;
                Amount value = Amount.ofUnits(4321, c.nativeAsset());
                assertThrows(ChainUnavailableException.class, () -> c.transfer(sender, to, value));
                assertEquals(1, nonceOf(sender), "the first attempt landed");
                gw.loseAnswers = false;
                // the caller retries the same transfer: the earlier transaction landed, so it is the answer
                TxHash h = c.transfer(sender, to, value);
                assertEquals(signer.hashes.get(0), h.hash());
                chain.mined(h);
                assertEquals(1, signer.signatures.get(), "not signed again");
                assertEquals(1, nonceOf(sender), "exactly one transaction");
                assertEquals(BigInteger.valueOf(4321), chain.balance(to.address()), "value moved once");
                // a later, new transfer of another amount is sent normally with the next nonce
                chain.mined(c.transfer(sender, to, Amount.ofUnits(1, c.nativeAsset())));
                assertEquals(2, nonceOf(sender));
                assertEquals(BigInteger.valueOf(4322), chain.balance(to.address()));
            } finally {
                c.close();
            }
        }
    }
}
