package io.iotpay.channel.internal.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import fr.acinq.secp256k1.Secp256k1CFunctions;

/**
 * Public key recovery through libsecp256k1 (ACINQ's JNI build, embedded in this bundle). The shared object is copied
 * from this bundle's class loader to a fresh temporary file, loaded, and the file removed (Linux keeps the mapping).
 * {@link #INSTANCE} is null when the library cannot be loaded (other platform, stripped jar); callers then use
 * BouncyCastle.
 */
final class NativeRecovery {

    private static String failure = "";
    /** The loaded recovery, or null. */
    static final NativeRecovery INSTANCE = tryLoad();
    /** Why native recovery is unavailable ("" when it is available). */
    static final String UNAVAILABLE_REASON = failure;

    private final long ctx;

    private NativeRecovery(long ctx) {
        this.ctx = ctx;
    }

    private static NativeRecovery tryLoad() {
        try {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            String platform;
            if (!os.contains("linux")) {
                throw new IllegalStateException("no embedded libsecp256k1 for " + os);
            } else if (arch.equals("amd64") || arch.equals("x86_64")) {
                platform = "linux-x86_64";
            } else if (arch.equals("aarch64") || arch.equals("arm64")) {
                platform = "linux-aarch64";
            } else {
                throw new IllegalStateException("no embedded libsecp256k1 for " + arch);
            }
            String res = "fr/acinq/secp256k1/jni/native/" + platform + "/libsecp256k1-jni.so";
            ClassLoader cl = NativeRecovery.class.getClassLoader();
            try (InputStream in = cl == null ? null : cl.getResourceAsStream(res)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + res + " missing");
                }
                Path tmp = Files.createTempFile("iotpay-channel-secp256k1-", ".so");
                try {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    System.load(tmp.toAbsolutePath().toString());
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            long c = Secp256k1CFunctions.secp256k1_context_create(Secp256k1CFunctions.SECP256K1_CONTEXT_VERIFY);
            if (c == 0) {
                throw new IllegalStateException("secp256k1_context_create failed");
            }
            return new NativeRecovery(c);
        } catch (IOException | RuntimeException | LinkageError e) {
            failure = e.toString();
            return null;
        }
    }

    /**
     * Uncompressed public key (65 bytes, 0x04 || x || y) for a compact signature r||s (64 bytes) and recovery id, or
     * null if none.
     */
    byte[] recover(byte[] hash32, byte[] sig64, int recId) {
        try {
            byte[] pub = Secp256k1CFunctions.secp256k1_ecdsa_recover(ctx, sig64, hash32, recId);
            if (pub != null && pub.length == 33) {
                pub = Secp256k1CFunctions.secp256k1_ec_pubkey_parse(ctx, pub);
            }
            return pub != null && pub.length == 65 ? pub : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
