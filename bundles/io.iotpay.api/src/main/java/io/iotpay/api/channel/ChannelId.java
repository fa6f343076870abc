package io.iotpay.api.channel;

import static io.iotpay.api.internal.Checks.copyOfLength;
import static io.iotpay.api.internal.Checks.parseHex;

import io.iotpay.api.internal.Checks;

import java.util.Arrays;

/**
 * A payment channel id: 32 bytes assigned by the settlement scheme (binds payer, payee, asset, contract, chain and
 * salt). Bytes are copied in and out.
 *
 * @param bytes the 32 id bytes
 */
public record ChannelId(byte[] bytes) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if not exactly 32 bytes
     * @throws NullPointerException if null
     */
    public ChannelId {
        bytes = copyOfLength(bytes, 32, "channel id");
    }

    /**
     * Parses hex.
     *
     * @param hex {@code 0x} (optional) and 64 hex digits, any case
     * @return the channel id
     * @throws IllegalArgumentException if the text is not 32 bytes of hex
     */
    public static ChannelId parse(String hex) {
        return new ChannelId(parseHex(hex, 32, "channel id"));
    }

    /**
     * Returns a copy of the id bytes.
     *
     * @return 32 bytes
     */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Formats as hex.
     *
     * @return {@code 0x} and 64 lower-case hex digits
     */
    public String toHex() {
        return Checks.toHex(bytes);
    }

    /**
     * Compares the bytes.
     *
     * @param o the other object
     * @return true if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelId c && Arrays.equals(bytes, c.bytes);
    }

    /**
     * Hashes the bytes.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /**
     * Formats as hex.
     *
     * @return same as {@link #toHex()}
     */
    @Override
    public String toString() {
        return toHex();
    }
}
