package io.iotpay.wallet.internal.keystore;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.Pack;

/**
 * scrypt (RFC 7914) on BouncyCastle primitives (PBKDF2-HMAC-SHA256 and the Salsa20 core). BouncyCastle's own
 * {@code SCrypt} enforces RFC 7914's {@code N < 2^(128 r / 8)}, which rejects keystores that geth and others accept
 * and write, among them the Web3 Secret Storage specification's own test vector (n = 262144, r = 1); this
 * implementation accepts any power-of-two N &lt; 2^31.
 */
final class Scrypt {
    private Scrypt() {
    }

    static byte[] generate(byte[] password, byte[] salt, int n, int r, int p, int dkLen) {
        if (n < 2 || (n & (n - 1)) != 0) {
            throw new IllegalArgumentException("scrypt n must be a power of two >= 2");
        }
        if (r < 1 || p < 1) {
            throw new IllegalArgumentException("scrypt r and p must be >= 1");
        }
        long bLen = (long) p * 128 * r;
        long vInts = (long) n * 32 * r;
        if (bLen > Integer.MAX_VALUE / 8 || vInts > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("scrypt parameters n=" + n + " r=" + r + " p=" + p
                    + " exceed Java array sizes (p*128*r = " + bLen + ", n*32*r = " + vInts + ")");
        }
        int blockInts = 32 * r; // 128 * r bytes
        byte[] b = pbkdf2(password, salt, (int) bLen);
        int[] x = new int[blockInts];
        int[] v = new int[(int) vInts];
        int[] t = new int[16];
        int[] y = new int[blockInts];
        try {
            for (int i = 0; i < p; i++) {
                Pack.littleEndianToInt(b, i * blockInts * 4, x);
                roMix(x, v, y, t, n, r);
                Pack.intToLittleEndian(x, b, i * blockInts * 4);
            }
            return pbkdf2(password, b, dkLen);
        } finally {
            java.util.Arrays.fill(b, (byte) 0);
            java.util.Arrays.fill(v, 0);
            java.util.Arrays.fill(x, 0);
            java.util.Arrays.fill(y, 0);
        }
    }

    private static void roMix(int[] x, int[] v, int[] y, int[] t, int n, int r) {
        int len = x.length;
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, 0, v, i * len, len);
            blockMix(x, y, t, r);
        }
        int mask = n - 1;
        for (int i = 0; i < n; i++) {
            int j = x[(2 * r - 1) * 16] & mask;
            int off = j * len;
            for (int k = 0; k < len; k++) {
                x[k] ^= v[off + k];
            }
            blockMix(x, y, t, r);
        }
    }

    /** BlockMix_salsa20/8 in place on {@code b} (2r blocks of 16 ints), {@code y} scratch of the same size. */
    private static void blockMix(int[] b, int[] y, int[] t, int r) {
        int[] xb = new int[16];
        System.arraycopy(b, (2 * r - 1) * 16, xb, 0, 16);
        for (int i = 0; i < 2 * r; i++) {
            for (int k = 0; k < 16; k++) {
                xb[k] ^= b[i * 16 + k];
            }
            Salsa20Engine.salsaCore(8, xb, t);
            System.arraycopy(t, 0, xb, 0, 16);
            // even blocks to the first half, odd blocks to the second half
            int dst = (i % 2 == 0 ? i / 2 : r + i / 2) * 16;
            System.arraycopy(xb, 0, y, dst, 16);
        }
        System.arraycopy(y, 0, b, 0, b.length);
    }

    private static byte[] pbkdf2(byte[] password, byte[] salt, int len) {
        PKCS5S2ParametersGenerator g = new PKCS5S2ParametersGenerator(new SHA256Digest());
        g.init(password, salt, 1);
        return ((KeyParameter) g.generateDerivedParameters(len * 8)).getKey();
    }
}
