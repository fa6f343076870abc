package io.iotpay.channel.internal.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
import io.iotpay.channel.internal.protocol.Secp256k1;

/**
 * In-memory settlement scheme for unit tests of engine logic only (end-to-end tests use the EVM connector on anvil):
 * channels are put in directly; digests are the real EIP-712 voucher digests; recovery is real secp256k1.
 */
public final class FakeScheme implements SettlementScheme {

    private final AccountId contract;
    private final Map<ChannelId, Channel> channels = new ConcurrentHashMap<>();
    /** Every claim transaction: the vouchers it carried. */
    public final List<List<Voucher>> claimTxs = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Set to make the next claim fail like an unreachable node. */
    public volatile boolean failClaims;

    public FakeScheme(AccountId contract) {
        this.contract = contract;
    }

    public Channel put(ChannelId id, AccountId payer, AccountId payee, Amount deposit) {
        Channel c = new Channel(id, id(), contract, payer, payee, deposit.asset(), deposit,
                Amount.zero(deposit.asset()), ChannelState.OPEN, null);
        channels.put(id, c);
        return c;
    }

    public void setDeposit(ChannelId id, Amount deposit) {
        Channel c = channels.get(id);
        channels.put(id, new Channel(id, c.scheme(), c.contract(), c.payer(), c.payee(), c.asset(), deposit,
                c.claimed(), c.state(), c.closesAt()));
    }

    @Override
    public String id() {
        return "iotpay-channels-v1";
    }

    @Override
    public AccountId contract() {
        return contract;
    }

    @Override
    public Optional<Channel> channel(ChannelId id) {
        return Optional.ofNullable(channels.get(id));
    }

    @Override
    public byte[] voucherDigest(ChannelId id, Amount cumulative) {
        return Eip712Voucher.digest(contract, id, cumulative.units());
    }

    @Override
    public AccountId recoverSigner(byte[] digest, Signature signature) {
        return AccountId.of(contract.chainId(), Secp256k1.recoverAddress(digest, signature));
    }

    @Override
    public ChannelId channelId(AccountId payer, AccountId payee, Asset asset, byte[] salt32) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TxHash open(AccountId payer, AccountId payee, Amount deposit, byte[] salt32, Duration challengePeriod) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TxHash topUp(AccountId payer, ChannelId id, Amount extra) {
        throw new UnsupportedOperationException();
    }

    /** The payer starts a unilateral close. */
    public void startClose(ChannelId id, java.time.Instant closesAt) {
        Channel c = channels.get(id);
        channels.put(id, new Channel(id, c.scheme(), c.contract(), c.payer(), c.payee(), c.asset(), c.deposit(),
                c.claimed(), ChannelState.CLOSING, closesAt));
    }

    @Override
    public TxHash claim(AccountId payee, Voucher voucher) {
        return claimBatch(payee, List.of(voucher));
    }

    /** Checks each voucher like the contract (payee, payer signature, not above deposit) and pays it out. */
    @Override
    public TxHash claimBatch(AccountId payee, List<Voucher> vouchers) {
        if (failClaims) {
            throw new io.iotpay.api.chain.ChainUnavailableException(contract.chainId(), "test: node unreachable");
        }
        for (Voucher v : vouchers) {
            Channel c = channels.get(v.channel());
            if (c == null || !c.payee().equals(payee) || v.cumulative().isGreaterThan(c.deposit())
                    || !recoverSigner(voucherDigest(v.channel(), v.cumulative()), v.signature()).equals(c.payer())) {
                throw new IllegalStateException("contract would revert: " + v);
            }
        }
        for (Voucher v : vouchers) {
            Channel c = channels.get(v.channel());
            channels.put(v.channel(), new Channel(c.id(), c.scheme(), c.contract(), c.payer(), c.payee(), c.asset(),
                    c.deposit(), c.claimed().max(v.cumulative()), c.state(), c.closesAt()));
        }
        claimTxs.add(List.copyOf(vouchers));
        byte[] h = new byte[32];
        h[31] = (byte) claimTxs.size();
        return new TxHash(contract.chainId(), org.bouncycastle.util.encoders.Hex.toHexString(h).replaceAll("^", "0x"));
    }

    @Override
    public TxHash cooperativeClose(AccountId caller, Voucher finalVoucher, Signature payeeCloseSignature) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TxHash startClose(AccountId payer, ChannelId id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TxHash withdraw(AccountId payer, ChannelId id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public byte[] closeDigest(ChannelId id, Amount finalCumulative) {
        return Eip712Voucher.closeDigest(contract, id, finalCumulative.units());
    }
}
