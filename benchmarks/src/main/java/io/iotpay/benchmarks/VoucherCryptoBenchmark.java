package io.iotpay.benchmarks;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.VoucherDomain;
import io.iotpay.wallet.internal.WalletService;
import io.iotpay.wallet.internal.crypto.BouncyCastleSecp256k1;
import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.crypto.Keccak;
import io.iotpay.wallet.internal.crypto.NativeSecp256k1;
import io.iotpay.wallet.internal.eip712.Eip712;

/**
 * EIP-712 voucher digest, sign, verify and recover: native libsecp256k1 vs BouncyCastle vs web3j {@code Sign}.
 * Throughput in operations per second (one thread unless {@code -t} says otherwise).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VoucherCryptoBenchmark {
    private static final byte[] VOUCHER_TYPEHASH = Keccak.keccak256(
            "Voucher(bytes32 channelId,uint256 cumulativeAmount)".getBytes(StandardCharsets.US_ASCII));

    NativeSecp256k1 nat;
    BouncyCastleSecp256k1 bc;
    ECKeyPair web3jKey;
    byte[] key;
    byte[] pub;
    byte[] digest;
    byte[] sig;
    Sign.SignatureData web3jSig;
    Voucher voucher;
    VoucherDomain domain;
    byte[] domainSeparator;
    long cumulative = 1_000_000_000_000L;
    Eip712.TypedData typedVoucher;

    @Setup(Level.Trial)
    public void setup() {
        nat = NativeSecp256k1.load();
        bc = new BouncyCastleSecp256k1();
        key = Keccak.keccak256("benchmark payer".getBytes(StandardCharsets.US_ASCII));
        pub = bc.publicKey(key);
        web3jKey = ECKeyPair.create(key);
        AccountId contract = AccountId.of(ChainId.DEVNET, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
        domain = VoucherDomain.iotpay(contract, "1");
        voucher = Voucher.unsigned(new ChannelId(Keccak.keccak256(new byte[] {1})), contract,
                Amount.ofUnits(cumulative, Asset.DEVNET_ETH));
        digest = WalletService.voucherDigest(voucher, domain);
        sig = nat.sign(digest, key, pub);
        web3jSig = new Sign.SignatureData(sig[64], Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64));
        // the payee precomputes the domain separator once per contract
        byte[] full = WalletService.voucherDigest(voucher, domain);
        domainSeparator = null;
        domainSeparator = computeDomainSeparator();
        Map<String, List<Eip712.Field>> types = new LinkedHashMap<>();
        types.put("EIP712Domain", List.of(new Eip712.Field("name", "string"), new Eip712.Field("version", "string"),
                new Eip712.Field("chainId", "uint256"), new Eip712.Field("verifyingContract", "address")));
        types.put("Voucher", List.of(new Eip712.Field("channelId", "bytes32"),
                new Eip712.Field("cumulativeAmount", "uint256")));
        typedVoucher = new Eip712.TypedData(types, "Voucher", Map.of("name", "IOTPAY", "version", "1", "chainId",
                BigInteger.valueOf(31337), "verifyingContract", contract.address()), Map.of("channelId",
                        voucher.channel().bytes(), "cumulativeAmount", BigInteger.valueOf(cumulative)));
        if (!Arrays.equals(full, Eip712.digest(typedVoucher))) {
            throw new IllegalStateException("generic encoder differs from the wallet's voucher digest");
        }
        if (!Arrays.equals(full, fastDigest(voucher.channel().bytes(), BigInteger.valueOf(cumulative)))) {
            throw new IllegalStateException("fast digest differs from the generic EIP-712 encoder");
        }
    }

    private static byte[] computeDomainSeparator() {
        byte[] typeHash = Keccak.keccak256(("EIP712Domain(string name,string version,uint256 chainId,"
                + "address verifyingContract)").getBytes(StandardCharsets.US_ASCII));
        byte[] addr = new byte[32];
        System.arraycopy(Bytes.fromHex("5fbdb2315678afecb367f032d93f642f64180aa3", "a"), 0, addr, 12, 20);
        return Keccak.keccak256(typeHash, Keccak.keccak256("IOTPAY".getBytes(StandardCharsets.US_ASCII)),
                Keccak.keccak256("1".getBytes(StandardCharsets.US_ASCII)), Bytes.toFixed(BigInteger.valueOf(31337), 32),
                addr);
    }

    byte[] fastDigest(byte[] channel, BigInteger amount) {
        byte[] structHash = Keccak.keccak256(VOUCHER_TYPEHASH, channel, Bytes.toFixed(amount, 32));
        return Keccak.keccak256(new byte[] {0x19, 0x01}, domainSeparator, structHash);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nat.close();
    }

    // ------------------------------------------------------------------ hashing

    @Benchmark
    public byte[] digestGenericEip712Encoder() {
        return Eip712.digest(typedVoucher);
    }

    @Benchmark
    public byte[] digestWalletVoucherDigest() {
        return WalletService.voucherDigest(voucher, domain);
    }

    @Benchmark
    public byte[] digestPrecomputedDomain() {
        return fastDigest(voucher.channel().bytes(), BigInteger.valueOf(cumulative));
    }

    // ------------------------------------------------------------------ sign

    @Benchmark
    public byte[] signNative() {
        return nat.sign(digest, key, pub);
    }

    @Benchmark
    public byte[] signBouncyCastle() {
        return bc.sign(digest, key, pub);
    }

    @Benchmark
    public Sign.SignatureData signWeb3j() {
        return Sign.signMessage(digest, web3jKey, false);
    }

    // ------------------------------------------------------------------ verify

    @Benchmark
    public boolean verifyNative() {
        return nat.verify(digest, sig, pub);
    }

    @Benchmark
    public boolean verifyBouncyCastle() {
        return bc.verify(digest, sig, pub);
    }

    // ------------------------------------------------------------------ recover

    @Benchmark
    public byte[] recoverNative() {
        return nat.recover(digest, sig);
    }

    @Benchmark
    public byte[] recoverBouncyCastle() {
        return bc.recover(digest, sig);
    }

    @Benchmark
    public BigInteger recoverWeb3j() throws Exception {
        return Sign.signedMessageHashToKey(digest, web3jSig);
    }

    // ------------------------------------------------------------------ payee side of a voucher: hash + recover

    @Benchmark
    public byte[] payeeHashAndRecoverNative() {
        return nat.recover(fastDigest(voucher.channel().bytes(), BigInteger.valueOf(cumulative)), sig);
    }

    @Benchmark
    public byte[] payeeHashAndRecoverBouncyCastle() {
        return bc.recover(fastDigest(voucher.channel().bytes(), BigInteger.valueOf(cumulative)), sig);
    }
}
