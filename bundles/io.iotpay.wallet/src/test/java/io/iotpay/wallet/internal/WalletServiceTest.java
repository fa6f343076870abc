package io.iotpay.wallet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.EvmTransactionFields;
import io.iotpay.api.wallet.KeystoreException;
import io.iotpay.api.wallet.PaymentIntent;
import io.iotpay.api.wallet.PendingApproval;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.api.wallet.SpendingRefusedException.Reason;
import io.iotpay.api.wallet.TypedData;
import io.iotpay.api.wallet.UnsignedTransaction;
import io.iotpay.api.wallet.VoucherDomain;
import io.iotpay.api.wallet.WalletListener;
import io.iotpay.api.wallet.WalletLockedException;
import io.iotpay.wallet.internal.crypto.BouncyCastleSecp256k1;
import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.crypto.Eip191;
import io.iotpay.wallet.internal.crypto.EthAddress;
import io.iotpay.wallet.internal.crypto.Keccak;
import io.iotpay.wallet.internal.crypto.Secp256k1Provider;
import io.iotpay.wallet.internal.crypto.Secp256k1;
import io.iotpay.wallet.internal.eip712.Eip712;
import io.iotpay.wallet.internal.eip712.TypedDataJson;
import io.iotpay.wallet.internal.keystore.KeystoreV3;
import io.iotpay.wallet.internal.policy.MutableClock;

/** The DS component, exercised directly (no OSGi container). */
public class WalletServiceTest {
    public static final String ANVIL = "test test test test test test test test test test test junk";
    static final String PASS = "household passphrase";
    static final Asset ETH = Asset.DEVNET_ETH;
    static final AccountId PAYEE = AccountId.of(ChainId.DEVNET, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    static final AccountId CONTRACT = AccountId.of(ChainId.DEVNET, "0x5fbdb2315678afecb367f032d93f642f64180aa3");

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
    final List<Object> events = new ArrayList<>();
    final List<WalletService> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(WalletService::deactivate);
    }

    WalletService start(String configPassphrase, Map<String, String> env) {
        WalletService w = new WalletService(config(dir.resolve("keystore").toString(), configPassphrase), env, clock,
                Secp256k1Provider.create(), new SecureRandom());
        w.addListener(new WalletListener() {
            @Override
            public void onSpendingRefused(SpendingRefusedException e) {
                events.add(e);
            }

            @Override
            public void onApprovalRequested(PendingApproval p) {
                events.add(p);
            }
        });
        started.add(w);
        return w;
    }

    WalletService start() {
        return start(PASS, Map.of());
    }

    @Test
    void householdSeedDerivesOneAccountPerThingAndSurvivesRestart() throws Exception {
        WalletService w = start();
        AccountInfo a0 = w.importMnemonic("plug-0", ANVIL, ChainId.DEVNET, 0);
        assertEquals("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", a0.account().address());
        assertEquals("m/44'/60'/0'/0/0", a0.derivationPath());
        AccountInfo a1 = w.deriveAccount("plug-1", ChainId.DEVNET, 1);
        assertEquals("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", a1.account().address());
        AccountInfo tz = w.deriveAccount("tezos-0", ChainId.TEZOS_MAINNET, 0);
        assertTrue(tz.account().address().startsWith("tz1"));
        assertThrows(IllegalArgumentException.class, () -> w.deriveAccount("plug-1", ChainId.DEVNET, 2));
        assertThrows(IllegalArgumentException.class, () -> w.deriveAccount("again", ChainId.DEVNET, 1));

        Path folder = dir.resolve("keystore");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
                assertFalse(Files.readString(f).contains("junk"), "no mnemonic in clear in " + f);
            }
        }
        // the key files are standard v3 files: decryptable with the passphrase by any tool
        Path keyFile;
        try (Stream<Path> files = Files.list(folder)) {
            keyFile = files.filter(f -> f.getFileName().toString().endsWith("f39fd6e51aad88f6f4ce6ab8827279cfffb92266"))
                    .findFirst().orElseThrow();
        }
        assertEquals("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
                Bytes.toHex(KeystoreV3.decrypt(keyFile, PASS.toCharArray()).privateKey()));

        Signature before = w.signPersonalMessage(a0.account(), "hi".getBytes(StandardCharsets.UTF_8));
        w.deactivate();
        WalletService again = start();
        assertEquals(List.of("plug-0", "plug-1", "tezos-0"),
                again.accounts().stream().map(AccountInfo::alias).toList());
        assertEquals(before, again.signPersonalMessage(a0.account(), "hi".getBytes(StandardCharsets.UTF_8)));
        assertEquals(a1, again.account("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").orElseThrow());
        assertEquals(a1, again.account("eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8").orElseThrow());
        assertEquals(tz, again.account(tz.account().address()).orElseThrow());
        assertTrue(again.account("nobody").isEmpty());
    }

    @Test
    void personalMessageAndTypedDataSignaturesAreStandard() {
        WalletService w = start();
        byte[] cow = Keccak.keccak256("cow".getBytes(StandardCharsets.US_ASCII));
        AccountInfo a = w.importPrivateKey("cow", ChainId.DEVNET, cow);
        assertEquals("0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826", a.account().address());
        Signature personal = w.signPersonalMessage(a.account(), "IOTPAY personal message".getBytes(StandardCharsets.UTF_8));
        assertEquals("0x4cbd923d4839e9497454779dab5c69316fde7ec57cd0e68ef18cb26b9257b33077de47e753cfcc6f8e794fe55f551c29"
                + "39ee5317ad6c9ef22c6bdc4ef5e59d591b", personal.toHex());

        JsonNode mail = TestResources.json("eip712-mail.json");
        Eip712.TypedData td = TypedDataJson.fromTree(mail.get("typedData"));
        Map<String, List<TypedData.Field>> types = new HashMap<>();
        td.types().forEach((k, v) -> types.put(k, v.stream().map(f -> new TypedData.Field(f.name(), f.type())).toList()));
        TypedData mailData = new TypedData(types, td.primaryType(), td.domain(), td.message());
        // foreign typed data is signed only after the owner approved its exact digest
        SpendingRefusedException required = assertThrows(SpendingRefusedException.class,
                () -> w.signTypedData(a.account(), mailData));
        assertEquals(Reason.APPROVAL_REQUIRED, required.reason());
        String digest = Bytes.toHex0x(Eip712.digest(td));
        assertTrue(required.getMessage().contains(digest) && required.getMessage().contains("Mail"),
                required.getMessage());
        List<PendingApproval> pending = w.pendingApprovals();
        assertEquals(1, pending.size());
        assertEquals(WalletService.typedDataApprovalKey(Eip712.digest(td)), pending.get(0).intent().sessionKey());
        assertTrue(required.getMessage().contains("iotpay:wallet-approvals --approve " + pending.get(0).id()));
        assertTrue(events.contains(pending.get(0)) && events.contains(required), "listeners see request and refusal");
        // retrying without approval finds the same pending request, it does not queue another
        assertThrows(SpendingRefusedException.class, () -> w.signTypedData(a.account(), mailData));
        assertEquals(1, w.pendingApprovals().size());
        w.approve(pending.get(0).id());
        Signature sig = w.signTypedData(a.account(), mailData);
        // exactly once: the next identical request needs a new approval
        assertEquals(Reason.APPROVAL_REQUIRED, assertThrows(SpendingRefusedException.class,
                () -> w.signTypedData(a.account(), mailData)).reason());
        assertEquals("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6443dfa05f40ff0"
                + "07d72911b6f72307f996231605b915621c", sig.toHex());
    }

    @Test
    void moneyMovingTypedDataCannotBypassThePolicy() {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        Map<String, List<TypedData.Field>> types = Map.of("Voucher", List.of(new TypedData.Field("channelId", "bytes32"),
                new TypedData.Field("cumulativeAmount", "uint256")));
        TypedData voucher = new TypedData(types, "Voucher", Map.of("name", "IOTPAY", "version", "1", "chainId", 31337,
                "verifyingContract", CONTRACT.address()), Map.of("channelId", "0x" + "11".repeat(32),
                        "cumulativeAmount", "1000000000000000000"));
        SpendingRefusedException e = assertThrows(SpendingRefusedException.class,
                () -> w.signTypedData(a.account(), voucher));
        assertTrue(e.getMessage().contains("signVoucher"));
        assertTrue(events.contains(e), "listeners see the refusal");
    }

    static TypedData permit2WitnessBatch(String spender) {
        Map<String, List<TypedData.Field>> types = new java.util.LinkedHashMap<>();
        types.put("PermitBatchWitnessTransferFrom", List.of(new TypedData.Field("permitted", "TokenPermissions[]"),
                new TypedData.Field("spender", "address"), new TypedData.Field("nonce", "uint256"),
                new TypedData.Field("deadline", "uint256"), new TypedData.Field("witness", "Witness")));
        types.put("TokenPermissions", List.of(new TypedData.Field("token", "address"),
                new TypedData.Field("amount", "uint256")));
        types.put("Witness", List.of(new TypedData.Field("user", "address")));
        Map<String, Object> domain = Map.of("name", "Permit2", "chainId", 31337,
                "verifyingContract", "0x000000000022d473030f116ddee9f6b43ac78ba3");
        Map<String, Object> message = Map.of("permitted", List.of(Map.of("token", CONTRACT.address(),
                "amount", "115792089237316195423570985008687907853269984665640564039457584007913129639935")),
                "spender", spender, "nonce", 0, "deadline", 4102444800L, "witness", Map.of("user", spender));
        return new TypedData(types, "PermitBatchWitnessTransferFrom", domain, message);
    }

    @Test
    void foreignTypedDataNeedsTheOwnerForThatExactDigestAndDenialSticks() {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        TypedData drain = permit2WitnessBatch(PAYEE.address());
        SpendingRefusedException e = assertThrows(SpendingRefusedException.class,
                () -> w.signTypedData(a.account(), drain));
        assertEquals(Reason.APPROVAL_REQUIRED, e.reason());
        assertTrue(e.getMessage().contains("PermitBatchWitnessTransferFrom"), e.getMessage());
        PendingApproval p = w.pendingApprovals().get(0);
        assertEquals("0x000000000022d473030f116ddee9f6b43ac78ba3", p.intent().payee().address());
        assertTrue(p.intent().increment().isZero());
        // approving one document does not let another (different spender, different digest) through
        w.approve(p.id());
        TypedData other = permit2WitnessBatch("0x90f79bf6eb2c4f870365e785982e1f101e93b906");
        assertEquals(Reason.APPROVAL_REQUIRED, assertThrows(SpendingRefusedException.class,
                () -> w.signTypedData(a.account(), other)).reason());
        PendingApproval second = w.pendingApprovals().get(0);
        w.deny(second.id());
        assertEquals(Reason.APPROVAL_DENIED, assertThrows(SpendingRefusedException.class,
                () -> w.signTypedData(a.account(), other)).reason());
        // the approved one signs, and recovers to the payer
        Signature s = w.signTypedData(a.account(), drain);
        byte[] digest = Eip712.digest(WalletService.convert(drain));
        assertEquals(a.account().address(),
                Bytes.toHex0x(EthAddress.fromPublicKey(new BouncyCastleSecp256k1().recover(digest, s.bytes()))));
        // a locked account consumes no approval
        TypedData third = permit2WitnessBatch("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
        assertThrows(SpendingRefusedException.class, () -> w.signTypedData(a.account(), third));
        w.approve(w.pendingApprovals().get(0).id());
        w.lock(a.account());
        assertThrows(WalletLockedException.class, () -> w.signTypedData(a.account(), third));
        w.unlock(a.account());
        w.signTypedData(a.account(), third);
    }

    @Test
    void iotpayCloseIntentIsSignedWithoutApproval() {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payee", ANVIL, ChainId.DEVNET, 0);
        Map<String, List<TypedData.Field>> types = Map.of("CloseIntent", List.of(
                new TypedData.Field("channelId", "bytes32"), new TypedData.Field("finalAmount", "uint256")));
        TypedData close = new TypedData(types, "CloseIntent", Map.of("name", "IOTPAY", "version", "1",
                "chainId", 31337, "verifyingContract", CONTRACT.address()),
                Map.of("channelId", "0x" + "11".repeat(32), "finalAmount", "5"));
        w.signTypedData(a.account(), close);
        assertTrue(w.pendingApprovals().isEmpty());
    }

    SpendingPolicy policy(long day, Long threshold) {
        return new SpendingPolicy(null, Amount.ofUnits(day, ETH), Map.of(), null, Set.of(PAYEE),
                threshold == null ? null : Amount.ofUnits(threshold, ETH), ZoneId.of("UTC"));
    }

    @Test
    void voucherSigningGoesThroughThePolicyAndRecoversToThePayer() {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        AccountId payer = a.account();
        VoucherDomain domain = VoucherDomain.iotpay(CONTRACT, "1");
        ChannelId ch = new ChannelId(Keccak.keccak256("channel".getBytes(StandardCharsets.US_ASCII)));

        // default policy: deny all
        Voucher v1 = Voucher.unsigned(ch, CONTRACT, Amount.ofUnits(100, ETH));
        PaymentIntent i1 = new PaymentIntent(payer, PAYEE, Amount.ofUnits(100, ETH), Amount.ofUnits(100, ETH), null,
                "s", ch);
        assertEquals(Reason.DAY_LIMIT, assertThrows(SpendingRefusedException.class,
                () -> w.signVoucher(i1, v1, domain)).reason());

        w.setPolicy(payer, policy(250, null));
        Signature s1 = w.signVoucher(i1, v1, domain);
        byte[] digest = WalletService.voucherDigest(v1, domain);
        assertArrayEquals(WalletService.voucherDigestGeneric(v1, domain), digest);
        assertArrayEquals(WalletService.voucherDigestGeneric(v1, VoucherDomain.iotpay(CONTRACT, "2")),
                WalletService.voucherDigest(v1, VoucherDomain.iotpay(CONTRACT, "2")));
        Secp256k1 ec = new BouncyCastleSecp256k1();
        assertEquals(payer.address(), Bytes.toHex0x(EthAddress.fromPublicKey(ec.recover(digest, s1.bytes()))));

        // a caller claiming a smaller increment than the voucher really adds is still charged the real increment
        Voucher v2 = Voucher.unsigned(ch, CONTRACT, Amount.ofUnits(251, ETH));
        PaymentIntent lying = new PaymentIntent(payer, PAYEE, Amount.ofUnits(1, ETH), Amount.ofUnits(251, ETH), null,
                "s", ch);
        SpendingRefusedException e = assertThrows(SpendingRefusedException.class,
                () -> w.signVoucher(lying, v2, domain));
        assertEquals(Reason.DAY_LIMIT, e.reason());
        assertEquals(Amount.ofUnits(251, ETH), e.attemptedTotal());
        Voucher v3 = Voucher.unsigned(ch, CONTRACT, Amount.ofUnits(250, ETH));
        w.signVoucher(new PaymentIntent(payer, PAYEE, Amount.ofUnits(150, ETH), Amount.ofUnits(250, ETH), null, "s", ch),
                v3, domain);
        assertEquals(Amount.ofUnits(250, ETH), w.spentToday(payer));

        // mismatches between intent, voucher and domain are refused before any policy booking
        assertThrows(IllegalArgumentException.class, () -> w.signVoucher(i1, v3, domain));
        assertTrue(events.stream().anyMatch(x -> x instanceof SpendingRefusedException r && r.reason() == Reason.DAY_LIMIT));
    }

    @Test
    void policiesSurviveRestart() {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        assertEquals(SpendingPolicy.denyAll(ETH).perDayLimit(), w.policy(a.account()).perDayLimit());
        io.iotpay.api.money.Price cap = io.iotpay.api.money.Price.of(Amount.ofUnits(7, ETH),
                io.iotpay.api.money.MeteringUnit.KILOWATT_HOUR);
        SpendingPolicy p = new SpendingPolicy(Amount.ofUnits(5, ETH), Amount.ofUnits(10, ETH),
                Map.of(PAYEE, Amount.ofUnits(3, ETH)), cap, Set.of(PAYEE), Amount.ofUnits(2, ETH),
                ZoneId.of("Europe/Berlin"));
        w.setPolicy(a.account(), p);
        assertThrows(IllegalArgumentException.class, () -> w.setPolicy(a.account(),
                SpendingPolicy.denyAll(Asset.BNB)));
        w.deactivate();
        assertEquals(p, start().policy(a.account()));
    }

    @Test
    void voucherDigestMatchesEthers() {
        // ethers 6.17 TypedDataEncoder.hash({name:"IOTPAY",version:"1",chainId:31337,verifyingContract:0x5FbDB...},
        //   {Voucher:[bytes32 channelId, uint256 cumulativeAmount]}, {channelId: keccak256(0x01), 10^12})
        Voucher v = Voucher.unsigned(new ChannelId(Keccak.keccak256(new byte[] {1})), CONTRACT,
                Amount.ofUnits(1_000_000_000_000L, ETH));
        assertEquals("0x717ad87f689eb4e527774d777bb5bff77bbd7799d925cc86a0a627a6a9b4b453",
                Bytes.toHex0x(WalletService.voucherDigest(v, VoucherDomain.iotpay(CONTRACT, "1"))));
    }

    @Test
    void lockedAccountsSignNothingAndTheirKeysAreZeroed() {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        w.setPolicy(a.account(), policy(1000, null));
        w.signPersonalMessage(a.account(), new byte[] {1});
        List<byte[]> keys = w.keyArrays();
        assertEquals(1, keys.size());
        w.lock(a.account());
        assertTrue(w.account("payer").orElseThrow().locked());
        assertArrayEquals(new byte[32], keys.get(0), "key array zeroed on lock");
        assertFalse(w.anyKeyInMemory());
        assertThrows(WalletLockedException.class, () -> w.signPersonalMessage(a.account(), new byte[] {1}));
        ChannelId ch = new ChannelId(new byte[32]);
        SpendingRefusedException e = assertThrows(SpendingRefusedException.class, () -> w.signVoucher(
                new PaymentIntent(a.account(), PAYEE, Amount.ofUnits(1, ETH), Amount.ofUnits(1, ETH), null, null, ch),
                Voucher.unsigned(ch, CONTRACT, Amount.ofUnits(1, ETH)), VoucherDomain.iotpay(CONTRACT, "1")));
        assertEquals(Reason.ACCOUNT_LOCKED, e.reason());
        w.unlock(a.account());
        w.signPersonalMessage(a.account(), new byte[] {1});
        List<byte[]> again = w.keyArrays();
        w.deactivate();
        assertArrayEquals(new byte[32], again.get(0), "key array zeroed on deactivate");
    }

    @Test
    void noPassphraseMeansLockedAndEnvironmentPassphraseWorks() {
        WalletService w = start("", Map.of(WalletConfig.PASSPHRASE_ENV, PASS));
        AccountInfo a = w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        w.deactivate();
        WalletService locked = start("", Map.of());
        assertTrue(locked.accounts().get(0).locked());
        assertThrows(WalletLockedException.class, () -> locked.signPersonalMessage(a.account(), new byte[] {1}));
        assertThrows(IllegalStateException.class, () -> locked.deriveAccount("more", ChainId.DEVNET, 1));
        assertThrows(IllegalStateException.class, () -> locked.unlock(a.account()));
    }

    @Test
    void wrongPassphraseIsClearAndNeverTouchesTheFiles() throws Exception {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        w.deactivate();
        Map<Path, byte[]> before = snapshot();
        WalletService wrong = start("not the passphrase", Map.of());
        KeystoreException e = assertThrows(KeystoreException.class,
                () -> wrong.signPersonalMessage(a.account(), new byte[] {1}));
        assertEquals(KeystoreException.Reason.WRONG_PASSPHRASE, e.reason());
        assertFalse(e.getMessage().contains("not the passphrase"));
        assertThrows(KeystoreException.class, () -> wrong.unlock(a.account()));
        Map<Path, byte[]> after = snapshot();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((p, b) -> assertArrayEquals(b, after.get(p), p.toString()));
    }

    private Map<Path, byte[]> snapshot() throws Exception {
        Map<Path, byte[]> m = new HashMap<>();
        try (Stream<Path> s = Files.list(dir.resolve("keystore"))) {
            for (Path p : s.toList()) {
                m.put(p, Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void keystoreImportAndRawKeyImport() throws Exception {
        WalletService w = start();
        Path f = dir.resolve("ethers.json");
        Files.writeString(f, TestResources.text("keystore-ethers-n1024.json"));
        AccountInfo a = w.importKeystore("imported", f, "interop-pass".toCharArray());
        assertEquals("0xdee8fff0afaacb40badaab58fb58cdd3b387d406", a.account().address());
        assertEquals(AccountInfo.KeyOrigin.KEYSTORE_IMPORT, a.origin());
        assertEquals(KeystoreException.Reason.WRONG_PASSPHRASE, assertThrows(KeystoreException.class,
                () -> w.importKeystore("x", f, "bad".toCharArray())).reason());
        Files.writeString(f, TestResources.text("keystore-ethers-n1024.json").substring(0, 100));
        assertEquals(KeystoreException.Reason.CORRUPTED, assertThrows(KeystoreException.class,
                () -> w.importKeystore("x", f, "interop-pass".toCharArray())).reason());
        assertThrows(IllegalArgumentException.class, () -> w.importPrivateKey("zero", ChainId.DEVNET, new byte[32]));
        assertThrows(IllegalArgumentException.class,
                () -> w.importMnemonic("bad", "test test test test test test test test test test test test",
                        ChainId.DEVNET, 0));
        assertEquals(1, w.accounts().size());
    }

    @Test
    void transactionsWithValueAreCheckedAndApprovalFlowWorks() {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        w.setPolicy(a.account(), policy(1000, 100L));
        UnsignedTransaction small = new UnsignedTransaction(PAYEE, Amount.ofUnits(50, ETH), null, fields());
        Signature s = w.signTransaction(a.account(), small);
        byte[] hash = WalletService.transactionSigningHash(a.account(), small);
        assertEquals(a.account().address(),
                Bytes.toHex0x(EthAddress.fromPublicKey(new BouncyCastleSecp256k1().recover(hash, s.bytes()))));
        UnsignedTransaction big = new UnsignedTransaction(PAYEE, Amount.ofUnits(500, ETH), null, fields());
        assertEquals(Reason.APPROVAL_REQUIRED, assertThrows(SpendingRefusedException.class,
                () -> w.signTransaction(a.account(), big)).reason());
        List<PendingApproval> pending = w.pendingApprovals();
        assertEquals(1, pending.size());
        assertTrue(events.contains(pending.get(0)), "listeners see the approval request");
        w.approve(pending.get(0).id());
        w.signTransaction(a.account(), big);
        assertEquals(Amount.ofUnits(550, ETH), w.spentToday(a.account()));
        // a zero-value call the wallet does not know needs the owner (it may move tokens)
        assertEquals(Reason.APPROVAL_REQUIRED, assertThrows(SpendingRefusedException.class, () -> w.signTransaction(
                a.account(), new UnsignedTransaction(CONTRACT, Amount.zero(ETH), new byte[] {1, 2, 3, 4}, fields())))
                .reason());
        // an ERC-20 transfer of a token the policy does not cover is refused
        byte[] transfer = Bytes.concat(Bytes.fromHex("a9059cbb", "sel"), new byte[12],
                Bytes.fromHex(PAYEE.address(), "to"), Bytes.toFixed(BigInteger.TEN, 32));
        assertEquals(Reason.ASSET_NOT_ALLOWED, assertThrows(SpendingRefusedException.class, () -> w.signTransaction(
                a.account(), new UnsignedTransaction(CONTRACT, Amount.zero(ETH), transfer, fields()))).reason());
        // a payee outside the allow-list
        AccountId stranger = AccountId.of(ChainId.DEVNET, "0x90f79bf6eb2c4f870365e785982e1f101e93b906");
        assertEquals(Reason.PAYEE_NOT_ALLOWED, assertThrows(SpendingRefusedException.class, () -> w.signTransaction(
                a.account(), new UnsignedTransaction(stranger, Amount.ofUnits(1, ETH), null, fields()))).reason());
        assertArrayEquals(Eip191.personalMessageDigest(new byte[0]), Eip191.personalMessageDigest(new byte[0]));
    }

    /** EIP-1559 fields on the devnet (nonce 0, 100k gas, 1 gwei tip, 30 gwei cap). */
    static EvmTransactionFields fields() {
        return fields(0);
    }

    static EvmTransactionFields fields(long nonce) {
        return EvmTransactionFields.eip1559(ChainId.DEVNET, BigInteger.valueOf(nonce), BigInteger.valueOf(100_000),
                BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(30_000_000_000L));
    }

    static byte[] call(String selector, Object... words) {
        byte[] out = Bytes.fromHex(selector, "selector");
        for (Object w : words) {
            byte[] word = w instanceof AccountId id ? Bytes.concat(new byte[12], Bytes.fromHex(id.address(), "address"))
                    : Bytes.toFixed((BigInteger) w, 32);
            out = Bytes.concat(out, word);
        }
        return out;
    }

    static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    @Test
    void contractCallsAreAllowlistedOthersNeedTheOwner() {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        AccountId attacker = AccountId.of(ChainId.DEVNET, "0x90f79bf6eb2c4f870365e785982e1f101e93b906");
        w.setPolicy(a.account(), new SpendingPolicy(null, Amount.ofUnits(1000, ETH), Map.of(), null,
                Set.of(PAYEE, CONTRACT), null, ZoneId.of("UTC")));

        // increaseAllowance(attacker, MAX) moves no native value but hands the tokens over: owner approval
        UnsignedTransaction increase = new UnsignedTransaction(CONTRACT, Amount.zero(ETH),
                call("39509351", attacker, MAX), fields());
        SpendingRefusedException e = assertThrows(SpendingRefusedException.class,
                () -> w.signTransaction(a.account(), increase));
        byte[] hash = WalletService.transactionSigningHash(a.account(), increase);
        assertEquals(Reason.APPROVAL_REQUIRED, e.reason());
        assertTrue(e.getMessage().contains("0x39509351"), e.getMessage());
        PendingApproval p = w.pendingApprovals().get(0);
        assertEquals(WalletService.CALL_APPROVAL_PREFIX + Bytes.toHex0x(hash), p.intent().sessionKey());
        assertEquals(CONTRACT, p.intent().payee());
        // ERC-2612 permit and Safe execTransaction likewise
        for (String sel : List.of("d505accf", "6a761202", "ac9650d8")) {
            assertEquals(Reason.APPROVAL_REQUIRED, assertThrows(SpendingRefusedException.class, () -> w.signTransaction(
                    a.account(), new UnsignedTransaction(CONTRACT, Amount.zero(ETH), call(sel, attacker), fields())))
                    .reason(), sel);
        }
        // after approval, that exact signing hash is signed once
        w.approve(p.id());
        Signature s = w.signTransaction(a.account(), increase);
        assertEquals(a.account().address(),
                Bytes.toHex0x(EthAddress.fromPublicKey(new BouncyCastleSecp256k1().recover(hash, s.bytes()))));
        assertEquals(Reason.APPROVAL_REQUIRED, assertThrows(SpendingRefusedException.class,
                () -> w.signTransaction(a.account(), increase)).reason());
        assertEquals(Amount.zero(ETH), w.spentToday(a.account()));

        // IOTPAY channel open (native): signed without approval, its value charged
        BigInteger deposit = BigInteger.valueOf(300);
        UnsignedTransaction open = new UnsignedTransaction(CONTRACT, Amount.ofUnits(deposit, ETH),
                call("d80dcc83", PAYEE, BigInteger.ZERO, BigInteger.ONE, deposit), fields());
        w.signTransaction(a.account(), open);
        assertEquals(Amount.ofUnits(300, ETH), w.spentToday(a.account()));
        // a zero-value IOTPAY call (withdraw earnings) is signed and charges nothing
        w.signTransaction(a.account(), new UnsignedTransaction(CONTRACT, Amount.zero(ETH),
                call("c9211c82", AccountId.of(ChainId.DEVNET, "0x" + "00".repeat(20)), BigInteger.TEN), fields()));
        assertEquals(Amount.ofUnits(300, ETH), w.spentToday(a.account()));
        // the channel's value still counts against the day limit
        assertEquals(Reason.DAY_LIMIT, assertThrows(SpendingRefusedException.class, () -> w.signTransaction(
                a.account(), new UnsignedTransaction(CONTRACT, Amount.ofUnits(701, ETH), call("b6fe0b9f", PAYEE,
                        BigInteger.ONE), fields()))).reason());
    }

    @Test
    void erc20ApproveIsChargedAgainstATokenPolicy() {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        Asset usdc = Asset.token(ChainId.DEVNET, CONTRACT.address(), 6, "USDC");
        w.setPolicy(a.account(), new SpendingPolicy(null, Amount.ofUnits(1000, usdc), Map.of(), null,
                Set.of(PAYEE), null, ZoneId.of("UTC")));
        w.signTransaction(a.account(), new UnsignedTransaction(CONTRACT, Amount.zero(ETH),
                call("095ea7b3", PAYEE, BigInteger.valueOf(400)), fields()));
        assertEquals(Amount.ofUnits(400, usdc), w.spentToday(a.account()));
        assertEquals(Reason.DAY_LIMIT, assertThrows(SpendingRefusedException.class, () -> w.signTransaction(
                a.account(), new UnsignedTransaction(CONTRACT, Amount.zero(ETH), call("095ea7b3", PAYEE, MAX),
                        fields()))).reason());
        // a truncated ERC-20 call is not signed at all
        assertThrows(IllegalArgumentException.class, () -> w.signTransaction(a.account(), new UnsignedTransaction(
                CONTRACT, Amount.zero(ETH), Bytes.fromHex("a9059cbb", "s"), fields())));
    }

    @Test
    void theSpendingBookSurvivesARestart() throws Exception {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        AccountId payer = a.account();
        w.setPolicy(payer, new SpendingPolicy(Amount.ofUnits(400, ETH), Amount.ofUnits(1000, ETH),
                Map.of(PAYEE, Amount.ofUnits(910, ETH)), null, Set.of(PAYEE), null, ZoneId.of("UTC")));
        w.signTransaction(payer, new UnsignedTransaction(PAYEE, Amount.ofUnits(890, ETH), null, fields()));
        VoucherDomain domain = VoucherDomain.iotpay(CONTRACT, "1");
        ChannelId ch = new ChannelId(Keccak.keccak256("durable".getBytes(StandardCharsets.US_ASCII)));
        w.signVoucher(new PaymentIntent(payer, PAYEE, Amount.ofUnits(5, ETH), Amount.ofUnits(5, ETH), null, "s1", ch),
                Voucher.unsigned(ch, CONTRACT, Amount.ofUnits(5, ETH)), domain);
        assertEquals(Amount.ofUnits(895, ETH), w.spentToday(payer));
        Path keystore = dir.resolve("keystore");
        List<Path> books;
        try (Stream<Path> files = Files.list(keystore)) {
            books = files.filter(f -> f.getFileName().toString().startsWith("spending-")).toList();
        }
        assertEquals(1, books.size(), books.toString());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(books.get(0)));

        // restart (a bundle refresh, a config update or a crash all start a new instance on the same folder)
        started.remove(w);
        w.deactivate();
        WalletService w2 = start();
        assertEquals(Amount.ofUnits(895, ETH), w2.spentToday(payer));
        SpendingRefusedException over = assertThrows(SpendingRefusedException.class, () -> w2.signTransaction(payer,
                new UnsignedTransaction(PAYEE, Amount.ofUnits(16, ETH), null, fields())));
        assertEquals(Reason.PAYEE_DAY_LIMIT, over.reason());
        assertEquals(Amount.ofUnits(911, ETH), over.attemptedTotal());
        // the last voucher per channel survived: the next voucher is charged only its increase (10), even when the
        // caller claims less; without the stored voucher it would be charged its whole cumulative (15)
        w2.signVoucher(new PaymentIntent(payer, PAYEE, Amount.ofUnits(1, ETH), Amount.ofUnits(15, ETH), null, "s1",
                ch), Voucher.unsigned(ch, CONTRACT, Amount.ofUnits(15, ETH)), domain);
        assertEquals(Amount.ofUnits(905, ETH), w2.spentToday(payer));

        started.remove(w2);
        w2.deactivate();
        WalletService w3 = start();
        // day limit: 905 + 96 > 1000 (to another payee so the payee limit is not what refuses)
        AccountId other = AccountId.of(ChainId.DEVNET, "0x90f79bf6eb2c4f870365e785982e1f101e93b906");
        w3.setPolicy(payer, new SpendingPolicy(Amount.ofUnits(400, ETH), Amount.ofUnits(1000, ETH), Map.of(), null,
                Set.of(PAYEE, other), null, ZoneId.of("UTC")));
        SpendingRefusedException day = assertThrows(SpendingRefusedException.class, () -> w3.signTransaction(payer,
                new UnsignedTransaction(other, Amount.ofUnits(96, ETH), null, fields())));
        assertEquals(Reason.DAY_LIMIT, day.reason());
        assertEquals(Amount.ofUnits(1001, ETH), day.attemptedTotal());
        // the session total survived too: 15 signed in session s1, the session limit is 400
        assertEquals(Reason.SESSION_LIMIT, assertThrows(SpendingRefusedException.class, () -> w3.signVoucher(
                new PaymentIntent(payer, PAYEE, Amount.ofUnits(386, ETH), Amount.ofUnits(401, ETH), null, "s1", ch),
                Voucher.unsigned(ch, CONTRACT, Amount.ofUnits(401, ETH)), domain)).reason());
        // a refused voucher does not move the channel's last voucher
        clock.advance(java.time.Duration.ofDays(1));
        w3.signVoucher(new PaymentIntent(payer, PAYEE, Amount.ofUnits(1, ETH), Amount.ofUnits(20, ETH), null, "s1",
                ch), Voucher.unsigned(ch, CONTRACT, Amount.ofUnits(20, ETH)), domain);
        assertEquals(Amount.ofUnits(5, ETH), w3.spentToday(payer), "a new day, and only the voucher's increase");
    }

    @Test
    void aDamagedSpendingBookStopsTheWalletInsteadOfResettingTheDay() throws Exception {
        WalletService w = start();
        AccountInfo a = w.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0);
        w.setPolicy(a.account(), policy(1000, null));
        w.signTransaction(a.account(), new UnsignedTransaction(PAYEE, Amount.ofUnits(5, ETH), null, fields()));
        started.remove(w);
        w.deactivate();
        Path book;
        try (Stream<Path> files = Files.list(dir.resolve("keystore"))) {
            book = files.filter(f -> f.getFileName().toString().startsWith("spending-")).findFirst().orElseThrow();
        }
        Files.writeString(book, "{\"account\": ");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> start());
        assertTrue(e.getMessage().contains("spending book"), e.getMessage());
    }

    public static WalletConfig config(String folder, String passphrase) {
        return new WalletConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return WalletConfig.class;
            }

            @Override
            public String keystoreFolder() {
                return folder;
            }

            @Override
            public String passphrase() {
                return passphrase;
            }

            @Override
            public int scryptN() {
                return 1024;
            }

            @Override
            public int scryptR() {
                return 8;
            }

            @Override
            public int scryptP() {
                return 1;
            }

            @Override
            public String defaultDailyLimitUnits() {
                return "0";
            }

            @Override
            public String keystoreImportChain() {
                return "eip155:31337";
            }

            @Override
            public String dayZone() {
                return "UTC";
            }
        };
    }
}
