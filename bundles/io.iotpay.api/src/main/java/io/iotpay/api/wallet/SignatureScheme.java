package io.iotpay.api.wallet;

/**
 * The signature algorithms IOTPAY uses, with their fixed encoded length.
 */
public enum SignatureScheme {

    /**
     * ECDSA over secp256k1 with recovery id, as used by EVM chains: 65 bytes {@code r || s || v}, r and s big-endian
     * 32 bytes each, {@code v} in {27, 28}.
     */
    SECP256K1_RECOVERABLE(65),
    /** Ed25519 (RFC 8032), as used by Tezos tz1 accounts and device keys: 64 bytes {@code R || S}. */
    ED25519(64);

    private final int length;

    SignatureScheme(int length) {
        this.length = length;
    }

    /**
     * Returns the encoded signature length.
     *
     * @return 65 or 64
     */
    public int length() {
        return length;
    }
}
