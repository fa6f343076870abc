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

    @Override
    public TxHash claim(AccountId payee, Voucher voucher) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TxHash claimBatch(AccountId payee, List<Voucher> vouchers) {
        throw new UnsupportedOperationException();
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
        throw new UnsupportedOperationException();
    }
}
