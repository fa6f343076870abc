package io.iotpay.chain.evm.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.Signature;
import io.iotpay.chain.evm.internal.abi.Abi;
import io.iotpay.chain.evm.internal.scheme.EvmDeviceRegistryClient;
import io.iotpay.chain.evm.internal.scheme.IotpaySettlementScheme;

/**
 * Measures the gas of every contract operation on a real anvil (receipts' gasUsed) and checks the targets that the
 * contracts meet. With {@code -Dgas.report=true} it also writes {@code docs/gas.md}:
 * {@code mvn -pl bundles/io.iotpay.chain.evm verify -Dgas.report=true -Dtest=GasReportTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GasReportTest {

    static final String COMMAND = "mvn -B -pl bundles/io.iotpay.chain.evm verify -Dgas.report=true "
            + "-Dtest=GasReportTest -Dsurefire.failIfNoSpecifiedTests=false";

    private static final SecureRandom RANDOM = new SecureRandom();
    private Devchain chain;
    private IotpaySettlementScheme scheme;
    private final Map<String, long[]> rows = new LinkedHashMap<>(); // op -> {native, erc20} (-1 = n/a)
    private final Map<String, Long> other = new LinkedHashMap<>();

    @BeforeAll
    void start() {
        chain = Devchain.start();
        scheme = (IotpaySettlementScheme) chain.connector.settlement();
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    private long gas(TxHash tx) {
        return chain.mined(tx).gasUsed().longValueExact();
    }

    private void row(String op, int col, long gas) {
        rows.computeIfAbsent(op, k -> new long[] { -1, -1 })[col] = gas;
    }

    private byte[] salt() {
        return scheme.newSalt(Duration.ofSeconds(60));
    }

    private Voucher voucher(AccountId payer, ChannelId id, Amount a) {
        Signature s = chain.keys.signDigest(payer, scheme.voucherDigest(id, a));
        return new Voucher(id, scheme.contract(), a, s);
    }

    /** Measures one asset column (0 native, 1 ERC-20). */
    private void measure(int col, Asset asset, String token) {
        Amount deposit = Amount.ofUnits(1_000_000, asset);
        AccountId payer = chain.funded(100);
        AccountId payee = chain.funded(1);
        if (token != null) {
            // steady state: payer, payee and contract hold the token; finite allowance
            mint(token, payer, 100_000_000);
            mint(token, payee, 1);
            approve(token, payer, BigInteger.valueOf(90_000_000));
            AccountId seed = chain.funded(1);
            mint(token, seed, 10);
            approve(token, seed, BigInteger.TEN);
            chain.mined(scheme.open(seed, payee, Amount.ofUnits(10, asset), salt(), null));
        }
        // first-ever claim: creates the payee's earnings slot; everything after is steady state
        byte[] s0 = salt();
        chain.mined(scheme.open(payer, payee, deposit, s0, null));
        ChannelId c0 = scheme.channelId(payer, payee, asset, s0);
        long firstClaim = gas(scheme.claim(payee, voucher(payer, c0, Amount.ofUnits(10, asset))));
        // open + cooperative close without claim
        byte[] s1 = salt();
        long open = gas(scheme.open(payer, payee, deposit, s1, null));
        ChannelId c1 = scheme.channelId(payer, payee, asset, s1);
        // claim, second claim, top up on another channel
        byte[] s2 = salt();
        chain.mined(scheme.open(payer, payee, deposit, s2, null));
        ChannelId c2 = scheme.channelId(payer, payee, asset, s2);
        long claim = gas(scheme.claim(payee, voucher(payer, c2, Amount.ofUnits(100_000, asset))));
        long claim2 = gas(scheme.claim(payee, voucher(payer, c2, Amount.ofUnits(200_000, asset))));
        long topUp = gas(scheme.topUp(payer, c2, Amount.ofUnits(1_000, asset)));
        // batch of 20, each from its own payer
        List<Voucher> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            AccountId p = chain.funded(1);
            if (token != null) {
                mint(token, p, 1_000_000);
                approve(token, p, BigInteger.valueOf(1_000_000));
            }
            byte[] s = salt();
            chain.mined(scheme.open(p, payee, Amount.ofUnits(100_000, asset), s, null));
            batch.add(voucher(p, scheme.channelId(p, payee, asset, s), Amount.ofUnits(1_000 + i, asset)));
        }
        long batchTotal = gas(scheme.claimBatch(payee, batch));
        // unilateral path on a third channel
        byte[] s3 = salt();
        chain.mined(scheme.open(payer, payee, deposit, s3, null));
        ChannelId c3 = scheme.channelId(payer, payee, asset, s3);
        long startClose = gas(scheme.startClose(payer, c3));
        long claimChallenge = gas(scheme.claim(payee, voucher(payer, c3, Amount.ofUnits(5_000, asset))));
        chain.advance(Duration.ofSeconds(Devchain.CHALLENGE_SECONDS + 61));
        long withdraw = gas(scheme.withdraw(payer, c3));
        // cooperative closes (after the open deadline)
        Amount fin = Amount.ofUnits(300_000, asset);
        long coop = gas(scheme.cooperativeClose(payer, voucher(payer, c1, fin),
                chain.keys.signDigest(payee, scheme.closeDigest(c1, fin))));
        Amount fin2 = Amount.ofUnits(400_000, asset);
        long coopAfterClaim = gas(scheme.cooperativeClose(payer, voucher(payer, c2, fin2),
                chain.keys.signDigest(payee, scheme.closeDigest(c2, fin2))));

        long withdrawEarnings = gas(scheme.withdrawEarnings(payee, scheme.withdrawableKeepingDust(payee, asset)));

        row("open (native: `openNative`; ERC-20: `open`)", col, open);
        row("cooperative close (no earlier claim)", col, coop);
        row("**open + cooperative close**", col, open + coop);
        row("**claim** (single channel)", col, claim);
        row("claim (second voucher, same channel)", col, claim2);
        row("**batch claim, 20 channels, per channel**", col, batchTotal / 20);
        row("batch claim, 20 channels, whole transaction", col, batchTotal);
        row("top up", col, topUp);
        row("cooperative close after a claim", col, coopAfterClaim);
        row("start close (payer)", col, startClose);
        row("claim during the challenge period", col, claimChallenge);
        row("withdraw after the challenge period", col, withdraw);
        row("withdrawEarnings (payee), leaving 1 unit", col, withdrawEarnings);
        row("claim, first ever (payee's earnings slot created)", col, firstClaim);
    }

    private void mint(String token, AccountId to, long amount) {
        chain.mined(chain.evm().send(to, AccountId.of(chain.evm().chain(), token), BigInteger.ZERO,
                Abi.call("mint(address,uint256)", new Address(to.address()), new Uint256(amount))));
    }

    private void approve(String token, AccountId owner, BigInteger amount) {
        chain.mined(chain.evm().send(owner, AccountId.of(chain.evm().chain(), token), BigInteger.ZERO,
                Abi.call("approve(address,uint256)", new Address(scheme.contract().address()), new Uint256(amount))));
    }

    private void measureRegistryAndNotary() {
        EvmDeviceRegistryClient reg = (EvmDeviceRegistryClient) chain.connector.deviceRegistry();
        AccountId owner = chain.funded(1);
        AccountId next = chain.funded(1);
        String device = "gas-device";
        other.put("registerDevice", gas(reg.register(owner, random32(), device)));
        byte[] cert = random32();
        other.put("anchorCertificate", gas(reg.register(owner, cert, device)));
        other.put("revokeCertificate", gas(reg.revoke(owner, cert)));
        Instant deadline = Instant.now().plusSeconds(86_400 * 30);
        byte[] d = reg.transferDigest(device, owner, next, BigInteger.ZERO, deadline);
        other.put("transferOwnership", gas(reg.transferOwnership(device, owner, next, chain.keys.signDigest(owner, d),
                chain.keys.signDigest(next, d), BigInteger.ZERO, deadline)));
        AccountId notary = AccountId.of(chain.evm().chain(), chain.deployment.notary());
        other.put("Notary.anchor (log only)", gas(chain.evm().send(owner, notary, BigInteger.ZERO,
                Abi.call("anchor(uint64,bytes32,uint32)", new Uint64(1), Abi.bytes32(random32()), new Uint32(100)))));
        other.put("Notary.anchorStored", gas(chain.evm().send(owner, notary, BigInteger.ZERO, Abi.call(
                "anchorStored(uint64,bytes32,uint32)", new Uint64(2), Abi.bytes32(random32()), new Uint32(100)))));
    }

    private static byte[] random32() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    @Test
    void measureAndReport() throws IOException {
        measure(0, chain.connector.nativeAsset(), null);
        String token = chain.deploy("TestToken", new Utf8String("Gas"), new Utf8String("GAS")).toLowerCase();
        measure(1, scheme.asset(token), token);
        measureRegistryAndNotary();

        long openClose = rows.get("**open + cooperative close**")[0];
        long claim = rows.get("**claim** (single channel)")[0];
        long perChannel = rows.get("**batch claim, 20 channels, per channel**")[0];
        String report = render(openClose, claim, perChannel);
        System.out.println(report);
        if (Boolean.getBoolean("gas.report")) {
            Path root = repoRoot();
            Files.createDirectories(root.resolve("docs"));
            Files.writeString(root.resolve("docs/gas.md"), report, StandardCharsets.UTF_8);
        }
        assertTrue(openClose <= 90_000, "open + cooperative close " + openClose + " > 90,000");
        assertTrue(claim <= 45_000, "claim " + claim + " > 45,000");
        assertTrue(perChannel <= 15_000, "batch claim per channel " + perChannel + " > 15,000");
    }

    private String render(long openClose, long claim, long perChannel) {
        StringBuilder sb = new StringBuilder();
        sb.append("# IOTPAY contract gas\n\n");
        sb.append("Generated by `GasReportTest` (bundles/io.iotpay.chain.evm) against a real anvil ")
                .append("(`@foundry-rs/anvil-linux-amd64` from `tools/package.json`, chain 31337, default hardfork), ")
                .append("from the committed artifacts in `src/main/resources/contracts/`. Do not edit by hand; ")
                .append("regenerate with:\n\n```\ncd tools && npm ci && cd ..\n").append(COMMAND).append("\n```\n\n");
        sb.append("Figures are receipts' `gasUsed` (after refunds). Transactions are sent by the Java connector ")
                .append("(EIP-1559, signed locally). Payees are funded accounts. Steady state: the payee already ")
                .append("holds earnings in the contract (claims and cooperative closes credit `earnings[payee][token]`, ")
                .append("the payee withdraws with `withdrawEarnings` and leaves one unit); the first-ever claim, ")
                .append("which creates that slot, is listed separately. ERC-20 figures are steady state: ")
                .append("payer, payee and contract already hold the token, the allowance is finite and pre-approved ")
                .append("(the approval is not counted). Salts carry an open deadline 60 s ahead; cooperative closes ")
                .append("run after it.\n\n");
        sb.append("## IotpayChannels\n\n| operation | native coin | ERC-20 | target |\n|---|---:|---:|---|\n");
        for (Map.Entry<String, long[]> e : rows.entrySet()) {
            String target = switch (e.getKey()) {
                case "**open + cooperative close**" -> "<= 90,000 (native)";
                case "**claim** (single channel)" -> "<= 45,000 (native)";
                case "**batch claim, 20 channels, per channel**" -> "<= 15,000 (native)";
                default -> "";
            };
            sb.append("| ").append(e.getKey()).append(" | ").append(fmt(e.getValue()[0])).append(" | ")
                    .append(fmt(e.getValue()[1])).append(" | ").append(target).append(" |\n");
        }
        sb.append("\n## DeviceRegistry and Notary\n\n| operation | gas |\n|---|---:|\n");
        other.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(fmt(v)).append(" |\n"));
        sb.append("\n## Against the targets (native coin)\n\n| target | measured | result |\n|---|---:|---|\n");
        sb.append("| open + cooperative close <= 90,000 | ").append(fmt(openClose)).append(" | ")
                .append(openClose <= 90_000 ? "met" : "**not met**").append(" |\n");
        sb.append("| claim <= 45,000 | ").append(fmt(claim)).append(" | ").append(claim <= 45_000 ? "met" : "**not met**")
                .append(" |\n");
        sb.append("| batch claim of 20 <= 15,000 per channel | ").append(fmt(perChannel)).append(" | ")
                .append(perChannel <= 15_000 ? "met" : "**not met**").append(" |\n");
        sb.append("\nThe test fails if a target is missed. Salts are made by `IotpaySettlementScheme.newSalt` ")
                .append("(open deadline in the low 64 bits, 64 random bits above, zeros elsewhere: cheaper calldata). ")
                .append("Contract design and the reasoning behind these figures: `docs/contracts.md`.\n");
        return sb.toString();
    }

    private static String fmt(long v) {
        return v < 0 ? "" : String.format(java.util.Locale.ROOT, "%,d", v);
    }

    private static Path repoRoot() {
        String p = System.getProperty("iotpay.repo.root");
        if (p != null && Files.isDirectory(Paths.get(p, "tools"))) {
            return Paths.get(p);
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("tools")) && Files.isDirectory(d.resolve("bundles"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a folder with tools/ and bundles/)");
    }
}
