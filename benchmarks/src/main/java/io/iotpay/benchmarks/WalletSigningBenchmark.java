package io.iotpay.benchmarks;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.PaymentIntent;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.api.wallet.VoucherDomain;
import io.iotpay.wallet.internal.WalletConfig;
import io.iotpay.wallet.internal.WalletService;

/**
 * The consumer's whole voucher signing path in the wallet, as the channel engine calls it for every voucher: policy
 * check and reservation, the durable spending book (written and fsync'd before the signature), the account lock and
 * the secp256k1 signature. One channel; each call signs the next cumulative amount. Results in docs/benchmarks.md,
 * "Wallet: voucher signing path".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalletSigningBenchmark {

    private static final String ANVIL = "test test test test test test test test test test test junk";

    private Path folder;
    private WalletService wallet;
    private AccountId payer;
    private AccountId payee;
    private VoucherDomain domain;
    private ChannelId channel;
    private Asset eth;
    private final AtomicLong cumulative = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("iotpay-wallet-bench");
        wallet = new WalletService(config(folder.resolve("keystore").toString()));
        payer = wallet.importMnemonic("payer", ANVIL, ChainId.DEVNET, 0).account();
        payee = AccountId.parse("eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
        eth = Asset.DEVNET_ETH;
        wallet.setPolicy(payer, new SpendingPolicy(null, Amount.ofUnits(BigInteger.TEN.pow(30), eth), Map.of(), null,
                Set.of(payee), null, ZoneId.of("UTC")));
        AccountId contract = AccountId.parse("eip155:31337:0x5fbdb2315678afecb367f032d93f642f64180aa3");
        domain = VoucherDomain.iotpay(contract, "1");
        channel = new ChannelId(new byte[32]);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One voucher one unit above the previous one, through policy, spending book and signature. */
    @Benchmark
    public Signature signVoucher() {
        long c = cumulative.incrementAndGet();
        Amount total = Amount.ofUnits(c, eth);
        AccountId contract = domain.verifyingContract();
        return wallet.signVoucher(new PaymentIntent(payer, payee, Amount.ofUnits(1, eth), total, null, "bench",
                channel), Voucher.unsigned(channel, contract, total), domain);
    }

    private static WalletConfig config(String folder) {
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
                return "benchmark passphrase";
            }

            @Override
            public int scryptN() {
                return 1024; // key file encryption only: not on the measured path
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
