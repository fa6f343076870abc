package io.iotpay.api.wallet;

import static io.iotpay.api.internal.Checks.notNull;

import io.iotpay.api.chain.ChainId;

import java.math.BigInteger;

/**
 * The EVM-specific fields of a transaction: with the recipient, value and call data of {@link UnsignedTransaction}
 * they determine the signing payload, which the wallet builds and hashes itself:
 * <ul>
 * <li>{@link Type#EIP1559}: {@code keccak256(0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas,
 * gasLimit, to, value, data, accessList]))} with an empty access list (EIP-1559, EIP-2718);</li>
 * <li>{@link Type#LEGACY}: {@code keccak256(rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0]))}
 * (EIP-155 replay protection).</li>
 * </ul>
 * Rules: {@code chain} is an {@code eip155} chain; nonce, gas limit and fees are in {@code 0..2^256-1} and the gas
 * limit is positive; a legacy transaction has a gas price and no EIP-1559 fees, an EIP-1559 transaction has both
 * EIP-1559 fees, {@code maxPriorityFeePerGas <= maxFeePerGas}, and no gas price.
 *
 * @param chain the chain; its EIP-155 chain id is bound into the signature
 * @param type the envelope type
 * @param nonce the sender's nonce
 * @param gasLimit the gas limit
 * @param gasPrice the legacy gas price in wei, or null for EIP-1559
 * @param maxPriorityFeePerGas the EIP-1559 tip in wei, or null for legacy
 * @param maxFeePerGas the EIP-1559 fee cap in wei, or null for legacy
 */
public record EvmTransactionFields(ChainId chain, Type type, BigInteger nonce, BigInteger gasLimit,
        BigInteger gasPrice, BigInteger maxPriorityFeePerGas, BigInteger maxFeePerGas) implements TransactionFields {

    /** EVM transaction envelope types. */
    public enum Type {
        /** Pre-EIP-2718 transaction with the EIP-155 chain id in the signature. */
        LEGACY,
        /** EIP-1559 dynamic-fee transaction, envelope type {@code 0x02}, empty access list. */
        EIP1559
    }

    private static final int MAX_BITS = 256;

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the chain is not an EVM chain, a number is out of range, or the fees do not
     *         match the type
     * @throws NullPointerException if chain, type, nonce or gas limit is null
     */
    public EvmTransactionFields {
        notNull(chain, "transaction chain");
        notNull(type, "transaction type");
        notNull(nonce, "transaction nonce");
        notNull(gasLimit, "transaction gas limit");
        if (!chain.isEvm()) {
            throw new IllegalArgumentException("EVM transaction fields on chain " + chain
                    + ": expected an eip155 chain");
        }
        check(nonce, "nonce");
        check(gasLimit, "gas limit");
        if (gasLimit.signum() == 0) {
            throw new IllegalArgumentException("transaction gas limit 0 is invalid: expected > 0");
        }
        if (type == Type.LEGACY) {
            if (gasPrice == null || maxPriorityFeePerGas != null || maxFeePerGas != null) {
                throw new IllegalArgumentException("a legacy transaction has a gas price and no EIP-1559 fees");
            }
            check(gasPrice, "gas price");
        } else {
            if (gasPrice != null || maxPriorityFeePerGas == null || maxFeePerGas == null) {
                throw new IllegalArgumentException("an EIP-1559 transaction has maxFeePerGas and maxPriorityFeePerGas"
                        + " and no gas price");
            }
            check(maxPriorityFeePerGas, "maxPriorityFeePerGas");
            check(maxFeePerGas, "maxFeePerGas");
            if (maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
                throw new IllegalArgumentException("transaction maxPriorityFeePerGas " + maxPriorityFeePerGas
                        + " exceeds maxFeePerGas " + maxFeePerGas);
            }
        }
    }

    private static void check(BigInteger v, String name) {
        if (v.signum() < 0 || v.bitLength() > MAX_BITS) {
            throw new IllegalArgumentException("transaction " + name + " " + v + " is outside 0..2^256-1");
        }
    }

    /**
     * Creates the fields of an EIP-1559 (type 2) transaction.
     *
     * @param chain the EVM chain
     * @param nonce the nonce
     * @param gasLimit the gas limit
     * @param maxPriorityFeePerGas the tip in wei
     * @param maxFeePerGas the fee cap in wei
     * @return the fields
     */
    public static EvmTransactionFields eip1559(ChainId chain, BigInteger nonce, BigInteger gasLimit,
            BigInteger maxPriorityFeePerGas, BigInteger maxFeePerGas) {
        return new EvmTransactionFields(chain, Type.EIP1559, nonce, gasLimit, null, maxPriorityFeePerGas,
                maxFeePerGas);
    }

    /**
     * Creates the fields of a legacy transaction with EIP-155 replay protection.
     *
     * @param chain the EVM chain
     * @param nonce the nonce
     * @param gasLimit the gas limit
     * @param gasPrice the gas price in wei
     * @return the fields
     */
    public static EvmTransactionFields legacy(ChainId chain, BigInteger nonce, BigInteger gasLimit,
            BigInteger gasPrice) {
        return new EvmTransactionFields(chain, Type.LEGACY, nonce, gasLimit, gasPrice, null, null);
    }
}
