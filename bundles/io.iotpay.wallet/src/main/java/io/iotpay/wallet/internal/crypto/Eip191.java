package io.iotpay.wallet.internal.crypto;

import java.nio.charset.StandardCharsets;

/** EIP-191 version 0x45 ("personal_sign"): keccak256("\x19Ethereum Signed Message:\n" + len(message) + message). */
public final class Eip191 {
    private Eip191() {
    }

    /** The digest signed for a personal message. */
    public static byte[] personalMessageDigest(byte[] message) {
        byte[] prefix = ("\u0019Ethereum Signed Message:\n" + message.length).getBytes(StandardCharsets.UTF_8);
        return Keccak.keccak256(prefix, message);
    }
}
