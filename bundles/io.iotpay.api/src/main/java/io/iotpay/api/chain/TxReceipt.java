package io.iotpay.api.chain;

import static io.iotpay.api.internal.Checks.notNull;

import java.math.BigInteger;

/**
 * The outcome of a mined transaction.
 *
 * @param hash the transaction
 * @param blockNumber the block that includes it, {@code >= 0}
 * @param blockHash the hash of that block (chain-specific text; {@code 0x}+64 hex on EVM chains)
 * @param success true if the transaction executed successfully (EVM: status 1), false if it reverted
 * @param gasUsed gas used (EVM) or the chain's fee units (Tezos: milligas-free consumed gas), {@code >= 0}
 * @param confirmations blocks on top of and including the including block at the time of the answer, {@code >= 0}
 */
public record TxReceipt(TxHash hash, long blockNumber, String blockHash, boolean success, BigInteger gasUsed,
        int confirmations) {

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if a number is negative
     * @throws NullPointerException if a reference field is null
     */
    public TxReceipt {
        notNull(hash, "receipt transaction hash");
        notNull(blockHash, "receipt block hash");
        notNull(gasUsed, "receipt gas used");
        if (blockNumber < 0) {
            throw new IllegalArgumentException("receipt block number " + blockNumber + " is negative");
        }
        if (gasUsed.signum() < 0) {
            throw new IllegalArgumentException("receipt gas used " + gasUsed + " is negative");
        }
        if (confirmations < 0) {
            throw new IllegalArgumentException("receipt confirmations " + confirmations + " is negative");
        }
    }
}
