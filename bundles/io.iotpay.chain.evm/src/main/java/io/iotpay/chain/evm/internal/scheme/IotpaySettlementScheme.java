package io.iotpay.chain.evm.internal.scheme;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.utils.Numeric;

import com.fasterxml.jackson.databind.JsonNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.SettlementScheme;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;
import io.iotpay.chain.evm.internal.EvmChain;
import io.iotpay.chain.evm.internal.abi.Abi;
import io.iotpay.chain.evm.internal.abi.ContractArtifact;
import io.iotpay.chain.evm.internal.abi.Secp256k1;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;

/**
 * IOTPAY's own channel contract ({@code IotpayChannels.sol}), scheme id {@value #ID}.
 *
 * <p>The contract stores one slot per channel and no parameters: every call passes (payer, payee, token, salt) and the
 * contract re-derives the id. This client keeps those parameters per channel id: it learns them when it computes or
 * opens a channel, and otherwise reads them from the calldata of the transaction that emitted the channel's
 * {@code ChannelOpened} log (indexed by id), so nothing is lost when the bundle restarts. The salt's low 64 bits are the
 * channel's open deadline ({@link #newSalt}); settled channels have a zeroed slot and are reported {@code SETTLED} from
 * their {@code ChannelClosed} log. Channel ids: {@code keccak256(abi.encode(chainid, contract, payer, payee, token,
 * salt))}. Vouchers and close intents are EIP-712 typed data in the domain {name "IOTPAY", version "1", chainId,
 * verifyingContract}: {@code Voucher(bytes32 channelId,uint256 cumulativeAmount)} and
 * {@code CloseIntent(bytes32 channelId,uint256 finalAmount)}. Claims and cooperative closes credit the payee's
 * earnings in the contract (pull payments); the payee withdraws them with {@link #withdrawEarnings}.
 *
 * <p>The contract has one challenge period for every channel (constructor argument); {@link #open} refuses a request
 * for a longer one than the contract gives.
 */
public final class IotpaySettlementScheme implements SettlementScheme {

    /** Scheme id. */
    public static final String ID = "iotpay-channels-v1";
    /** EIP-712 domain name. */
    public static final String DOMAIN_NAME = "IOTPAY";
    /** EIP-712 domain version. */
    public static final String DOMAIN_VERSION = "1";
    /** Contract artifact name. */
    public static final String ARTIFACT = "IotpayChannels";

    private static final byte[] DOMAIN_TYPEHASH = Abi.keccak(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    private static final byte[] VOUCHER_TYPEHASH = Abi.keccak("Voucher(bytes32 channelId,uint256 cumulativeAmount)");
    private static final byte[] CLOSE_TYPEHASH = Abi.keccak("CloseIntent(bytes32 channelId,uint256 finalAmount)");
    private static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

    /** Parameters the contract needs besides the channel id. */
    record Params(String payer, String payee, String token, BigInteger salt) {
    }

    private final EvmChain evm;
    private final AccountId contract;
    private final ContractArtifact artifact;
    private final byte[] domainSeparator;
    private final Map<ChannelId, Params> params = new ConcurrentHashMap<>();
    private final Map<String, Asset> tokens = new ConcurrentHashMap<>();
    private volatile Long challengePeriodSeconds;

    /**
     * @param evm the chain
     * @param contract the deployed IotpayChannels
     */
    public IotpaySettlementScheme(EvmChain evm, AccountId contract) {
        evm.checkChain(contract, "channel contract");
        this.evm = evm;
        this.contract = contract;
        this.artifact = ContractArtifact.load(ARTIFACT);
        this.domainSeparator = Abi.keccak(DOMAIN_TYPEHASH, Abi.keccak(DOMAIN_NAME), Abi.keccak(DOMAIN_VERSION),
                Abi.word(BigInteger.valueOf(evm.chain().evmChainId())), Abi.word(contract.address()));
    }

    /** @return the contract artifact (ABI) */
    public ContractArtifact artifact() {
        return artifact;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AccountId contract() {
        return contract;
    }

    /** @return the EIP-712 domain separator */
    public byte[] domainSeparator() {
        return domainSeparator.clone();
    }

    private static String token(Asset asset) {
        return asset.isNative() ? ZERO_ADDRESS : asset.token().toLowerCase(Locale.ROOT);
    }

    @Override
    public ChannelId channelId(AccountId payer, AccountId payee, Asset asset, byte[] salt32) {
        evm.checkChain(payer, "payer");
        evm.checkChain(payee, "payee");
        if (!asset.chain().equals(evm.chain())) {
            throw new IllegalArgumentException("asset " + asset + " is not on chain " + evm.chain());
        }
        if (salt32 == null || salt32.length != 32) {
            throw new IllegalArgumentException("channel salt must be 32 bytes");
        }
        BigInteger salt = new BigInteger(1, salt32);
        ChannelId id = new ChannelId(Abi.keccak(Abi.word(BigInteger.valueOf(evm.chain().evmChainId())),
                Abi.word(contract.address()), Abi.word(payer.address()), Abi.word(payee.address()),
                Abi.word(token(asset)), Abi.word(salt)));
        params.putIfAbsent(id, new Params(payer.address(), payee.address(), token(asset), salt));
        if (!asset.isNative()) {
            tokens.putIfAbsent(token(asset), asset);
        }
        return id;
    }

    /** @return the contract's challenge period */
    public Duration challengePeriod() {
        Long s = challengePeriodSeconds;
        if (s == null) {
            s = ((BigInteger) evm.call(contract, Abi.call(artifact.function("challengePeriod")),
                    new TypeReference<Uint256>() { }).get(0).getValue()).longValueExact();
            challengePeriodSeconds = s;
        }
        return Duration.ofSeconds(s);
    }

    @Override
    public TxHash open(AccountId payer, AccountId payee, Amount deposit, byte[] salt32, Duration challengePeriod) {
        Duration actual = challengePeriod();
        if (challengePeriod != null && challengePeriod.compareTo(actual) > 0) {
            throw new IllegalArgumentException("challenge period " + challengePeriod + " was asked but contract "
                    + contract + " gives every channel " + actual);
        }
        ChannelId id = channelId(payer, payee, deposit.asset(), salt32);
        Params p = params.get(id);
        byte[] data = deposit.asset().isNative()
                ? Abi.call(artifact.function("openNative"), new Address(p.payee()), new Uint256(p.salt()))
                : Abi.call(artifact.function("open"), new Address(p.payee()), new Address(p.token()),
                        new Uint256(p.salt()), new Uint256(deposit.units()));
        return evm.send(payer, contract, approveIfToken(payer, deposit), data);
    }

    /**
     * Makes a salt for a new channel: the contract reads its low 64 bits as the open deadline (unix seconds; the open
     * must be mined by then, the channel can be settled only after it, at most one day ahead). Above it are 64 random
     * bits and zeros: enough to keep channels of the same parties apart, and zero bytes are cheaper calldata in every
     * call that passes the salt.
     *
     * @param openWindow time from the latest block until the deadline (e.g. 10 minutes)
     * @return 32 bytes
     */
    public byte[] newSalt(Duration openWindow) {
        long now = JsonRpcClient.quantity(evm.rpc().call("eth_getBlockByNumber", "latest", false).get("timestamp"));
        byte[] salt = new byte[32];
        byte[] random = new byte[8];
        new java.security.SecureRandom().nextBytes(random);
        System.arraycopy(random, 0, salt, 16, 8);
        long deadline = now + Math.max(1, openWindow.toSeconds());
        for (int i = 0; i < 8; i++) {
            salt[31 - i] = (byte) (deadline >>> (8 * i));
        }
        return salt;
    }

    /** @return the open deadline a salt carries (its low 64 bits) */
    public static Instant openDeadline(byte[] salt32) {
        long d = 0;
        for (int i = 24; i < 32; i++) {
            d = (d << 8) | (salt32[i] & 0xff);
        }
        return Instant.ofEpochSecond(d);
    }

    /** For tokens: makes sure the contract may pull the amount (approves and waits); returns the msg.value. */
    private BigInteger approveIfToken(AccountId payer, Amount amount) {
        if (amount.asset().isNative()) {
            return amount.units();
        }
        String token = token(amount.asset());
        BigInteger allowance = (BigInteger) evm.call(AccountId.of(evm.chain(), token),
                Abi.call("allowance(address,address)", new Address(payer.address()), new Address(contract.address())),
                new TypeReference<Uint256>() { }).get(0).getValue();
        if (allowance.compareTo(amount.units()) < 0) {
            TxHash approve = evm.send(payer, AccountId.of(evm.chain(), token), BigInteger.ZERO, Abi.call(
                    "approve(address,uint256)", new Address(contract.address()), new Uint256(amount.units())));
            evm.mined(approve);
        }
        return BigInteger.ZERO;
    }

    @Override
    public TxHash topUp(AccountId payer, ChannelId id, Amount extra) {
        Params p = resolve(id);
        requireParty(payer, p.payer(), "payer");
        requireAsset(p, extra);
        byte[] data = Abi.call(artifact.function("topUp"), new Address(p.payee()), new Address(p.token()),
                new Uint256(p.salt()), new Uint256(extra.units()));
        return evm.send(payer, contract, approveIfToken(payer, extra), data);
    }

    @Override
    public TxHash claim(AccountId payee, Voucher voucher) {
        checkVoucher(voucher);
        Params p = resolve(voucher.channel());
        requireParty(payee, p.payee(), "payee");
        requireAsset(p, voucher.cumulative());
        byte[] sig = voucher.signature().bytes();
        byte[] data = Abi.call(artifact.function("claim"), new Address(p.payer()), new Address(p.token()),
                new Uint256(p.salt()), new Uint256(voucher.cumulative().units()), new Uint8(v(sig)),
                Abi.bytes32(Arrays.copyOfRange(sig, 0, 32)), Abi.bytes32(Arrays.copyOfRange(sig, 32, 64)));
        return evm.send(payee, contract, BigInteger.ZERO, data);
    }

    @Override
    public TxHash claimBatch(AccountId payee, List<Voucher> vouchers) {
        if (vouchers == null || vouchers.isEmpty()) {
            throw new IllegalArgumentException("claimBatch needs at least one voucher");
        }
        Set<ChannelId> seen = new HashSet<>();
        String token = null;
        List<StaticStruct> items = new ArrayList<>();
        for (Voucher voucher : vouchers) {
            checkVoucher(voucher);
            if (!seen.add(voucher.channel())) {
                throw new IllegalArgumentException("channel " + voucher.channel() + " appears twice in the batch");
            }
            Params p = resolve(voucher.channel());
            requireParty(payee, p.payee(), "payee");
            requireAsset(p, voucher.cumulative());
            if (token == null) {
                token = p.token();
            } else if (!token.equals(p.token())) {
                throw new IllegalArgumentException("a batch claim pays in one asset: channel " + voucher.channel()
                        + " is in " + p.token() + ", the batch in " + token);
            }
            byte[] sig = voucher.signature().bytes();
            items.add(new StaticStruct(new Address(p.payer()), new Uint256(p.salt()),
                    new Uint256(voucher.cumulative().units()), new Uint8(v(sig)),
                    Abi.bytes32(Arrays.copyOfRange(sig, 0, 32)), Abi.bytes32(Arrays.copyOfRange(sig, 32, 64))));
        }
        byte[] data = Abi.call(artifact.function("claimBatch"), new Address(token),
                new DynamicArray<>(StaticStruct.class, items));
        return evm.send(payee, contract, BigInteger.ZERO, data);
    }

    @Override
    public TxHash cooperativeClose(AccountId caller, Voucher finalVoucher, Signature payeeCloseSignature) {
        if (finalVoucher == null || payeeCloseSignature == null) {
            throw new IllegalArgumentException("cooperative close needs the final voucher and the payee's signature");
        }
        checkContract(finalVoucher);
        checkSignature(payeeCloseSignature);
        Params p = resolve(finalVoucher.channel());
        requireParty(caller, p.payer(), "payer (the contract accepts the cooperative close from the payer only)");
        requireAsset(p, finalVoucher.cumulative());
        byte[] sig = payeeCloseSignature.bytes();
        byte[] data = Abi.call(artifact.function("closeCooperative"), new Address(p.payee()), new Address(p.token()),
                new Uint256(p.salt()), new Uint256(finalVoucher.cumulative().units()), new Uint8(v(sig)),
                Abi.bytes32(Arrays.copyOfRange(sig, 0, 32)), Abi.bytes32(Arrays.copyOfRange(sig, 32, 64)));
        return evm.send(caller, contract, BigInteger.ZERO, data);
    }

    /**
     * Reads the payee's withdrawable earnings in an asset. The contract credits claims and cooperative closes to this
     * balance (pull payments) instead of transferring to the payee.
     *
     * @param payee the payee
     * @param asset the asset
     * @return the balance
     */
    public Amount earnings(AccountId payee, Asset asset) {
        evm.checkChain(payee, "payee");
        BigInteger v = (BigInteger) evm.call(contract, Abi.call(artifact.function("earnings"),
                new Address(payee.address()), new Address(token(asset))), new TypeReference<Uint256>() { }).get(0)
                .getValue();
        return Amount.ofUnits(v, asset);
    }

    /**
     * Pays out part of the payee's earnings. Leaving one base unit behind keeps the earnings slot allocated, so later
     * credits stay cheap (see docs/contracts.md); {@link #withdrawableKeepingDust} computes that amount.
     *
     * @param payee the payee, signs the transaction
     * @param amount the amount to pay out
     * @return the transaction hash
     */
    public TxHash withdrawEarnings(AccountId payee, Amount amount) {
        return evm.send(payee, contract, BigInteger.ZERO, Abi.call(artifact.function("withdrawEarnings"),
                new Address(token(amount.asset())), new Uint256(amount.units())));
    }

    /** @return the payee's earnings minus one base unit (zero if there is at most one) */
    public Amount withdrawableKeepingDust(AccountId payee, Asset asset) {
        Amount e = earnings(payee, asset);
        return e.units().compareTo(BigInteger.ONE) <= 0 ? Amount.zero(asset) : e.minus(Amount.ofUnits(1, asset));
    }

    @Override
    public TxHash startClose(AccountId payer, ChannelId id) {
        Params p = resolve(id);
        requireParty(payer, p.payer(), "payer");
        return evm.send(payer, contract, BigInteger.ZERO, Abi.call(artifact.function("startClose"),
                new Address(p.payee()), new Address(p.token()), new Uint256(p.salt())));
    }

    @Override
    public TxHash withdraw(AccountId payer, ChannelId id) {
        Params p = resolve(id);
        requireParty(payer, p.payer(), "payer");
        return evm.send(payer, contract, BigInteger.ZERO, Abi.call(artifact.function("withdraw"),
                new Address(p.payee()), new Address(p.token()), new Uint256(p.salt())));
    }

    @Override
    public Optional<Channel> channel(ChannelId id) {
        return channelAt(id, "latest");
    }

    /** The channel as of the newest block with the connector's confirmation depth ({@link EvmChain#confirmations}). */
    @Override
    public Optional<Channel> confirmedChannel(ChannelId id) {
        return channelAt(id, evm.confirmedBlockTag());
    }

    @SuppressWarnings("rawtypes")
    private Optional<Channel> channelAt(ChannelId id, String blockTag) {
        List<Type> st = evm.callAt(contract, Abi.call(artifact.function("channel"), Abi.bytes32(id.bytes())),
                blockTag, new TypeReference<Uint256>() { }, new TypeReference<Uint256>() { },
                new TypeReference<Uint256>() { });
        BigInteger deposit = (BigInteger) st.get(0).getValue();
        BigInteger claimed = (BigInteger) st.get(1).getValue();
        long closesAt = ((BigInteger) st.get(2).getValue()).longValueExact();
        if (deposit.signum() == 0 && claimed.signum() == 0 && closesAt == 0) {
            return settled(id);
        }
        Params p = resolve(id);
        Asset asset = asset(p.token());
        ChannelState state;
        Instant closes = null;
        if (closesAt == 0) {
            state = ChannelState.OPEN;
        } else {
            closes = Instant.ofEpochSecond(closesAt);
            long now = JsonRpcClient.quantity(evm.rpc().call("eth_getBlockByNumber", "latest", false).get("timestamp"));
            state = now < closesAt ? ChannelState.CLOSING : ChannelState.CLOSED;
        }
        return Optional.of(new Channel(id, ID, contract, evm.account(p.payer()), evm.account(p.payee()), asset,
                Amount.ofUnits(deposit, asset), Amount.ofUnits(claimed, asset), state, closes));
    }

    @Override
    public byte[] voucherDigest(ChannelId id, Amount cumulative) {
        return digest(VOUCHER_TYPEHASH, id, cumulative.units());
    }

    @Override
    public byte[] closeDigest(ChannelId id, Amount finalCumulative) {
        return digest(CLOSE_TYPEHASH, id, finalCumulative.units());
    }

    private byte[] digest(byte[] typeHash, ChannelId id, BigInteger amount) {
        byte[] struct = Abi.keccak(typeHash, id.bytes(), Abi.word(amount));
        return Abi.keccak(new byte[] { 0x19, 0x01 }, domainSeparator, struct);
    }

    @Override
    public AccountId recoverSigner(byte[] digest, Signature signature) {
        checkSignature(signature);
        return evm.account(Secp256k1.recoverAddress(digest, signature.bytes()));
    }

    // ------------------------------------------------------------------ parameters and assets

    /**
     * Finds the parameters of a channel: cached, or from its {@code ChannelOpened} log.
     *
     * @throws IllegalArgumentException if the contract never opened this channel
     */
    Params resolve(ChannelId id) {
        Params p = params.get(id);
        if (p != null) {
            return p;
        }
        for (JsonNode log : logs("ChannelOpened", id)) {
            JsonNode tx = evm.rpc().call("eth_getTransactionByHash", log.get("transactionHash").asText());
            p = decodeOpen(tx.path("from").asText(), tx.path("input").asText(""));
            if (p != null && Arrays.equals(idOf(p), id.bytes())) {
                params.put(id, p);
                return p;
            }
        }
        throw new IllegalArgumentException("parameters of channel " + id.toHex() + " are unknown: it was not opened "
                + "by a direct call to " + contract + " and was not computed here with channelId(...)");
    }

    private byte[] idOf(Params p) {
        return Abi.keccak(Abi.word(BigInteger.valueOf(evm.chain().evmChainId())), Abi.word(contract.address()),
                Abi.word(p.payer()), Abi.word(p.payee()), Abi.word(p.token()), Abi.word(p.salt()));
    }

    /** Decodes the parameters from an openNative/open call; null if the input is something else. */
    private Params decodeOpen(String from, String input) {
        String in = input.toLowerCase(Locale.ROOT);
        String openNative = Numeric.toHexString(Abi.selector(artifact.function("openNative")));
        String open = Numeric.toHexString(Abi.selector(artifact.function("open")));
        if (in.startsWith(openNative) && in.length() >= 10 + 128) {
            return new Params(from.toLowerCase(Locale.ROOT), "0x" + in.substring(10 + 24, 10 + 64), ZERO_ADDRESS,
                    new BigInteger(in.substring(10 + 64, 10 + 128), 16));
        }
        if (in.startsWith(open) && in.length() >= 10 + 256) {
            return new Params(from.toLowerCase(Locale.ROOT), "0x" + in.substring(10 + 24, 10 + 64),
                    "0x" + in.substring(10 + 64 + 24, 10 + 128), new BigInteger(in.substring(10 + 128, 10 + 192), 16));
        }
        return null;
    }

    private JsonNode logs(String event, ChannelId id) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("address", contract.address());
        filter.put("fromBlock", JsonRpcClient.hex(evm.logsFromBlock()));
        filter.put("toBlock", "latest");
        filter.put("topics", List.of(Numeric.toHexString(artifact.event(event).topic0()), id.toHex()));
        return evm.rpc().call("eth_getLogs", filter);
    }

    /** A zeroed slot: settled if a ChannelClosed log exists (the contract zeroes settled channels), else unknown. */
    @SuppressWarnings("rawtypes")
    private Optional<Channel> settled(ChannelId id) {
        JsonNode closed = logs("ChannelClosed", id);
        if (closed.size() == 0) {
            return Optional.empty();
        }
        JsonNode last = closed.get(closed.size() - 1);
        List<Type> v = Abi.decode(last.get("data").asText(), new TypeReference<Uint256>() { },
                new TypeReference<Uint256>() { });
        BigInteger paid = (BigInteger) v.get(0).getValue();
        BigInteger refunded = (BigInteger) v.get(1).getValue();
        Params p = resolve(id);
        Asset asset = asset(p.token());
        return Optional.of(new Channel(id, ID, contract, evm.account(p.payer()), evm.account(p.payee()), asset,
                Amount.ofUnits(paid.add(refunded), asset), Amount.ofUnits(paid, asset), ChannelState.SETTLED, null));
    }

    /** @return the asset of a token address (native for the zero address), reading decimals and symbol once */
    @SuppressWarnings("rawtypes")
    public Asset asset(String token) {
        if (token.equals(ZERO_ADDRESS)) {
            return evm.nativeAsset();
        }
        return tokens.computeIfAbsent(token, t -> {
            AccountId c = AccountId.of(evm.chain(), t);
            int decimals = 18;
            String symbol = "TOKEN";
            try {
                List<Type> d = evm.call(c, Abi.call("decimals()"), new TypeReference<Uint8>() { });
                decimals = ((BigInteger) d.get(0).getValue()).intValueExact();
                List<Type> s = evm.call(c, Abi.call("symbol()"), new TypeReference<Utf8String>() { });
                String raw = ((String) s.get(0).getValue()).replaceAll("[^A-Za-z0-9.\\-]", "");
                if (!raw.isEmpty()) {
                    symbol = raw.length() > 11 ? raw.substring(0, 11) : raw;
                }
            } catch (RuntimeException e) {
                // tokens without metadata: keep the defaults
            }
            return Asset.token(evm.chain(), t, decimals, symbol);
        });
    }

    private void requireParty(AccountId given, String expected, String role) {
        evm.checkChain(given, role);
        if (!given.address().equalsIgnoreCase(expected)) {
            throw new IllegalArgumentException(given + " is not the channel's " + role + " " + expected);
        }
    }

    private void requireAsset(Params p, Amount amount) {
        if (!token(amount.asset()).equals(p.token()) || !amount.asset().chain().equals(evm.chain())) {
            throw new IllegalArgumentException("amount " + amount + " is not in the channel's asset " + p.token());
        }
    }

    private void checkContract(Voucher voucher) {
        if (!voucher.contract().equals(contract)) {
            throw new IllegalArgumentException("voucher is for contract " + voucher.contract() + ", not " + contract);
        }
    }

    private void checkVoucher(Voucher voucher) {
        if (voucher == null || voucher.signature() == null) {
            throw new IllegalArgumentException("voucher must be signed");
        }
        checkContract(voucher);
        checkSignature(voucher.signature());
    }

    private static void checkSignature(Signature s) {
        if (s.scheme() != SignatureScheme.SECP256K1_RECOVERABLE) {
            throw new IllegalArgumentException("signature scheme " + s.scheme() + " is not usable on EVM chains");
        }
    }

    private static int v(byte[] sig) {
        int v = sig[64] & 0xff;
        return v < 27 ? v + 27 : v;
    }
}
