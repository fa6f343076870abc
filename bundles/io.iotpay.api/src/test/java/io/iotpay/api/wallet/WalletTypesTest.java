package io.iotpay.api.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.AssetMismatchException;
import io.iotpay.api.money.Price;

import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class WalletTypesTest {

    static final Asset ETH = Asset.DEVNET_ETH;
    static final AccountId PAYER = AccountId.of(ChainId.DEVNET, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    static final AccountId PAYEE = AccountId.of(ChainId.DEVNET, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");

    static Amount eth(String s) {
        return Amount.parse(s, ETH);
    }

    @Test
    void paymentIntentRules() {
        PaymentIntent t = PaymentIntent.transfer(PAYER, PAYEE, eth("1"));
        assertEquals(t.increment(), t.cumulative());
        new PaymentIntent(PAYER, PAYEE, eth("0.1"), eth("1"), Price.parse("0.2 ETH/kWh", ETH), "s1", null);
        assertThrows(IllegalArgumentException.class,
                () -> new PaymentIntent(PAYER, PAYEE, eth("2"), eth("1"), null, null, null));
        assertThrows(AssetMismatchException.class,
                () -> new PaymentIntent(PAYER, PAYEE, eth("1"), Amount.ofUnits(1, Asset.BNB), null, null, null));
        assertThrows(AssetMismatchException.class, () -> new PaymentIntent(PAYER, PAYEE, eth("0.1"), eth("1"),
                Price.parse("0.2 BNB/kWh", Asset.BNB), null, null));
        AccountId bscPayee = AccountId.of(ChainId.BSC, PAYEE.address());
        assertThrows(IllegalArgumentException.class, () -> PaymentIntent.transfer(PAYER, bscPayee, eth("1")));
    }

    @Test
    void spendingPolicyCopiesAndChecksAsset() {
        Map<AccountId, Amount> perPayee = new HashMap<>(Map.of(PAYEE, eth("0.5")));
        Set<AccountId> allowed = new HashSet<>(Set.of(PAYEE));
        SpendingPolicy p = new SpendingPolicy(eth("1"), eth("2"), perPayee, Price.parse("0.3 ETH/kWh", ETH), allowed,
                eth("0.5"), ZoneId.of("Europe/Berlin"));
        perPayee.clear();
        allowed.clear();
        assertEquals(eth("0.5"), p.perPayeeDailyLimit().get(PAYEE));
        assertTrue(p.allowsPayee(PAYEE));
        assertFalse(p.allowsPayee(PAYER));
        assertThrows(UnsupportedOperationException.class, () -> p.allowedPayees().add(PAYER));
        assertEquals(ETH, p.asset());
        assertThrows(AssetMismatchException.class, () -> new SpendingPolicy(Amount.ofUnits(1, Asset.BNB), eth("2"),
                Map.of(), null, Set.of(), null, ZoneId.of("UTC")));
        assertThrows(AssetMismatchException.class, () -> new SpendingPolicy(null, eth("2"),
                Map.of(PAYEE, Amount.ofUnits(1, Asset.BNB)), null, Set.of(), null, ZoneId.of("UTC")));
        SpendingPolicy deny = SpendingPolicy.denyAll(ETH);
        assertTrue(deny.perDayLimit().isZero());
        assertTrue(deny.allowsPayee(PAYEE));
    }

    @Test
    void spendingRefusedMessageNamesLimitAndTotal() {
        PaymentIntent i = PaymentIntent.transfer(PAYER, PAYEE, eth("0.2"));
        SpendingRefusedException e = new SpendingRefusedException(SpendingRefusedException.Reason.DAY_LIMIT, i,
                eth("1"), eth("1.1"));
        assertEquals(SpendingRefusedException.Reason.DAY_LIMIT, e.reason());
        assertEquals(i, e.intent());
        assertEquals(eth("1"), e.limit());
        assertEquals(eth("1.1"), e.attemptedTotal());
        assertTrue(e.getMessage().contains("DAY_LIMIT") && e.getMessage().contains("limit 1 ETH")
                && e.getMessage().contains("attempted total 1.1 ETH"), e.getMessage());
        SpendingRefusedException l = new SpendingRefusedException(SpendingRefusedException.Reason.ACCOUNT_LOCKED, null,
                "account locked");
        assertNull(l.intent());
        assertNull(l.limit());
        assertTrue(l.getMessage().contains("ACCOUNT_LOCKED"));
    }

    static final EvmTransactionFields FIELDS = EvmTransactionFields.eip1559(ChainId.DEVNET, BigInteger.ONE,
            BigInteger.valueOf(21000), BigInteger.ONE, BigInteger.TEN);

    @Test
    void unsignedTransactionCopiesDataAndChecksChains() {
        byte[] data = { 1, 2, 3 };
        UnsignedTransaction t = new UnsignedTransaction(PAYEE, eth("1"), data, FIELDS);
        data[0] = 9;
        assertArrayEquals(new byte[] { 1, 2, 3 }, t.data());
        t.data()[0] = 9;
        assertArrayEquals(new byte[] { 1, 2, 3 }, t.data());
        assertEquals(t, new UnsignedTransaction(PAYEE, eth("1"), new byte[] { 1, 2, 3 }, FIELDS));
        assertEquals(t.hashCode(), new UnsignedTransaction(PAYEE, eth("1"), new byte[] { 1, 2, 3 }, FIELDS).hashCode());
        assertFalse(t.equals(new UnsignedTransaction(PAYEE, eth("1"), new byte[] { 1, 2, 3 },
                EvmTransactionFields.eip1559(ChainId.DEVNET, BigInteger.TWO, BigInteger.valueOf(21000),
                        BigInteger.ONE, BigInteger.TEN))), "the nonce is part of the transaction");
        assertTrue(t.toString().contains("0x010203"), t.toString());
        UnsignedTransaction create = new UnsignedTransaction(null, eth("0"), null, FIELDS);
        assertTrue(create.isContractCreation());
        assertEquals(0, create.data().length);
        Asset token = Asset.token(ChainId.DEVNET, "0x5fbdb2315678afecb367f032d93f642f64180aa3", 6, "USDC");
        assertThrows(IllegalArgumentException.class,
                () -> new UnsignedTransaction(PAYEE, Amount.ofUnits(1, token), null, FIELDS));
        assertThrows(IllegalArgumentException.class, () -> new UnsignedTransaction(
                AccountId.of(ChainId.BSC, PAYEE.address()), eth("1"), null, FIELDS));
        assertThrows(NullPointerException.class, () -> new UnsignedTransaction(PAYEE, eth("1"), null, null));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> new UnsignedTransaction(
                PAYEE, eth("1"), null, EvmTransactionFields.legacy(ChainId.BSC, BigInteger.ONE,
                        BigInteger.valueOf(21000), BigInteger.ONE)));
        assertTrue(other.getMessage().contains("eip155:56") && other.getMessage().contains("eip155:31337"),
                other.getMessage());
    }

    @Test
    void evmTransactionFieldsRules() {
        EvmTransactionFields legacy = EvmTransactionFields.legacy(ChainId.BSC, BigInteger.ZERO,
                BigInteger.valueOf(21000), BigInteger.valueOf(3_000_000_000L));
        assertEquals(EvmTransactionFields.Type.LEGACY, legacy.type());
        assertNull(legacy.maxFeePerGas());
        assertEquals(EvmTransactionFields.Type.EIP1559, FIELDS.type());
        assertNull(FIELDS.gasPrice());
        BigInteger gas = BigInteger.valueOf(21000);
        assertThrows(IllegalArgumentException.class, () -> EvmTransactionFields.legacy(ChainId.TEZOS_MAINNET,
                BigInteger.ONE, gas, BigInteger.ONE), "EVM fields need an eip155 chain");
        assertThrows(IllegalArgumentException.class, () -> EvmTransactionFields.legacy(ChainId.DEVNET,
                BigInteger.ONE, BigInteger.ZERO, BigInteger.ONE), "gas limit 0");
        assertThrows(IllegalArgumentException.class, () -> EvmTransactionFields.legacy(ChainId.DEVNET,
                BigInteger.ONE.negate(), gas, BigInteger.ONE), "negative nonce");
        assertThrows(IllegalArgumentException.class, () -> EvmTransactionFields.legacy(ChainId.DEVNET,
                BigInteger.ONE.shiftLeft(256), gas, BigInteger.ONE), "nonce above 2^256-1");
        assertThrows(IllegalArgumentException.class, () -> EvmTransactionFields.eip1559(ChainId.DEVNET,
                BigInteger.ONE, gas, BigInteger.TEN, BigInteger.ONE), "tip above the fee cap");
        assertThrows(IllegalArgumentException.class, () -> new EvmTransactionFields(ChainId.DEVNET,
                EvmTransactionFields.Type.LEGACY, BigInteger.ONE, gas, BigInteger.ONE, BigInteger.ONE, BigInteger.TEN),
                "legacy with EIP-1559 fees");
        assertThrows(IllegalArgumentException.class, () -> new EvmTransactionFields(ChainId.DEVNET,
                EvmTransactionFields.Type.EIP1559, BigInteger.ONE, gas, BigInteger.ONE, BigInteger.ONE, BigInteger.TEN),
                "EIP-1559 with a gas price");
        assertThrows(IllegalArgumentException.class, () -> new EvmTransactionFields(ChainId.DEVNET,
                EvmTransactionFields.Type.EIP1559, BigInteger.ONE, gas, null, null, BigInteger.TEN),
                "EIP-1559 without a tip");
    }

    @Test
    void noWalletMethodTakesACallerComputedDigest() {
        // H4(a): the transaction path takes the whole transaction; the only byte[] inputs left are a personal
        // message (prefixed and hashed by the wallet), a raw private key to import and (2.1) a DER TBSCertificate that
        // the wallet parses, checks and hashes itself
        for (java.lang.reflect.Method m : Wallet.class.getMethods()) {
            for (Class<?> p : m.getParameterTypes()) {
                if (p == byte[].class) {
                    assertTrue(Set.of("signPersonalMessage", "importPrivateKey", "signCertificate")
                            .contains(m.getName()),
                            m.toString());
                }
            }
        }
        List<String> sign = new ArrayList<>();
        for (java.lang.reflect.Method m : Wallet.class.getMethods()) {
            if (m.getName().equals("signTransaction")) {
                sign.add(List.of(m.getParameterTypes()).toString());
            }
        }
        assertEquals(List.of(List.of(AccountId.class, UnsignedTransaction.class).toString()), sign);
    }

    @Test
    void voucherDomain() {
        AccountId c = AccountId.of(ChainId.DEVNET, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
        VoucherDomain d = VoucherDomain.iotpay(c, "1");
        assertEquals("IOTPAY", d.name());
        assertEquals(ChainId.DEVNET, d.chain());
        assertThrows(IllegalArgumentException.class, () -> new VoucherDomain(ChainId.BSC, c, "IOTPAY", "1"));
        assertThrows(IllegalArgumentException.class, () -> new VoucherDomain(ChainId.DEVNET, c, "IOTPAY", ""));
    }

    @Test
    void typedDataCopiesAndChecksPrimaryType() {
        Map<String, List<TypedData.Field>> types = new HashMap<>();
        List<TypedData.Field> fields = new ArrayList<>(List.of(new TypedData.Field("channelId", "bytes32"),
                new TypedData.Field("cumulative", "uint256")));
        types.put("Voucher", fields);
        TypedData td = new TypedData(types, "Voucher", Map.of("name", "IOTPAY"), Map.of("cumulative",
                BigInteger.ONE));
        fields.clear();
        assertEquals(2, td.types().get("Voucher").size());
        assertThrows(UnsupportedOperationException.class, () -> td.message().put("x", 1));
        assertThrows(IllegalArgumentException.class, () -> new TypedData(types, "Mail", Map.of(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new TypedData.Field("", "uint256"));
    }

    @Test
    void accountInfoAndMisc() {
        AccountInfo a = new AccountInfo("house-1", PAYER, "m/44'/60'/0'/0/0", false, AccountInfo.KeyOrigin.MNEMONIC);
        assertEquals("house-1", a.alias());
        assertThrows(IllegalArgumentException.class,
                () -> new AccountInfo("bad alias", PAYER, null, false, AccountInfo.KeyOrigin.RAW_KEY));
        assertThrows(IllegalArgumentException.class,
                () -> new AccountInfo("", PAYER, null, false, AccountInfo.KeyOrigin.RAW_KEY));
        assertThrows(IllegalArgumentException.class,
                () -> new PendingApproval(" ", PaymentIntent.transfer(PAYER, PAYEE, eth("1")), Instant.EPOCH));
        KeystoreException k = new KeystoreException(KeystoreException.Reason.WRONG_PASSPHRASE, "MAC mismatch", null);
        assertEquals(KeystoreException.Reason.WRONG_PASSPHRASE, k.reason());
        assertTrue(k.getMessage().startsWith("WRONG_PASSPHRASE"));
        assertEquals(PAYER, new WalletLockedException(PAYER).account());
    }

    @Test
    void certificateAuthorityMethodsDefaultToUnsupported() throws Exception {
        // an implementation written against 2.0 (only the abstract methods) keeps working: the 2.1 methods are
        // default methods that refuse clearly
        Wallet old = (Wallet) java.lang.reflect.Proxy.newProxyInstance(Wallet.class.getClassLoader(),
                new Class<?>[] {Wallet.class}, (proxy, m, args) -> {
                    if (m.isDefault()) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, m, args);
                    }
                    throw new AssertionError("abstract method called: " + m.getName());
                });
        assertThrows(UnsupportedOperationException.class, () -> old.createCertificateAuthorityKey("owner-ca"));
        assertThrows(UnsupportedOperationException.class, () -> old.certificateAuthorityPublicKey("owner-ca"));
        assertThrows(UnsupportedOperationException.class, () -> old.signCertificate("owner-ca", new byte[] {0x30, 0}));
        assertEquals(List.of(), old.certificateAuthorityKeys());
        WalletLockedException locked = new WalletLockedException("certificate-authority key \"owner-ca\"");
        assertEquals("certificate-authority key \"owner-ca\" is locked", locked.getMessage());
        assertEquals(null, locked.account());
    }
}
