package io.iotpay.wallet.internal.crypto;

import org.bouncycastle.crypto.digests.KeccakDigest;

/** Keccak-256 as used by Ethereum (the original Keccak padding, not SHA3-256). */
public final class Keccak {
    private Keccak() {
    }

    /** Keccak-256 over the concatenation of the given parts. */
    public static byte[] keccak256(byte[]... parts) {
        KeccakDigest d = new KeccakDigest(256);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
