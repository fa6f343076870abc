package io.iotpay.wallet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.EvmTransactionFields;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.api.wallet.SpendingRefusedException.Reason;
import io.iotpay.api.wallet.UnsignedTransaction;
import io.iotpay.wallet.internal.crypto.BouncyCastleSecp256k1;
import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.crypto.EthAddress;
import io.iotpay.wallet.internal.tx.EvmSigningPayload;

/**
 * Security finding H4(a): the wallet computes the digest of a transaction signature itself, from the whole
 * transaction. Vectors: EIP-155's published example, and EIP-1559 transactions computed independently with ethers
 * 6.17.0 (commands in the comments); web3j's {@code TransactionEncoder} cross-checks random transactions.
 */
class TransactionSigningTest {

    /** The private key of EIP-155's example, 0x4646...46. */
    static final byte[] KEY_46 = Bytes.fromHex("46".repeat(32), "key");
    static final Asset MAINNET_ETH = Asset.nativeCoin(ChainId.ETHEREUM, 18, "ETH");
    static final Asset ETH = Asset.DEVNET_ETH;
    static final AccountId PAYEE = WalletServiceTest.PAYEE;
    static final AccountId ATTACKER = AccountId.of(ChainId.DEVNET, "0x90f79bf6eb2c4f870365e785982e1f101e93b906");

    @TempDir
    Path dir;
    WalletService wallet;

    @AfterEach
    void stop() {
        if (wallet != null) {
            wallet.deactivate();
        }
    }

    private WalletService start() {
        wallet = TestWallets.start(dir.resolve("keystore"), "pass");
        return wallet;
    }

    /** The example transaction of EIP-155: nonce 9, 20 gwei, 21000 gas, 1 ether to 0x3535...35, chain id 1. */
    static UnsignedTransaction eip155Example() {
        return new UnsignedTransaction(AccountId.of(ChainId.ETHEREUM, "0x" + "35".repeat(20)),
                Amount.ofUnits(new BigInteger("1000000000000000000"), MAINNET_ETH), null,
                EvmTransactionFields.legacy(ChainId.ETHEREUM, BigInteger.valueOf(9), BigInteger.valueOf(21000),
                        new BigInteger("20000000000")));
    }

    @Test
    void legacyHashAndSignatureEqualEip155sExample() {
        UnsignedTransaction tx = eip155Example();
        // EIP-155, "Example": signing data and signing hash
        assertEquals("0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080",
                Bytes.toHex0x(EvmSigningPayload.payload(tx)));
        assertEquals("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53",
                Bytes.toHex0x(EvmSigningPayload.signingHash(tx)));

        WalletService w = start();
        AccountInfo a = w.importPrivateKey("eip155-example", ChainId.ETHEREUM, KEY_46.clone());
        w.setPolicy(a.account(), new SpendingPolicy(null, Amount.parse("2", MAINNET_ETH), Map.of(), null,
                Set.of(tx.to()), null, ZoneId.of("UTC")));
        Signature s = w.signTransaction(a.account(), tx);
        // EIP-155's signed transaction has v = 37 (recovery id 0), and these r and s (RFC 6979, deterministic)
        assertEquals("0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276"
                + "67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83" + "1b", s.toHex());
        assertEquals(Amount.parse("1", MAINNET_ETH), w.spentToday(a.account()), "the policy charged the value");
    }

    @Test
    void eip1559HashesEqualEthers() {
        // ethers 6.17.0 (tools/node_modules), node:
        //   Transaction.from({type: 2, chainId: 31337, nonce: 7, maxPriorityFeePerGas: 1500000000n,
        //     maxFeePerGas: 42000000000n, gasLimit: 91234n, to: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
        //     value: 123456789n, data: "0xa9059cbb<address 0x90f7..b906><uint256 10>", accessList: []})
        //   .unsignedSerialized = 0x02f874827a69078459682f008509c7652400830164629470997970c51812dc3a010c7d01b50e0d
        //     17dc79c884075bcd15b844a9059cbb...0ac0
        //   .unsignedHash = 0xe403c73cb7d1a733f6c2c16c5de5eaf088abcf53856097220a6d81ff467c48dc
        byte[] transfer = WalletServiceTest.call("a9059cbb", ATTACKER, BigInteger.TEN);
        UnsignedTransaction call = new UnsignedTransaction(PAYEE, Amount.ofUnits(123456789, ETH), transfer,
                EvmTransactionFields.eip1559(ChainId.DEVNET, BigInteger.valueOf(7), BigInteger.valueOf(91234),
                        BigInteger.valueOf(1_500_000_000L), BigInteger.valueOf(42_000_000_000L)));
        assertEquals("0x02f874827a69078459682f008509c7652400830164629470997970c51812dc3a010c7d01b50e0d17dc79c8840"
                + "75bcd15b844a9059cbb00000000000000000000000090f79bf6eb2c4f870365e785982e1f101e93b90600000000000000"
                + "0000000000000000000000000000000000000000000000000ac0", Bytes.toHex0x(EvmSigningPayload.payload(call)));
        assertEquals("0xe403c73cb7d1a733f6c2c16c5de5eaf088abcf53856097220a6d81ff467c48dc",
                Bytes.toHex0x(EvmSigningPayload.signingHash(call)));

        // Transaction.from({type: 2, chainId: 56, nonce: 0, maxPriorityFeePerGas: 0n, maxFeePerGas: 3000000000n,
        //   gasLimit: 3000000n, to: null, value: 0n, data: "0x6080604052", accessList: []})
        //   .unsignedSerialized = 0x02d538808084b2d05e00832dc6c08080856080604052c0
        //   .unsignedHash = 0xa535e856ad03172e2ff9a0c294e796e823bb84d60f4c7577f6dcbd715ef52b0e
        UnsignedTransaction create = new UnsignedTransaction(null, Amount.zero(Asset.BNB),
                Bytes.fromHex("6080604052", "code"), EvmTransactionFields.eip1559(ChainId.BSC, BigInteger.ZERO,
                        BigInteger.valueOf(3_000_000), BigInteger.ZERO, BigInteger.valueOf(3_000_000_000L)));
        assertEquals("0x02d538808084b2d05e00832dc6c08080856080604052c0",
                Bytes.toHex0x(EvmSigningPayload.payload(create)));
        assertEquals("0xa535e856ad03172e2ff9a0c294e796e823bb84d60f4c7577f6dcbd715ef52b0e",
                Bytes.toHex0x(EvmSigningPayload.signingHash(create)));
    }

    @Test
    void eip1559SignatureEqualsEthers() {
        // ethers 6.17.0: t = Transaction.from({type: 2, chainId: 31337, nonce: 3, maxPriorityFeePerGas: 1000000000n,
        //   maxFeePerGas: 30000000000n, gasLimit: 21000n, to: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
        //   value: 250000000000000000n, data: "0x", accessList: []});
        //   new Wallet("0x" + "46".repeat(32)).signingKey.sign(t.unsignedHash):
        //   unsignedHash 0x5ac15b78fadec6298ca233dc531a6760e911404caef712cb94d4d2e57351e1b7,
        //   r 0x7d0e6adfec5c10b91b5431fcf42a76d6c3200e1451c5a82744783e26ce98f79c,
        //   s 0x32737a05fd124744f9f68b6357f156561546e1b9dd8aa2594fb9044a9c27e886, yParity 1
        UnsignedTransaction tx = new UnsignedTransaction(PAYEE, Amount.parse("0.25", ETH), null,
                EvmTransactionFields.eip1559(ChainId.DEVNET, BigInteger.valueOf(3), BigInteger.valueOf(21000),
                        BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(30_000_000_000L)));
        assertEquals("0x5ac15b78fadec6298ca233dc531a6760e911404caef712cb94d4d2e57351e1b7",
                Bytes.toHex0x(EvmSigningPayload.signingHash(tx)));
        WalletService w = start();
        AccountInfo a = w.importPrivateKey("k46", ChainId.DEVNET, KEY_46.clone());
        w.setPolicy(a.account(), new SpendingPolicy(null, Amount.parse("1", ETH), Map.of(), null, Set.of(PAYEE),
                null, ZoneId.of("UTC")));
        assertEquals("0x7d0e6adfec5c10b91b5431fcf42a76d6c3200e1451c5a82744783e26ce98f79c"
                + "32737a05fd124744f9f68b6357f156561546e1b9dd8aa2594fb9044a9c27e886" + "1c",
                w.signTransaction(a.account(), tx).toHex());
    }

    @Test
    void randomTransactionsEncodeLikeWeb3jsTransactionEncoder() {
        Random r = new Random(20261122);
        for (int i = 0; i < 200; i++) {
            long chain = 1 + r.nextInt(100_000);
            BigInteger nonce = new BigInteger(1 + r.nextInt(64), r);
            BigInteger gas = new BigInteger(1 + r.nextInt(40), r).add(BigInteger.ONE);
            BigInteger value = new BigInteger(r.nextInt(256), r);
            byte[] data = new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(300)];
            r.nextBytes(data);
            byte[] to = new byte[20];
            r.nextBytes(to);
            boolean create = r.nextInt(5) == 0;
            String toHex = create ? "" : Numeric.toHexString(to);
            ChainId c = ChainId.eip155(chain);
            AccountId toId = create ? null : AccountId.of(c, toHex);
            Amount amount = Amount.ofUnits(value, Asset.nativeCoin(c, 18, "X"));
            RawTransaction expected;
            byte[] web3j;
            UnsignedTransaction ours;
            if (r.nextBoolean()) {
                BigInteger price = new BigInteger(r.nextInt(80), r);
                ours = new UnsignedTransaction(toId, amount, data, EvmTransactionFields.legacy(c, nonce, gas, price));
                expected = RawTransaction.createTransaction(nonce, price, gas, toHex, value, Numeric.toHexString(data));
                web3j = TransactionEncoder.encode(expected, chain);
            } else {
                BigInteger max = new BigInteger(r.nextInt(80), r);
                BigInteger tip = max.signum() == 0 ? BigInteger.ZERO : new BigInteger(max.bitLength(), r).mod(max);
                ours = new UnsignedTransaction(toId, amount, data, EvmTransactionFields.eip1559(c, nonce, gas, tip,
                        max));
                expected = RawTransaction.createTransaction(chain, nonce, gas, toHex, value,
                        Numeric.toHexString(data), tip, max);
                web3j = TransactionEncoder.encode(expected);
            }
            assertEquals(Numeric.toHexString(web3j), Bytes.toHex0x(EvmSigningPayload.payload(ours)), ours.toString());
        }
    }

    @Test
    void aCallerCannotGetASignatureOverTheHashOfAnotherTransaction() {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", WalletServiceTest.ANVIL, ChainId.DEVNET, 0);
        w.setPolicy(a.account(), new SpendingPolicy(null, Amount.ofUnits(1000, ETH), Map.of(), null, Set.of(PAYEE),
                null, ZoneId.of("UTC")));
        EvmTransactionFields f = WalletServiceTest.fields(5);
        // the old attack: show the policy a harmless transaction, have the hash of a harmful one signed. The API has
        // no parameter for a hash any more (WalletTypesTest.noWalletMethodTakesACallerComputedDigest); what is signed
        // is the harmless transaction and only that.
        UnsignedTransaction benign = new UnsignedTransaction(PAYEE, Amount.ofUnits(1, ETH), null, f);
        UnsignedTransaction harmful = new UnsignedTransaction(ATTACKER, Amount.ofUnits(10_000, ETH), null, f);
        Signature s = w.signTransaction(a.account(), benign);
        BouncyCastleSecp256k1 secp = new BouncyCastleSecp256k1();
        assertEquals(a.account().address(), Bytes.toHex0x(EthAddress.fromPublicKey(secp.recover(
                EvmSigningPayload.signingHash(benign), s.bytes()))));
        assertNotEquals(a.account().address(), Bytes.toHex0x(EthAddress.fromPublicKey(secp.recover(
                EvmSigningPayload.signingHash(harmful), s.bytes()))), "the signature does not authorise the harmful one");
        // the harmful transaction itself goes through the policy and is refused
        assertEquals(Reason.PAYEE_NOT_ALLOWED, assertThrows(SpendingRefusedException.class,
                () -> w.signTransaction(a.account(), harmful)).reason());
        // every field is bound: changing nonce, fees, gas, chain or type changes the digest
        byte[] h = EvmSigningPayload.signingHash(benign);
        for (EvmTransactionFields other : new EvmTransactionFields[] { WalletServiceTest.fields(6),
                EvmTransactionFields.eip1559(ChainId.DEVNET, f.nonce(), f.gasLimit().add(BigInteger.ONE),
                        f.maxPriorityFeePerGas(), f.maxFeePerGas()),
                EvmTransactionFields.eip1559(ChainId.DEVNET, f.nonce(), f.gasLimit(), BigInteger.ZERO,
                        f.maxFeePerGas()),
                EvmTransactionFields.legacy(ChainId.DEVNET, f.nonce(), f.gasLimit(), f.maxFeePerGas()) }) {
            assertTrue(!Arrays.equals(h, EvmSigningPayload.signingHash(new UnsignedTransaction(PAYEE,
                    Amount.ofUnits(1, ETH), null, other))), other.toString());
        }
    }

    @Test
    void fieldsForAnotherChainAreRefusedNamingBothChains() {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", WalletServiceTest.ANVIL, ChainId.DEVNET, 0);
        w.setPolicy(a.account(), new SpendingPolicy(null, Amount.ofUnits(1000, ETH), Map.of(), null, Set.of(PAYEE),
                null, ZoneId.of("UTC")));
        // a transaction bound to BSC (chain id 56), presented for the devnet account: a replay on another chain
        UnsignedTransaction onBsc = new UnsignedTransaction(AccountId.of(ChainId.BSC, PAYEE.address()),
                Amount.ofUnits(1, Asset.BNB), null, EvmTransactionFields.eip1559(ChainId.BSC, BigInteger.ZERO,
                        BigInteger.valueOf(21000), BigInteger.ONE, BigInteger.TEN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.signTransaction(a.account(), onBsc));
        assertTrue(e.getMessage().contains("eip155:56") && e.getMessage().contains("eip155:31337"), e.getMessage());
        // a Tezos account signs no EVM transaction
        AccountInfo tz = w.deriveAccount("tz", ChainId.TEZOS_MAINNET, 0);
        UnsignedTransaction evm = new UnsignedTransaction(PAYEE, Amount.ofUnits(1, ETH), null,
                WalletServiceTest.fields());
        assertThrows(IllegalArgumentException.class, () -> w.signTransaction(tz.account(), evm));
        assertEquals(Amount.zero(ETH), w.spentToday(a.account()));
    }

    @Test
    void thePolicyStillRefusesAnOverLimitTransfer() {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", WalletServiceTest.ANVIL, ChainId.DEVNET, 0);
        w.setPolicy(a.account(), new SpendingPolicy(null, Amount.ofUnits(1000, ETH), Map.of(), null, Set.of(PAYEE),
                null, ZoneId.of("UTC")));
        w.signTransaction(a.account(), new UnsignedTransaction(PAYEE, Amount.ofUnits(600, ETH), null,
                WalletServiceTest.fields(0)));
        SpendingRefusedException e = assertThrows(SpendingRefusedException.class, () -> w.signTransaction(
                a.account(), new UnsignedTransaction(PAYEE, Amount.ofUnits(401, ETH), null,
                        WalletServiceTest.fields(1))));
        assertEquals(Reason.DAY_LIMIT, e.reason());
        assertEquals(Amount.ofUnits(1001, ETH), e.attemptedTotal());
        // other fees or another nonce do not get it through either
        assertEquals(Reason.DAY_LIMIT, assertThrows(SpendingRefusedException.class, () -> w.signTransaction(
                a.account(), new UnsignedTransaction(PAYEE, Amount.ofUnits(401, ETH), null,
                        EvmTransactionFields.legacy(ChainId.DEVNET, BigInteger.TWO, BigInteger.valueOf(21000),
                                BigInteger.ONE)))).reason());
        assertEquals(Amount.ofUnits(600, ETH), w.spentToday(a.account()));
        // within the limit it still signs
        w.signTransaction(a.account(), new UnsignedTransaction(PAYEE, Amount.ofUnits(400, ETH), null,
                WalletServiceTest.fields(1)));
        assertEquals(Amount.ofUnits(1000, ETH), w.spentToday(a.account()));
    }
}
