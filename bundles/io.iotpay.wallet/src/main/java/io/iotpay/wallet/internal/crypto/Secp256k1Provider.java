package io.iotpay.wallet.internal.crypto;

import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the secp256k1 implementation: native libsecp256k1 when it loads and passes a known-answer self-test against
 * the pure-Java implementation, otherwise BouncyCastle (said so in the log). Set the system property
 * {@code iotpay.secp256k1=java} to force the pure-Java implementation.
 */
public final class Secp256k1Provider {
    private static final Logger LOG = LoggerFactory.getLogger(Secp256k1Provider.class);

    private Secp256k1Provider() {
    }

    /** A new implementation instance (the native one owns a context: close it when done). */
    public static Secp256k1 create() {
        BouncyCastleSecp256k1 java = new BouncyCastleSecp256k1();
        if ("java".equalsIgnoreCase(System.getProperty("iotpay.secp256k1", ""))) {
            LOG.info("secp256k1: using {} (forced by -Diotpay.secp256k1=java)", java.name());
            return java;
        }
        try {
            NativeSecp256k1 nat = NativeSecp256k1.load();
            if (!selfTest(nat, java)) {
                nat.close();
                LOG.warn("secp256k1: native library loaded but failed its self-test; using {}", java.name());
                return java;
            }
            LOG.info("secp256k1: using {}", nat.name());
            return nat;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("secp256k1: native libsecp256k1 unavailable ({}); using the slower {}", e.toString(),
                    java.name());
            return java;
        }
    }

    /** Cross-checks sign/recover/verify of both implementations on a fixed key and digest. */
    static boolean selfTest(Secp256k1 candidate, Secp256k1 reference) {
        byte[] key = Keccak.keccak256("iotpay secp256k1 self-test key".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] digest = Keccak.keccak256("iotpay secp256k1 self-test digest".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] pub = reference.publicKey(key);
        byte[] s1 = candidate.sign(digest, key);
        byte[] s2 = reference.sign(digest, key);
        return Arrays.equals(candidate.publicKey(key), pub) && Arrays.equals(s1, s2)
                && Arrays.equals(candidate.recover(digest, s2), pub) && candidate.verify(digest, s2, pub);
    }
}
