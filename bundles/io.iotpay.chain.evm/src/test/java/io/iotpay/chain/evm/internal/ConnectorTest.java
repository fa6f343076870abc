package io.iotpay.chain.evm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.ChainMismatchException;
import io.iotpay.api.chain.ChainStatus;
import io.iotpay.api.chain.ChainUnavailableException;
import io.iotpay.api.chain.GasLimitExceededException;
import io.iotpay.api.chain.InsufficientFundsException;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.chain.TxReceipt;
import io.iotpay.api.money.Amount;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;
import io.iotpay.devnet.internal.AnvilProcess;

/** The connector against a real anvil: nonces under concurrency and restarts, typed errors, confirmations. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectorTest {

    private Devchain chain;

    @BeforeAll
    void start() {
        chain = Devchain.start();
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    private long nonceOf(AccountId a) {
        return JsonRpcClient.quantity(chain.evm().rpc().call("eth_getTransactionCount", a.address(), "latest"));
    }

    @Test
    void fiftyConcurrentTransfersFromOneAccountAllLand() throws Exception {
        AccountId sender = chain.funded(100);
        List<AccountId> recipients = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            recipients.add(chain.keys.newAccount());
        }
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<TxHash>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                AccountId to = recipients.get(i);
                long units = 1_000 + i;
                futures.add(pool.submit((Callable<TxHash>) () -> chain.connector.transfer(sender, to,
                        Amount.ofUnits(units, chain.connector.nativeAsset()))));
            }
            Set<String> hashes = new HashSet<>();
            Set<Long> nonces = new HashSet<>();
            for (Future<TxHash> f : futures) {
                TxHash h = f.get();
                assertTrue(hashes.add(h.hash()));
                TxReceipt r = chain.connector.awaitReceipt(h, 1, Duration.ofSeconds(60));
                assertTrue(r.success());
                nonces.add(JsonRpcClient.quantity(chain.evm().rpc().call("eth_getTransactionByHash", h.hash())
                        .get("nonce")));
            }
            assertEquals(50, nonces.size(), "50 distinct nonces");
            assertEquals(0L, nonces.stream().mapToLong(Long::longValue).min().orElseThrow());
            assertEquals(49L, nonces.stream().mapToLong(Long::longValue).max().orElseThrow());
            assertEquals(50, nonceOf(sender));
            for (int i = 0; i < 50; i++) {
                assertEquals(BigInteger.valueOf(1_000 + i), chain.balance(recipients.get(i).address()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nonceSurvivesARestartAndAForeignSender() {
        AccountId sender = chain.funded(10);
        AccountId to = chain.keys.newAccount();
        Amount one = Amount.ofUnits(1, chain.connector.nativeAsset());
        chain.mined(chain.connector.transfer(sender, to, one));
        chain.mined(chain.connector.transfer(sender, to, one));
        // a "restarted" connector (fresh nonce cache) continues at the node's pending count
        EvmConnectorCore restarted = new EvmConnectorCore(chain.connector.settings(), chain.keys);
        chain.mined(restarted.transfer(sender, to, one));
        // the first connector's cache is now stale (it thinks the next nonce is 2): it re-syncs on "nonce too low"
        chain.mined(chain.connector.transfer(sender, to, one));
        assertEquals(4, nonceOf(sender));
        assertEquals(BigInteger.valueOf(4), chain.balance(to.address()));
        restarted.close();
    }

    @Test
    void legacyTransactionsWork() {
        EvmConnectorCore legacy = new EvmConnectorCore(EvmSettings.from(Devchain.config(chain.anvil.rpcUri().toString(),
                chain.deployment, "legacy", "3000000", 31337)), chain.keys);
        AccountId sender = chain.funded(1);
        AccountId to = chain.keys.newAccount();
        TxHash h = legacy.transfer(sender, to, Amount.ofUnits(777, legacy.nativeAsset()));
        assertTrue(legacy.awaitReceipt(h, 1, Duration.ofSeconds(30)).success());
        assertEquals("0x0", chain.evm().rpc().call("eth_getTransactionByHash", h.hash()).get("type").asText());
        assertEquals(BigInteger.valueOf(777), chain.balance(to.address()));
        TxHash h2 = chain.connector.transfer(sender, to, Amount.ofUnits(1, legacy.nativeAsset()));
        chain.mined(h2);
        assertEquals("0x2", chain.evm().rpc().call("eth_getTransactionByHash", h2.hash()).get("type").asText());
        legacy.close();
    }

    @Test
    void chainIdIsCheckedAgainstTheNode() {
        EvmConnectorCore wrong = new EvmConnectorCore(EvmSettings.from(Devchain.config(chain.anvil.rpcUri().toString(),
                null, "auto", "3000000", 5)), chain.keys);
        ChainMismatchException e = assertThrows(ChainMismatchException.class, wrong::verifyChain);
        assertEquals(ChainId.eip155(5), e.chain());
        assertEquals(ChainId.DEVNET, e.actual());
        ChainStatus s = wrong.status();
        assertFalse(s.reachable());
        assertThrows(ChainMismatchException.class, () -> wrong.balance(AccountId.of(ChainId.eip155(5),
                "0x0000000000000000000000000000000000000001"), wrong.nativeAsset()));
        ChainStatus ok = chain.connector.status();
        assertTrue(ok.reachable());
    }

    @Test
    void gasCapAndInsufficientFundsAreTyped() {
        EvmConnectorCore capped = new EvmConnectorCore(EvmSettings.from(Devchain.config(chain.anvil.rpcUri().toString(),
                chain.deployment, "auto", "26000", 31337)), chain.keys);
        AccountId payer = chain.funded(1);
        AccountId payee = chain.keys.newAccount();
        var scheme = (io.iotpay.chain.evm.internal.scheme.IotpaySettlementScheme) capped.settlement();
        GasLimitExceededException e = assertThrows(GasLimitExceededException.class, () -> scheme.open(payer, payee,
                Amount.ofUnits(1000, capped.nativeAsset()), scheme.newSalt(Duration.ofMinutes(5)), null));
        assertTrue(e.getMessage().contains("above the cap of 26000"), e.getMessage());
        // a plain transfer (21000 + 20 %) fits
        chain.mined(capped.transfer(payer, payee, Amount.ofUnits(1, capped.nativeAsset())));
        AccountId broke = chain.keys.newAccount();
        assertThrows(InsufficientFundsException.class, () -> chain.connector.transfer(broke, payee,
                Amount.ofUnits(1, chain.connector.nativeAsset())));
        capped.close();
    }

    @Test
    void confirmationsWaitForDepth() {
        AccountId sender = chain.funded(1);
        TxHash h = chain.connector.transfer(sender, chain.keys.newAccount(), Amount.ofUnits(1,
                chain.connector.nativeAsset()));
        assertEquals(1, chain.connector.awaitReceipt(h, 1, Duration.ofSeconds(30)).confirmations());
        ChainUnavailableException timeout = assertThrows(ChainUnavailableException.class,
                () -> chain.connector.awaitReceipt(h, 3, Duration.ofMillis(300)));
        assertTrue(timeout.getMessage().contains("3 confirmation"), timeout.getMessage());
        chain.admin.call("evm_mine");
        chain.admin.call("evm_mine");
        TxReceipt r = chain.connector.awaitReceipt(h, 3, Duration.ofSeconds(10));
        assertEquals(3, r.confirmations());
    }

    @Test
    void unreachableNodeIsATypedErrorAfterRetries() {
        int port = AnvilProcess.freePort();
        EvmConnectorCore dead = new EvmConnectorCore(EvmSettings.from(Devchain.config("http://127.0.0.1:" + port
                + "/secret-api-key", null, "auto", "3000000", 31337)), chain.keys);
        ChainUnavailableException e = assertThrows(ChainUnavailableException.class, dead::verifyChain);
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-api-key"), "the URL path must not leak into messages");
        assertFalse(dead.status().reachable());
    }
}
