package io.iotpay.api.chain;

import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.Signature;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A payment-channel settlement contract on one chain, behind an interface so that schemes can be swapped: IOTPAY's own
 * lean contract ({@code "iotpay-channels-v1"}) first, later the x402 batch settlement scheme
 * ({@code "x402-batch-settlement"}).
 * <p>
 * Channels are unidirectional (payer to payee) and paid with cumulative vouchers. Transactions are signed through the
 * wallet by the account named as first argument; see {@link ChainConnector} for the exceptions every sending method
 * may throw. Byte array arguments are not kept: implementations copy them.
 */
public interface SettlementScheme {

    /**
     * Returns the scheme identifier.
     *
     * @return e.g. {@code "iotpay-channels-v1"}
     */
    String id();

    /**
     * Returns the settlement contract.
     *
     * @return the contract account
     */
    AccountId contract();

    /**
     * Computes the channel id the contract will assign; it binds payer, payee, asset, contract, chain and salt.
     *
     * @param payer the payer
     * @param payee the payee
     * @param asset the asset of the channel
     * @param salt32 32 bytes chosen by the payer to open several channels between the same parties
     * @return the channel id
     * @throws IllegalArgumentException if the salt is not 32 bytes or a party/asset is on another chain
     */
    ChannelId channelId(AccountId payer, AccountId payee, Asset asset, byte[] salt32);

    /**
     * Opens a channel with a deposit (for tokens, including any approval the scheme needs).
     *
     * @param payer the payer, signs the transaction
     * @param payee the payee
     * @param deposit the initial deposit; its asset is the channel's asset
     * @param salt32 32 bytes of salt, see {@link #channelId}
     * @param challengePeriod how long the payee has to claim after the payer starts a unilateral close
     * @return the transaction hash
     */
    TxHash open(AccountId payer, AccountId payee, Amount deposit, byte[] salt32, Duration challengePeriod);

    /**
     * Adds to the deposit of an open channel.
     *
     * @param payer the payer, signs the transaction
     * @param id the channel
     * @param extra the amount to add, in the channel's asset
     * @return the transaction hash
     */
    TxHash topUp(AccountId payer, ChannelId id, Amount extra);

    /**
     * Claims the money a voucher grants (the difference to what was claimed before) for the payee.
     *
     * @param payee the payee, signs the transaction
     * @param voucher a signed voucher
     * @return the transaction hash
     * @throws IllegalArgumentException if the voucher is unsigned or for another contract
     */
    TxHash claim(AccountId payee, Voucher voucher);

    /**
     * Claims several vouchers, of different channels, in one transaction.
     *
     * @param payee the payee of every channel, signs the transaction
     * @param vouchers signed vouchers, at most one per channel
     * @return the transaction hash
     * @throws IllegalArgumentException if the list is empty, a voucher is unsigned, or a channel appears twice
     */
    TxHash claimBatch(AccountId payee, List<Voucher> vouchers);

    /**
     * Closes a channel cooperatively: pays the final voucher to the payee and refunds the rest to the payer at once.
     *
     * @param caller the account sending the transaction (payer or payee)
     * @param finalVoucher the final voucher, signed by the payer
     * @param payeeCloseSignature the payee's signature over {@link #closeDigest}
     * @return the transaction hash
     */
    TxHash cooperativeClose(AccountId caller, Voucher finalVoucher, Signature payeeCloseSignature);

    /**
     * Starts a unilateral close by the payer: the challenge period begins, the payee can still claim.
     *
     * @param payer the payer, signs the transaction
     * @param id the channel
     * @return the transaction hash
     */
    TxHash startClose(AccountId payer, ChannelId id);

    /**
     * Withdraws the unclaimed deposit after the challenge period ended.
     *
     * @param payer the payer, signs the transaction
     * @param id the channel
     * @return the transaction hash
     */
    TxHash withdraw(AccountId payer, ChannelId id);

    /**
     * Reads a channel's on-chain state.
     *
     * @param id the channel
     * @return the channel, or empty if the contract does not know it
     */
    Optional<Channel> channel(ChannelId id);

    /**
     * Reads a channel's state as of the connector's confirmation depth ({@link ChainConnector#confirmations()}): a
     * deposit, top-up or open that is not that deep yet is not in the answer. A provider uses this before it accepts
     * vouchers against a deposit, so that a reorganisation cannot take away a deposit it already delivered against.
     * The default reads the head ({@link #channel}).
     *
     * @param id the channel
     * @return the channel as of the confirmed block, or empty if it did not exist there
     * @since 1.2
     */
    default Optional<Channel> confirmedChannel(ChannelId id) {
        return channel(id);
    }

    /**
     * Computes the digest a payer signs to grant {@code cumulative} in a channel (EIP-712 digest on EVM chains).
     * Used to verify vouchers; wallets compute the same digest themselves when signing.
     *
     * @param id the channel
     * @param cumulative the cumulative amount granted
     * @return the 32-byte digest
     */
    byte[] voucherDigest(ChannelId id, Amount cumulative);

    /**
     * Computes the digest the payee signs to agree to a cooperative close at {@code finalCumulative}. It is a separate
     * typed structure from the voucher, so neither signature can be replayed as the other.
     *
     * @param id the channel
     * @param finalCumulative the final cumulative amount
     * @return the 32-byte digest
     */
    byte[] closeDigest(ChannelId id, Amount finalCumulative);

    /**
     * Recovers the account that signed a digest.
     *
     * @param digest the 32-byte digest
     * @param signature the signature
     * @return the signer on this chain
     * @throws IllegalArgumentException if the signature is invalid for the digest or of an unsupported scheme
     */
    AccountId recoverSigner(byte[] digest, Signature signature);
}
