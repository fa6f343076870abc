package io.iotpay.chain.evm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.TransactionRevertedException;
import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.Signature;
import io.iotpay.chain.evm.internal.abi.Abi;
import io.iotpay.chain.evm.internal.scheme.IotpaySettlementScheme;

/**
 * Every function of IotpayChannels through the connector's settlement scheme, against a real anvil, and the attacks
 * the contract must refuse.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelsContractTest {

    private Devchain chain;
    private IotpaySettlementScheme scheme;
    private Asset eth;

    @BeforeAll
    void start() {
        chain = Devchain.start();
        scheme = (IotpaySettlementScheme) chain.connector.settlement();
        eth = chain.connector.nativeAsset();
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    /** A salt whose open deadline is 10 minutes ahead of the chain clock. */
    byte[] salt() {
        return scheme.newSalt(Duration.ofMinutes(10));
    }

    /** Moves past every open deadline handed out so far, so channels may be settled. */
    void pastOpenDeadline() {
        chain.advance(Duration.ofMinutes(11));
    }

    Amount wei(long v) {
        return Amount.ofUnits(v, eth);
    }

    ChannelId open(AccountId payer, AccountId payee, Amount deposit, byte[] salt) {
        chain.mined(scheme.open(payer, payee, deposit, salt, Duration.ofMinutes(10)));
        return scheme.channelId(payer, payee, deposit.asset(), salt);
    }

    Voucher voucher(AccountId payer, ChannelId id, Amount cumulative) {
        Signature s = chain.keys.signDigest(payer, scheme.voucherDigest(id, cumulative));
        return new Voucher(id, scheme.contract(), cumulative, s);
    }

    static void assertReverts(String error, Executable call) {
        TransactionRevertedException e = assertThrows(TransactionRevertedException.class, call);
        assertTrue(e.reason().startsWith(error), "expected " + error + " but the revert was: " + e.reason());
    }

    @SuppressWarnings("rawtypes")
    Object view(String signature, org.web3j.abi.datatypes.Type<?>[] args, TypeReference<?> out) {
        List<org.web3j.abi.datatypes.Type> r = chain.evm().call(scheme.contract(), Abi.call(signature, args), out);
        return r.get(0).getValue();
    }

    @Test
    void channelIdAndDigestsMatchTheContract() {
        AccountId payer = chain.keys.newAccount();
        AccountId payee = chain.keys.newAccount();
        byte[] salt = salt();
        ChannelId id = scheme.channelId(payer, payee, eth, salt);
        byte[] onChain = (byte[]) view("channelId(address,address,address,uint256)",
                new org.web3j.abi.datatypes.Type<?>[] { new Address(payer.address()), new Address(payee.address()),
                        new Address("0x0000000000000000000000000000000000000000"), new Uint256(new BigInteger(1, salt)) },
                new TypeReference<Bytes32>() { });
        assertArrayEquals(onChain, id.bytes());
        byte[] vd = (byte[]) view("voucherDigest(bytes32,uint256)",
                new org.web3j.abi.datatypes.Type<?>[] { Abi.bytes32(id.bytes()), new Uint256(12345) },
                new TypeReference<Bytes32>() { });
        assertArrayEquals(vd, scheme.voucherDigest(id, wei(12345)));
        byte[] cd = (byte[]) view("closeIntentDigest(bytes32,uint256)",
                new org.web3j.abi.datatypes.Type<?>[] { Abi.bytes32(id.bytes()), new Uint256(12345) },
                new TypeReference<Bytes32>() { });
        assertArrayEquals(cd, scheme.closeDigest(id, wei(12345)));
        assertFalse(java.util.Arrays.equals(vd, cd), "voucher and close intent must be different typed structs");
        byte[] ds = (byte[]) view("domainSeparator()", new org.web3j.abi.datatypes.Type<?>[0],
                new TypeReference<Bytes32>() { });
        assertArrayEquals(ds, scheme.domainSeparator());
        assertEquals(Duration.ofSeconds(Devchain.CHALLENGE_SECONDS), scheme.challengePeriod());
    }

    @Test
    void openTopUpClaimAndCooperativeClose() {
        AccountId payer = chain.funded(10);
        AccountId payee = chain.funded(1);
        byte[] salt = salt();
        ChannelId id = open(payer, payee, wei(1_000_000), salt);
        Channel c = scheme.channel(id).orElseThrow();
        assertEquals(ChannelState.OPEN, c.state());
        assertEquals(wei(1_000_000), c.deposit());
        assertEquals(payer, c.payer());
        assertEquals(payee, c.payee());
        assertEquals(IotpaySettlementScheme.ID, c.scheme());

        chain.mined(scheme.topUp(payer, id, wei(500_000)));
        assertEquals(wei(1_500_000), scheme.channel(id).orElseThrow().deposit());

        // a claim credits the payee's earnings in the contract (pull payment)
        chain.mined(scheme.claim(payee, voucher(payer, id, wei(400_000))));
        assertEquals(wei(400_000), scheme.channel(id).orElseThrow().claimed());
        assertEquals(wei(400_000), scheme.earnings(payee, eth));

        // cooperative close at 900,000: the payee gets the 500,000 increase, the payer 600,000 back
        Signature early = chain.keys.signDigest(payee, scheme.closeDigest(id, wei(900_000)));
        assertReverts("TooEarlyToSettle", () -> scheme.cooperativeClose(payer, voucher(payer, id, wei(900_000)), early));
        pastOpenDeadline();
        Signature closeSig = chain.keys.signDigest(payee, scheme.closeDigest(id, wei(900_000)));
        BigInteger payerBefore = chain.balance(payer.address());
        var rc = chain.mined(scheme.cooperativeClose(payer, voucher(payer, id, wei(900_000)), closeSig));
        assertEquals(wei(900_000), scheme.earnings(payee, eth));
        assertEquals(payerBefore.add(BigInteger.valueOf(600_000)).subtract(gasFee(rc)), chain.balance(payer.address()));
        // the payee takes its earnings out, leaving one unit so the slot stays allocated
        BigInteger payeeBefore = chain.balance(payee.address());
        Amount out = scheme.withdrawableKeepingDust(payee, eth);
        assertEquals(wei(899_999), out);
        var rw = chain.mined(scheme.withdrawEarnings(payee, out));
        assertEquals(payeeBefore.add(BigInteger.valueOf(899_999)).subtract(gasFee(rw)), chain.balance(payee.address()));
        assertEquals(wei(1), scheme.earnings(payee, eth));
        assertReverts("InsufficientEarnings", () -> scheme.withdrawEarnings(payee, wei(2)));
        assertReverts("InvalidAmount", () -> scheme.withdrawEarnings(payee, wei(0)));
        Channel closed = scheme.channel(id).orElseThrow();
        assertEquals(ChannelState.SETTLED, closed.state());

        assertEquals(wei(900_000), closed.claimed());
        assertEquals(wei(1_500_000), closed.deposit());
        // the close intent cannot be replayed, and the id can never be reopened (its open deadline has passed)
        assertReverts("ChannelNotOpen", () -> scheme.cooperativeClose(payer, voucher(payer, id, wei(900_000)), closeSig));
        assertReverts("OpenDeadlinePassed", () -> scheme.open(payer, payee, wei(1000), salt, null));
        assertReverts("ChannelNotOpen", () -> scheme.claim(payee, voucher(payer, id, wei(1_000_000))));
    }

    @Test
    void unilateralCloseChallengeAndWithdraw() {
        AccountId payer = chain.funded(10);
        AccountId payee = chain.funded(1);
        ChannelId id = open(payer, payee, wei(1_000_000), salt());
        assertReverts("ChannelNotOpen", () -> scheme.withdraw(payer, id)); // no close started
        chain.mined(scheme.startClose(payer, id));
        Channel closing = scheme.channel(id).orElseThrow();
        assertEquals(ChannelState.CLOSING, closing.state());
        assertReverts("ChannelClosing", () -> scheme.topUp(payer, id, wei(1)));
        assertReverts("ChannelClosing", () -> scheme.startClose(payer, id));
        assertReverts("ChallengePeriodActive", () -> scheme.withdraw(payer, id));
        // the payee may still claim during the challenge period
        chain.mined(scheme.claim(payee, voucher(payer, id, wei(300_000))));
        chain.advance(Duration.ofSeconds(Devchain.CHALLENGE_SECONDS + 1));
        assertEquals(ChannelState.CLOSED, scheme.channel(id).orElseThrow().state());
        // too late for the payee now
        assertReverts("ChallengePeriodOver", () -> scheme.claim(payee, voucher(payer, id, wei(400_000))));
        BigInteger before = chain.balance(payer.address());
        var r = chain.mined(scheme.withdraw(payer, id));
        assertEquals(before.add(BigInteger.valueOf(700_000)).subtract(gasFee(r)), chain.balance(payer.address()));
        assertEquals(ChannelState.SETTLED, scheme.channel(id).orElseThrow().state());
        // attack: claim after the payer withdrew
        assertReverts("ChannelNotOpen", () -> scheme.claim(payee, voucher(payer, id, wei(500_000))));
        assertReverts("ChannelNotOpen", () -> scheme.withdraw(payer, id));
    }

    @Test
    void batchClaimPaysEveryChannelOnce() {
        AccountId payee = chain.funded(1);
        List<Voucher> vouchers = new ArrayList<>();
        List<ChannelId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            AccountId payer = chain.funded(1);
            ChannelId id = open(payer, payee, wei(100_000), salt());
            ids.add(id);
            vouchers.add(voucher(payer, id, wei(10_000L * (i + 1))));
        }
        chain.mined(scheme.claimBatch(payee, vouchers));
        assertEquals(wei(150_000), scheme.earnings(payee, eth));
        for (int i = 0; i < 5; i++) {
            assertEquals(wei(10_000L * (i + 1)), scheme.channel(ids.get(i)).orElseThrow().claimed());
        }
        // replaying the batch: every voucher is no longer newer
        assertReverts("VoucherNotNewer", () -> scheme.claimBatch(payee, vouchers));
        assertThrows(IllegalArgumentException.class, () -> scheme.claimBatch(payee, List.of(vouchers.get(0),
                vouchers.get(0))));
    }

    @Test
    void attacksOnVouchersAreRefused() {
        AccountId payer = chain.funded(10);
        AccountId payee = chain.funded(1);
        AccountId stranger = chain.keys.newAccount();
        byte[] salt = salt();
        ChannelId id = open(payer, payee, wei(1_000_000), salt);
        ChannelId other = open(payer, payee, wei(1_000_000), salt());

        // signed by the wrong key
        Signature wrong = chain.keys.signDigest(stranger, scheme.voucherDigest(id, wei(100)));
        assertReverts("InvalidSignature", () -> scheme.claim(payee, new Voucher(id, scheme.contract(), wei(100), wrong)));
        // replayed on another channel of the same parties
        Voucher good = voucher(payer, id, wei(100));
        assertReverts("InvalidSignature", () -> scheme.claim(payee, new Voucher(other, scheme.contract(), wei(100),
                good.signature())));
        // replayed on another contract (second deployment on the same chain)
        String second = chain.deploy("IotpayChannels", new org.web3j.abi.datatypes.generated.Uint32(3600));
        IotpaySettlementScheme scheme2 = new IotpaySettlementScheme(chain.evm(),
                AccountId.of(chain.evm().chain(), second));
        chain.mined(scheme2.open(payer, payee, wei(1_000_000), salt, null));
        ChannelId id2 = scheme2.channelId(payer, payee, eth, salt);
        assertFalse(java.util.Arrays.equals(id.bytes(), id2.bytes()), "channel ids bind the contract");
        assertReverts("InvalidSignature", () -> scheme2.claim(payee, new Voucher(id2, scheme2.contract(), wei(100),
                good.signature())));
        // signed for another chain id (same contract address and channel, domain chainId 1)
        byte[] foreignDomain = Abi.keccak(Abi.keccak(
                "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                Abi.keccak("IOTPAY"), Abi.keccak("1"), Abi.word(BigInteger.ONE), Abi.word(scheme.contract().address()));
        byte[] foreignDigest = Abi.keccak(new byte[] { 0x19, 0x01 }, foreignDomain, Abi.keccak(
                Abi.keccak("Voucher(bytes32 channelId,uint256 cumulativeAmount)"), id.bytes(),
                Abi.word(BigInteger.valueOf(100))));
        Signature foreign = chain.keys.signDigest(payer, foreignDigest);
        assertReverts("InvalidSignature", () -> scheme.claim(payee, new Voucher(id, scheme.contract(), wei(100),
                foreign)));
        // a close intent signature is not a voucher
        Signature closeAsVoucher = chain.keys.signDigest(payer, scheme.closeDigest(id, wei(100)));
        assertReverts("InvalidSignature", () -> scheme.claim(payee, new Voucher(id, scheme.contract(), wei(100),
                closeAsVoucher)));
        // above the deposit
        assertReverts("AmountExceedsDeposit", () -> scheme.claim(payee, voucher(payer, id, wei(1_000_001))));
        // the good voucher works once, the second claim of the same voucher does not
        chain.mined(scheme.claim(payee, good));
        assertReverts("VoucherNotNewer", () -> scheme.claim(payee, good));
        // an older voucher does not work either
        assertReverts("VoucherNotNewer", () -> scheme.claim(payee, voucher(payer, id, wei(50))));
        // only the payee can claim: a stranger with the payee's voucher derives another channel id
        AccountId funded = chain.funded(1);
        assertThrows(IllegalArgumentException.class, () -> scheme.claim(funded, voucher(payer, id, wei(200))));
        assertReverts("ChannelNotOpen", () -> chain.evm().send(funded, scheme.contract(), BigInteger.ZERO,
                claimCall(payer, salt, 200, voucher(payer, id, wei(200)).signature())));
    }

    @Test
    void closeIntentReplayedOnAnotherChannelIsRefused() {
        AccountId payer = chain.funded(10);
        AccountId payee = chain.funded(1);
        ChannelId a = open(payer, payee, wei(1_000_000), salt());
        ChannelId b = open(payer, payee, wei(1_000_000), salt());
        pastOpenDeadline();
        Signature closeA = chain.keys.signDigest(payee, scheme.closeDigest(a, wei(0)));
        assertReverts("InvalidSignature", () -> scheme.cooperativeClose(payer, voucher(payer, b, wei(0)), closeA));
        // a payer-signed intent is not the payee's
        Signature byPayer = chain.keys.signDigest(payer, scheme.closeDigest(b, wei(0)));
        assertReverts("InvalidSignature", () -> scheme.cooperativeClose(payer, voucher(payer, b, wei(0)), byPayer));
        // above the deposit, and below what was claimed
        Signature tooMuch = chain.keys.signDigest(payee, scheme.closeDigest(b, wei(2_000_000)));
        assertReverts("AmountExceedsDeposit", () -> scheme.cooperativeClose(payer, voucher(payer, b, wei(2_000_000)),
                tooMuch));
        chain.mined(scheme.claim(payee, voucher(payer, b, wei(500))));
        Signature below = chain.keys.signDigest(payee, scheme.closeDigest(b, wei(100)));
        assertReverts("VoucherNotNewer", () -> scheme.cooperativeClose(payer, voucher(payer, b, wei(100)), below));
        chain.mined(scheme.cooperativeClose(payer, voucher(payer, a, wei(0)), closeA));
        assertReverts("ChannelNotOpen", () -> scheme.cooperativeClose(payer, voucher(payer, a, wei(0)), closeA));
    }

    @Test
    void erc20ChannelLifecycle() {
        String token = chain.deploy("TestToken", new Utf8String("Test"), new Utf8String("TST"));
        Asset tst = scheme.asset(token.toLowerCase());
        assertEquals("TST", tst.symbol());
        assertEquals(18, tst.decimals());
        AccountId payer = chain.funded(1);
        AccountId payee = chain.funded(1);
        mint(token, payer, 1_000_000);
        byte[] salt = salt();
        chain.mined(scheme.open(payer, payee, Amount.ofUnits(600_000, tst), salt, null));
        ChannelId id = scheme.channelId(payer, payee, tst, salt);
        chain.mined(scheme.topUp(payer, id, Amount.ofUnits(100_000, tst)));
        assertEquals(Amount.ofUnits(700_000, tst), scheme.channel(id).orElseThrow().deposit());
        Voucher v = new Voucher(id, scheme.contract(), Amount.ofUnits(250_000, tst),
                chain.keys.signDigest(payer, scheme.voucherDigest(id, Amount.ofUnits(250_000, tst))));
        chain.mined(scheme.claim(payee, v));
        assertEquals(Amount.ofUnits(250_000, tst), scheme.earnings(payee, tst));
        assertEquals(Amount.ofUnits(0, tst), chain.connector.balance(payee, tst));
        pastOpenDeadline();
        Signature close = chain.keys.signDigest(payee, scheme.closeDigest(id, Amount.ofUnits(300_000, tst)));
        chain.mined(scheme.cooperativeClose(payer, new Voucher(id, scheme.contract(), Amount.ofUnits(300_000, tst),
                null), close));
        assertEquals(Amount.ofUnits(300_000, tst), scheme.earnings(payee, tst));
        assertEquals(Amount.ofUnits(700_000, tst), chain.connector.balance(payer, tst));
        chain.mined(scheme.withdrawEarnings(payee, Amount.ofUnits(300_000, tst)));
        assertEquals(Amount.ofUnits(300_000, tst), chain.connector.balance(payee, tst));
        assertEquals(Amount.ofUnits(0, tst), scheme.earnings(payee, tst));
    }

    @Test
    void tokenThatReentersOnTransferCannotReenter() {
        String evil = chain.deploy("ReentrantToken").toLowerCase();
        lastEvilAddress = evil;
        Asset evilAsset = scheme.asset(evil);
        AccountId payer = chain.funded(1);
        AccountId payee = chain.funded(1);
        mint(evil, payer, 10_000);
        // channel A: payer -> payee; channel B: payer -> the token contract itself
        byte[] saltA = salt();
        byte[] saltB = salt();
        chain.mined(scheme.open(payer, payee, Amount.ofUnits(1_000, evilAsset), saltA, null));
        ChannelId a = scheme.channelId(payer, payee, evilAsset, saltA);
        AccountId tokenAsPayee = AccountId.of(chain.evm().chain(), evil);
        chain.mined(scheme.open(payer, tokenAsPayee, Amount.ofUnits(500, evilAsset), saltB, null));
        ChannelId b = scheme.channelId(payer, tokenAsPayee, evilAsset, saltB);
        Signature vb = chain.keys.signDigest(payer, scheme.voucherDigest(b, Amount.ofUnits(200, evilAsset)));
        byte[] reentry = Abi.call(scheme.artifact().function("claim"), new Address(payer.address()),
                new Address(evil), new Uint256(new BigInteger(1, saltB)), new Uint256(200), new Uint8(v(vb)),
                Abi.bytes32(java.util.Arrays.copyOfRange(vb.bytes(), 0, 32)),
                Abi.bytes32(java.util.Arrays.copyOfRange(vb.bytes(), 32, 64)));
        AccountId evilContract = AccountId.of(chain.evm().chain(), evil);
        chain.mined(chain.evm().send(payer, evilContract, BigInteger.ZERO, Abi.call("arm(address,bytes)",
                new Address(scheme.contract().address()), new DynamicBytes(reentry))));

        // the payee claims on A (credited, no token call), then withdraws its earnings: the token's transfer
        // re-enters claim() on B from inside the payout
        Voucher va = new Voucher(a, scheme.contract(), Amount.ofUnits(100, evilAsset),
                chain.keys.signDigest(payer, scheme.voucherDigest(a, Amount.ofUnits(100, evilAsset))));
        chain.mined(scheme.claim(payee, va));
        assertEquals(Boolean.FALSE, evilView("reentryAttempted()", new TypeReference<Bool>() { }));
        chain.mined(scheme.withdrawEarnings(payee, Amount.ofUnits(100, evilAsset)));
        assertEquals(Boolean.TRUE, evilView("reentryAttempted()", new TypeReference<Bool>() { }));
        assertEquals(Boolean.FALSE, evilView("reentrySucceeded()", new TypeReference<Bool>() { }));
        byte[] revertData = (byte[]) evilView("reentryRevertData()", new TypeReference<DynamicBytes>() { });
        assertArrayEquals(Abi.selector("Reentrancy()"), revertData);
        assertEquals(Amount.ofUnits(0, evilAsset), scheme.channel(b).orElseThrow().claimed());
        assertEquals(Amount.ofUnits(100, evilAsset), chain.connector.balance(payee, evilAsset));
        assertEquals(Amount.ofUnits(0, evilAsset), scheme.earnings(payee, evilAsset));

        // the same call outside a payout is valid: only the re-entry was blocked
        chain.mined(chain.evm().send(payer, evilContract, BigInteger.ZERO, Abi.call("exec(address,bytes)",
                new Address(scheme.contract().address()), new DynamicBytes(reentry))));
        assertEquals(Amount.ofUnits(200, evilAsset), scheme.channel(b).orElseThrow().claimed());
        assertEquals(Amount.ofUnits(200, evilAsset), scheme.earnings(tokenAsPayee, evilAsset));
    }

    @Test
    void clientSideChecks() {
        AccountId payer = chain.funded(1);
        AccountId payee = chain.keys.newAccount();
        assertThrows(IllegalArgumentException.class, () -> scheme.open(payer, payee, wei(1), new byte[31], null));
        assertThrows(IllegalArgumentException.class, () -> scheme.open(payer, payee, wei(1), salt(),
                Duration.ofSeconds(Devchain.CHALLENGE_SECONDS + 1)));
        assertThrows(IllegalArgumentException.class, () -> scheme.claim(payee,
                Voucher.unsigned(new ChannelId(salt()), scheme.contract(), wei(1))));
        byte[] stale = scheme.newSalt(Duration.ofSeconds(1));
        chain.advance(Duration.ofSeconds(5));
        assertReverts("OpenDeadlinePassed", () -> scheme.open(payer, payee, wei(1), stale, null));
        assertReverts("OpenDeadlineTooFar", () -> scheme.open(payer, payee, wei(1), scheme.newSalt(Duration.ofDays(2)),
                null));
        assertReverts("InvalidPayee", () -> scheme.open(payer, payer, wei(1), salt(), null));
        assertReverts("InvalidAmount", () -> scheme.open(payer, payee, wei(0), salt(), null));
        assertTrue(scheme.channel(new ChannelId(salt())).isEmpty());
        byte[] digest = scheme.voucherDigest(new ChannelId(salt()), wei(5));
        assertEquals(payer, scheme.recoverSigner(digest, chain.keys.signDigest(payer, digest)));
    }

    private void mint(String token, AccountId to, long amount) {
        chain.mined(chain.evm().send(to, AccountId.of(chain.evm().chain(), token), BigInteger.ZERO,
                Abi.call("mint(address,uint256)", new Address(to.address()), new Uint256(amount))));
    }

    @SuppressWarnings("rawtypes")
    private Object evilView(String sig, TypeReference<?> out) {
        return ((org.web3j.abi.datatypes.Type) chain.evm().call(AccountId.of(chain.evm().chain(),
                lastEvil()), Abi.call(sig), out).get(0)).getValue();
    }

    private String lastEvilAddress;

    private String lastEvil() {
        return lastEvilAddress;
    }

    private byte[] claimCall(AccountId payer, byte[] salt, long amount, Signature s) {
        return Abi.call(scheme.artifact().function("claim"), new Address(payer.address()),
                new Address("0x0000000000000000000000000000000000000000"), new Uint256(new BigInteger(1, salt)),
                new Uint256(amount), new Uint8(v(s)), Abi.bytes32(java.util.Arrays.copyOfRange(s.bytes(), 0, 32)),
                Abi.bytes32(java.util.Arrays.copyOfRange(s.bytes(), 32, 64)));
    }

    private static int v(Signature s) {
        return s.bytes()[64] & 0xff;
    }

    private BigInteger gasFee(io.iotpay.api.chain.TxReceipt r) {
        var raw = chain.evm().receipts().raw(r.hash()).orElseThrow();
        return r.gasUsed().multiply(io.iotpay.chain.evm.internal.rpc.JsonRpcClient.bigQuantity(raw.get("effectiveGasPrice")));
    }

    /** Security review M4: what a provider accepts against is read at the connector's confirmation depth. */
    @Test
    void confirmedChannelReadsAtTheConfirmationDepthWhileChannelReadsTheHead() {
        EvmChain e = chain.evm();
        EvmChain deep = new EvmChain(e.chain(), e.rpc(), e.sender(), e.receipts(), e.nativeAsset(), e.reverts(),
                e.logsFromBlock(), e.settleTimeout(), 3);
        IotpaySettlementScheme deepScheme = new IotpaySettlementScheme(deep, scheme.contract());
        assertEquals(1, chain.evm().confirmations(), "the devnet preset needs one confirmation");
        AccountId payer = chain.funded(10);
        AccountId payee = chain.funded(1);
        ChannelId id = open(payer, payee, wei(1_000_000), salt()); // mined in the head block: 1 confirmation
        assertEquals(wei(1_000_000), deepScheme.channel(id).orElseThrow().deposit(), "the head has the channel");
        assertTrue(deepScheme.confirmedChannel(id).isEmpty(), "not 3 blocks deep yet");
        assertEquals(wei(1_000_000), scheme.confirmedChannel(id).orElseThrow().deposit(),
                "with confirmation depth 1 the head is final");
        chain.evm().rpc().call("evm_mine");
        assertTrue(deepScheme.confirmedChannel(id).isEmpty(), "2 confirmations are not 3");
        chain.evm().rpc().call("evm_mine");
        assertEquals(wei(1_000_000), deepScheme.confirmedChannel(id).orElseThrow().deposit(), "3 confirmations");

        chain.mined(scheme.topUp(payer, id, wei(500_000)));
        assertEquals(wei(1_500_000), deepScheme.channel(id).orElseThrow().deposit());
        assertEquals(wei(1_000_000), deepScheme.confirmedChannel(id).orElseThrow().deposit(),
                "a top-up counts once it is 3 blocks deep");
        chain.evm().rpc().call("evm_mine");
        chain.evm().rpc().call("evm_mine");
        assertEquals(wei(1_500_000), deepScheme.confirmedChannel(id).orElseThrow().deposit());
    }

    /**
     * Security review L3: closesAt is kept in 32 bits, so the constructor bounds the challenge period (365 days);
     * above it the deployment reverts instead of letting closesAt wrap to a time in the past.
     */
    @Test
    void theChallengePeriodIsBoundedSoThatClosesAtCannotWrap() {
        long year = 365L * 24 * 3600;
        String ok = chain.deploy("IotpayChannels", new org.web3j.abi.datatypes.generated.Uint32(year));
        IotpaySettlementScheme s = new IotpaySettlementScheme(chain.evm(), AccountId.of(chain.evm().chain(), ok));
        assertEquals(Duration.ofSeconds(year), s.challengePeriod());
        IllegalStateException tooLong = assertThrows(IllegalStateException.class,
                () -> chain.deploy("IotpayChannels", new org.web3j.abi.datatypes.generated.Uint32(year + 1)));
        assertTrue(tooLong.getMessage().contains("reverted"), tooLong.getMessage());
        assertThrows(IllegalStateException.class,
                () -> chain.deploy("IotpayChannels", new org.web3j.abi.datatypes.generated.Uint32(0)));
    }
}
