package io.iotpay.chain.evm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;
import io.iotpay.chain.evm.internal.tx.EvmTransaction;
import io.iotpay.chain.evm.internal.tx.TxSigner;
import io.iotpay.wallet.internal.WalletConfig;
import io.iotpay.wallet.internal.WalletService;

/**
 * The connector with the real wallet as signer on a real anvil (H4(a)): the wallet computes the signing hash from the
 * whole transaction it is given, its signature is accepted by the node for EIP-1559 and legacy transactions, the
 * policy still refuses an over-limit transfer (nothing broadcast, no nonce gap), and the connector broadcasts nothing
 * whose signature does not recover to the sender over its own signing hash.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalletSignedTransactionsTest {

    @TempDir
    static Path dir;

    private Devchain chain;
    private WalletService wallet;
    private AccountId sender;
    private AccountId payee;

    @BeforeAll
    void start() {
        chain = Devchain.start();
        wallet = new WalletService(config(dir.resolve("keystore").toString()));
        BigInteger key = new BigInteger(1, Numeric.hexStringToByteArray("0x" + "17".repeat(32)));
        AccountInfo a = wallet.importPrivateKey("sender", ChainId.DEVNET, Numeric.toBytesPadded(key, 32));
        sender = a.account();
        assertEquals(TestKeys.address(key), sender.address());
        chain.deployer.setBalance(sender.address(), BigInteger.TEN.pow(19));
        payee = chain.keys.newAccount();
        wallet.setPolicy(sender, new SpendingPolicy(null, Amount.parse("1", chain.connector.nativeAsset()), Map.of(),
                null, Set.of(payee), null, ZoneId.of("UTC")));
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    private EvmSettings settings(String txType) {
        return EvmSettings.from(Devchain.config(chain.anvil.rpcUri().toString(), chain.deployment, txType, "3000000",
                31337));
    }

    /** As in production ({@link EvmChainConnector}): the wallet service is the signer. */
    private EvmConnectorCore walletConnector(String txType) {
        EvmSettings settings = settings(txType);
        return new EvmConnectorCore(settings, EvmChainConnector.walletSigner(wallet, settings));
    }

    private long pendingNonce(AccountId a) {
        return JsonRpcClient.quantity(chain.evm().rpc().call("eth_getTransactionCount", a.address(), "pending"));
    }

    @Test
    void walletSignedTransfersLandAndTheOverLimitOneIsRefusedWithoutANonceGap() {
        for (String type : new String[] { "eip1559", "legacy" }) {
            EvmConnectorCore c = walletConnector(type);
            try {
                BigInteger before = chain.balance(payee.address());
                chain.mined(c.transfer(sender, payee, Amount.parse("0.1", c.nativeAsset())));
                assertEquals(before.add(new BigInteger("100000000000000000")), chain.balance(payee.address()), type);
            } finally {
                c.close();
            }
        }
        EvmConnectorCore c = walletConnector("eip1559");
        try {
            long nonce = pendingNonce(sender);
            // 0.2 already spent today; 0.9 more is over the 1 ETH day limit
            SpendingRefusedException e = assertThrows(SpendingRefusedException.class,
                    () -> c.transfer(sender, payee, Amount.parse("0.9", c.nativeAsset())));
            assertEquals(SpendingRefusedException.Reason.DAY_LIMIT, e.reason());
            assertEquals(nonce, pendingNonce(sender), "nothing was broadcast");
            chain.mined(c.transfer(sender, payee, Amount.parse("0.05", c.nativeAsset())));
            assertEquals(nonce + 1, pendingNonce(sender), "the refused transfer left no nonce gap");
        } finally {
            c.close();
        }
    }

    @Test
    void aSignatureThatDoesNotRecoverToTheSenderOverTheConnectorsHashIsNotBroadcast() {
        AtomicInteger calls = new AtomicInteger();
        // a signer that disagrees with the connector about the transaction (here: another nonce), e.g. a wallet or
        // connector bug: the signature is valid for some transaction, but not for the one the connector would send
        TxSigner skewed = (from, tx, hash) -> {
            calls.incrementAndGet();
            EvmTransaction other = new EvmTransaction(tx.type(), tx.chainId(), tx.nonce().add(BigInteger.ONE),
                    tx.gasLimit(), tx.gasPrice(), tx.maxPriorityFeePerGas(), tx.maxFeePerGas(), tx.to(), tx.value(),
                    tx.data());
            return wallet.signTransaction(from, EvmChainConnector.unsigned(other, chain.connector.settings()))
                    .bytes();
        };
        // and one that signs with a different key
        AccountId stranger = chain.keys.newAccount();
        TxSigner wrongKey = (from, tx, hash) -> {
            calls.incrementAndGet();
            return chain.keys.sign(stranger, tx, hash);
        };
        for (TxSigner s : new TxSigner[] { skewed, wrongKey }) {
            EvmConnectorCore c = new EvmConnectorCore(settings("eip1559"), s);
            try {
                long nonce = pendingNonce(sender);
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> c.transfer(sender, payee, Amount.ofUnits(1, c.nativeAsset())));
                assertTrue(e.getMessage().contains("not broadcast"), e.getMessage());
                assertEquals(nonce, pendingNonce(sender), "nothing was broadcast");
            } finally {
                c.close();
            }
        }
        assertEquals(2, calls.get());
    }

    static WalletConfig config(String folder) {
        return new WalletConfig() {
            @Override public Class<? extends Annotation> annotationType() { return WalletConfig.class; }
            @Override public String keystoreFolder() { return folder; }
            @Override public String passphrase() { return "test passphrase"; }
            @Override public int scryptN() { return 1024; }
            @Override public int scryptR() { return 8; }
            @Override public int scryptP() { return 1; }
            @Override public String defaultDailyLimitUnits() { return "0"; }
            @Override public String keystoreImportChain() { return "eip155:31337"; }
            @Override public String dayZone() { return "UTC"; }
        };
    }
}
