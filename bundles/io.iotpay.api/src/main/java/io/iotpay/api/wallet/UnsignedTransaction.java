package io.iotpay.api.wallet;

import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.toHex;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.money.Amount;

import java.util.Arrays;
import java.util.Objects;

/**
 * A whole unsigned transaction a connector asks the wallet to sign: recipient, native value and call data (what the
 * spending policy checks) plus the chain-specific {@link TransactionFields} (nonce, fees, limits, type). The wallet
 * computes the digest it signs from all of it (see {@link Wallet#signTransaction}); no caller supplies a hash.
 * <p>
 * Rules: {@code value} is in the chain's native coin; {@code to}, if present, and {@code fields} are on the value's
 * chain; {@code data} is copied in and out (null becomes empty).
 *
 * @param to the recipient or called contract, or null for a contract creation
 * @param value the native coin sent with the transaction (zero for plain calls)
 * @param data the call data (empty for plain transfers)
 * @param fields the chain-specific fields, e.g. {@link EvmTransactionFields}
 */
public record UnsignedTransaction(AccountId to, Amount value, byte[] data, TransactionFields fields) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the value is not native, or {@code to} or the fields are on another chain
     * @throws NullPointerException if value or fields is null
     */
    public UnsignedTransaction {
        notNull(value, "transaction value");
        notNull(fields, "transaction fields");
        if (!value.asset().isNative()) {
            throw new IllegalArgumentException("transaction value " + value
                    + " is a token amount: expected the chain's native coin (tokens move through call data)");
        }
        if (to != null && !to.chainId().equals(value.asset().chain())) {
            throw new IllegalArgumentException("transaction recipient " + to + " is not on the value's chain "
                    + value.asset().chain());
        }
        if (!fields.chain().equals(value.asset().chain())) {
            throw new IllegalArgumentException("transaction fields are for chain " + fields.chain()
                    + " but the value is on chain " + value.asset().chain());
        }
        data = data == null ? new byte[0] : data.clone();
    }

    /**
     * Tells whether this creates a contract.
     *
     * @return true if {@code to} is null
     */
    public boolean isContractCreation() {
        return to == null;
    }

    /**
     * Returns a copy of the call data.
     *
     * @return the data, possibly empty
     */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /**
     * Compares all fields, data by content.
     *
     * @param o the other object
     * @return true if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof UnsignedTransaction t && Objects.equals(to, t.to) && value.equals(t.value)
                && Arrays.equals(data, t.data) && fields.equals(t.fields);
    }

    /**
     * Hashes all fields, data by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(to, value, Arrays.hashCode(data), fields);
    }

    /**
     * Shows all fields, data as hex.
     *
     * @return a readable form
     */
    @Override
    public String toString() {
        return "UnsignedTransaction[to=" + to + ", value=" + value + ", data=" + toHex(data) + ", fields=" + fields
                + "]";
    }
}
