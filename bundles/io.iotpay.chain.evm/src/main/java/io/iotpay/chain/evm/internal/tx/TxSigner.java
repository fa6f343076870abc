package io.iotpay.chain.evm.internal.tx;

import io.iotpay.api.chain.AccountId;

/**
 * Signs transactions for an account. At runtime this is the Wallet service (keys never reach the connector), which
 * ignores {@code signingHash} and computes the digest from the whole transaction itself (security finding H4(a)); tests
 * plug in a local key. Whatever the signer, {@link TxSender} broadcasts only a signature that recovers to the sender
 * over {@link EvmTransaction#signingHash()}.
 */
@FunctionalInterface
public interface TxSigner {

    /**
     * Signs a transaction.
     *
     * @param from the sending account
     * @param tx the transaction
     * @param signingHash Keccak-256 of the transaction's signing payload ({@link EvmTransaction#signingHash()}), for
     *        signers that hold a raw key; the wallet adapter does not pass it on
     * @return 65 bytes r || s || v with v in {27, 28}
     */
    byte[] sign(AccountId from, EvmTransaction tx, byte[] signingHash);
}
