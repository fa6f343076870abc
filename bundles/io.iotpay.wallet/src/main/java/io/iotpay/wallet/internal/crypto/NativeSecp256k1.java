package io.iotpay.wallet.internal.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;

import fr.acinq.secp256k1.Secp256k1CFunctions;

/**
 * secp256k1 through libsecp256k1 (the JNI build shipped by ACINQ's secp256k1-kmp). Only the JNI entry class
 * {@link Secp256k1CFunctions} and the shared object are used; they are embedded in this bundle. The library is
 * extracted from this class's own class loader (so it works inside an OSGi bundle class loader) to a fresh owner-only
 * temporary file and loaded with {@link System#load(String)}; a fresh file per load keeps a refreshed bundle from
 * tripping over a library still bound to the previous class loader.
 */
public final class NativeSecp256k1 implements Secp256k1, AutoCloseable {

    private static final String RESOURCE_DIR = "fr/acinq/secp256k1/jni/native/";
    private static final String LIB = "libsecp256k1-jni.so";
    private static final Object LOAD_LOCK = new Object();
    private static volatile boolean loaded;

    private final long ctx;
    private volatile boolean closed;

    private NativeSecp256k1(long ctx) {
        this.ctx = ctx;
    }

    /**
     * Loads the native library (once per class loader) and creates a signing/verification context.
     *
     * @throws UnsatisfiedLinkError or {@link IllegalStateException} with the reason when this platform or this class
     *             loader cannot load it
     */
    public static NativeSecp256k1 load() {
        synchronized (LOAD_LOCK) {
            if (!loaded) {
                String platform = platform();
                String res = RESOURCE_DIR + platform + "/" + LIB;
                ClassLoader cl = NativeSecp256k1.class.getClassLoader();
                try (InputStream in = cl == null ? null : cl.getResourceAsStream(res)) {
                    if (in == null) {
                        throw new IllegalStateException("no embedded libsecp256k1 for platform " + platform);
                    }
                    Path tmp = createTempFile();
                    try {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                        System.load(tmp.toAbsolutePath().toString());
                    } finally {
                        // Linux keeps the mapping after unlink; nothing is left behind in the temp folder.
                        Files.deleteIfExists(tmp);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("cannot extract libsecp256k1: " + e.getMessage(), e);
                }
                loaded = true;
            }
        }
        long c = Secp256k1CFunctions.secp256k1_context_create(
                Secp256k1CFunctions.SECP256K1_CONTEXT_SIGN | Secp256k1CFunctions.SECP256K1_CONTEXT_VERIFY);
        if (c == 0) {
            throw new IllegalStateException("secp256k1_context_create failed");
        }
        return new NativeSecp256k1(c);
    }

    private static Path createTempFile() throws IOException {
        try {
            return Files.createTempFile("iotpay-secp256k1-", ".so",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile("iotpay-secp256k1-", ".so");
        }
    }

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new IllegalStateException("the embedded libsecp256k1 is built for Linux only, this is " + os);
        }
        switch (arch) {
            case "amd64":
            case "x86_64":
                return "linux-x86_64";
            case "aarch64":
            case "arm64":
                return "linux-aarch64";
            default:
                throw new IllegalStateException("no embedded libsecp256k1 for architecture " + arch);
        }
    }

    @Override
    public String name() {
        return "native libsecp256k1 (secp256k1-kmp JNI)";
    }

    private long ctx() {
        if (closed) {
            throw new IllegalStateException("native secp256k1 context is closed");
        }
        return ctx;
    }

    @Override
    public byte[] publicKey(byte[] privateKey) {
        Curve.privateScalar(privateKey);
        byte[] pub = Secp256k1CFunctions.secp256k1_ec_pubkey_create(ctx(), privateKey);
        return pub.length == 65 ? pub : Secp256k1CFunctions.secp256k1_ec_pubkey_parse(ctx(), pub);
    }

    @Override
    public byte[] sign(byte[] digest32, byte[] privateKey, byte[] publicKey) {
        Curve.checkDigest(digest32);
        byte[] pub = publicKey != null ? publicKey : publicKey(privateKey);
        byte[] compact = Secp256k1CFunctions.secp256k1_ecdsa_sign(ctx(), digest32, privateKey, null);
        // libsecp256k1 always produces low-s; make sure (EIP-2) in case of a future change.
        byte[] normalized = new byte[64];
        Secp256k1CFunctions.secp256k1_ecdsa_signature_normalize(ctx(), compact, normalized);
        int fast = fastRecoveryId(digest32, privateKey, normalized);
        if (fast >= 0) {
            byte[] sig = Arrays.copyOf(normalized, 65);
            sig[64] = (byte) (27 + fast);
            return sig;
        }
        for (int recId = 0; recId < 4; recId++) {
            byte[] candidate;
            try {
                candidate = Secp256k1CFunctions.secp256k1_ecdsa_recover(ctx(), normalized, digest32, recId);
            } catch (RuntimeException e) {
                continue; // no key for this recovery id
            }
            if (Arrays.equals(candidate, pub)) {
                byte[] sig = Arrays.copyOf(normalized, 65);
                sig[64] = (byte) (27 + recId);
                return sig;
            }
        }
        throw new SignatureException("could not determine the recovery id of a fresh signature");
    }

    /**
     * The recovery id without trial recoveries: libsecp256k1 derives its nonce with RFC 6979 (HMAC-SHA256, no extra
     * data), so the same k is computed here, R = k*G taken from the library, and the parity of R.y flipped if the
     * library normalised s. Returns -1 (the caller then searches by recovery) unless R.x equals the signature's r and
     * R.x &lt; n, so a mismatch can never produce a wrong recovery id.
     */
    int fastRecoveryId(byte[] digest32, byte[] privateKey, byte[] compact) {
        java.math.BigInteger n = Curve.N;
        java.math.BigInteger d = new java.math.BigInteger(1, privateKey);
        org.bouncycastle.crypto.signers.HMacDSAKCalculator kc = new org.bouncycastle.crypto.signers.HMacDSAKCalculator(
                new org.bouncycastle.crypto.digests.SHA256Digest());
        kc.init(n, d, digest32);
        java.math.BigInteger k = kc.nextK();
        byte[] kBytes = Bytes.toFixed(k, 32);
        byte[] bigR;
        try {
            bigR = publicKey(kBytes);
        } finally {
            Bytes.wipe(kBytes);
        }
        if (!Arrays.equals(Arrays.copyOfRange(bigR, 1, 33), Arrays.copyOfRange(compact, 0, 32))) {
            return -1; // R.x >= n, or the library did not use this nonce
        }
        java.math.BigInteger r = new java.math.BigInteger(1, Arrays.copyOfRange(compact, 0, 32));
        java.math.BigInteger e = new java.math.BigInteger(1, digest32);
        java.math.BigInteger rawS = k.modInverse(n).multiply(e.add(d.multiply(r))).mod(n);
        java.math.BigInteger finalS = new java.math.BigInteger(1, Arrays.copyOfRange(compact, 32, 64));
        int parity = bigR[64] & 1;
        if (rawS.equals(finalS)) {
            return parity;
        }
        if (n.subtract(rawS).equals(finalS)) {
            return parity ^ 1;
        }
        return -1;
    }

    @Override
    public byte[] recover(byte[] digest32, byte[] signature65) {
        Curve.checkDigest(digest32);
        int recId = Curve.checkRecoverable(signature65);
        try {
            return Secp256k1CFunctions.secp256k1_ecdsa_recover(ctx(), Arrays.copyOf(signature65, 64), digest32, recId);
        } catch (RuntimeException e) {
            throw new SignatureException("signature does not recover a public key");
        }
    }

    @Override
    public boolean verify(byte[] digest32, byte[] signature, byte[] publicKey) {
        Curve.checkDigest(digest32);
        if (signature == null || (signature.length != 64 && signature.length != 65)) {
            throw new IllegalArgumentException("signature must be 64 or 65 bytes");
        }
        try {
            return Secp256k1CFunctions.secp256k1_ecdsa_verify(ctx(), Arrays.copyOf(signature, 64), digest32,
                    publicKey) == 1;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("public key or signature is not a valid secp256k1 encoding");
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (!closed) {
                closed = true;
                Secp256k1CFunctions.secp256k1_context_destroy(ctx);
            }
        }
    }
}
