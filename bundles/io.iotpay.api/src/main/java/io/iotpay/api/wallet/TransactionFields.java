package io.iotpay.api.wallet;

import io.iotpay.api.chain.ChainId;

/**
 * The chain-specific part of a transaction the wallet signs (nonce, fees, limits, envelope type): together with
 * {@link UnsignedTransaction#to()}, {@link UnsignedTransaction#value()} and {@link UnsignedTransaction#data()} it is
 * the whole transaction, from which the wallet computes the digest it signs. There is one implementation per chain
 * family, and the interface is sealed so that a wallet only ever receives field types it knows how to hash; a new
 * chain family (Tezos, ...) adds its own record here.
 */
public sealed interface TransactionFields permits EvmTransactionFields {

    /**
     * Returns the chain the transaction is bound to (for EVM: the EIP-155 chain id in the signed payload). The wallet
     * refuses to sign when it is not the sending account's chain.
     *
     * @return the chain
     */
    ChainId chain();
}
