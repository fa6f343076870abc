package io.iotpay.api.wallet;

import static io.iotpay.api.internal.Checks.notNull;
import static io.iotpay.api.internal.Checks.toHex;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.money.Amount;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * The money-relevant part of a transaction a connector asks the wallet to sign: recipient, native value and call
 * data. Chain-specific fields (nonce, fees, chain id, type) stay inside the connector, which passes the signing hash
 * it computed from the full transaction to {@link Wallet#signTransaction}.
 * <p>
 * Rules: {@code value} is in the chain's native coin; {@code to}, if present, is on the value's chain; {@code data}
 * is copied in and out (null becomes empty); {@code gasLimit}, if present, is positive.
 *
 * @param to the recipient or called contract, or null for a contract creation
 * @param value the native coin sent with the transaction (zero for plain calls)
 * @param data the call data (empty for plain transfers)
 * @param gasLimit the gas limit the connector chose, or null if not applicable
 */
public record UnsignedTransaction(AccountId to, Amount value, byte[] data, BigInteger gasLimit) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the value is not native, {@code to} is on another chain or the gas limit is
     *         not positive
     * @throws NullPointerException if value is null
     */
    public UnsignedTransaction {
        notNull(value, "transaction value");
        if (!value.asset().isNative()) {
            throw new IllegalArgumentException("transaction value " + value
                    + " is a token amount: expected the chain's native coin (tokens move through call data)");
        }
        if (to != null && !to.chainId().equals(value.asset().chain())) {
            throw new IllegalArgumentException("transaction recipient " + to + " is not on the value's chain "
                    + value.asset().chain());
        }
        data = data == null ? new byte[0] : data.clone();
        if (gasLimit != null && gasLimit.signum() <= 0) {
            throw new IllegalArgumentException("transaction gas limit " + gasLimit + " is invalid: expected > 0");
        }
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
                && Arrays.equals(data, t.data) && Objects.equals(gasLimit, t.gasLimit);
    }

    /**
     * Hashes all fields, data by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(to, value, Arrays.hashCode(data), gasLimit);
    }

    /**
     * Shows all fields, data as hex.
     *
     * @return a readable form
     */
    @Override
    public String toString() {
        return "UnsignedTransaction[to=" + to + ", value=" + value + ", data=" + toHex(data) + ", gasLimit="
                + gasLimit + "]";
    }
}
