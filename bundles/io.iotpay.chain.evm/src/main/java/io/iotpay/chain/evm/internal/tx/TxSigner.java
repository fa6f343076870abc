package io.iotpay.chain.evm.internal.tx;

import io.iotpay.api.chain.AccountId;

/**
 * Signs transactions for an account. At runtime this is the Wallet service (keys never reach the connector); tests
 * plug in a local key.
 */
@FunctionalInterface
public interface TxSigner {

    /**
     * Signs a transaction.
     *
     * @param from the sending account
     * @param tx the transaction
     * @param signingHash Keccak-256 of the transaction's signing payload ({@link EvmTransaction#signingHash()})
     * @return 65 bytes r || s || v with v in {27, 28}
     */
    byte[] sign(AccountId from, EvmTransaction tx, byte[] signingHash);
}
