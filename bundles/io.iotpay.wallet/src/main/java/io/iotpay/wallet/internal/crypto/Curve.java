package io.iotpay.wallet.internal.crypto;

import java.math.BigInteger;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** secp256k1 domain parameters and checks shared by the implementations. */
public final class Curve {
    public static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    public static final ECDomainParameters DOMAIN = new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(),
            PARAMS.getN(), PARAMS.getH());
    public static final BigInteger N = PARAMS.getN();
    public static final BigInteger HALF_N = N.shiftRight(1);

    private Curve() {
    }

    /** Validates a private key: 32 bytes, 1 <= d < n. Returns d. */
    public static BigInteger privateScalar(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("private key must be 32 bytes");
        }
        BigInteger d = new BigInteger(1, key);
        if (d.signum() == 0 || d.compareTo(N) >= 0) {
            throw new IllegalArgumentException("private key is out of range: expected 1 <= key < n");
        }
        return d;
    }

    /** G * d, normalised. */
    public static ECPoint multiplyG(BigInteger d) {
        return new FixedPointCombMultiplier().multiply(DOMAIN.getG(), d).normalize();
    }

    /** Checks the digest length. */
    public static void checkDigest(byte[] digest) {
        if (digest == null || digest.length != 32) {
            throw new IllegalArgumentException("digest must be 32 bytes, got " + (digest == null ? "null" : digest.length));
        }
    }

    /**
     * Validates a 65-byte recoverable signature and returns the recovery id 0..3. Requires 1 <= r < n and
     * 1 <= s <= n/2.
     */
    public static int checkRecoverable(byte[] sig) {
        if (sig == null || sig.length != 65) {
            throw new IllegalArgumentException("signature must be 65 bytes r||s||v, got "
                    + (sig == null ? "null" : sig.length));
        }
        int v = sig[64] & 0xff;
        int recId;
        if (v == 27 || v == 28) {
            recId = v - 27;
        } else if (v == 0 || v == 1) {
            recId = v;
        } else {
            throw new IllegalArgumentException("signature recovery byte v must be 27 or 28 (or 0/1), got " + v);
        }
        checkRs(sig);
        return recId;
    }

    /** Checks r and s of the first 64 bytes: both in range, s low. */
    public static void checkRs(byte[] sig) {
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
        if (r.signum() == 0 || r.compareTo(N) >= 0) {
            throw new IllegalArgumentException("signature r is out of range");
        }
        if (s.signum() == 0 || s.compareTo(N) >= 0) {
            throw new IllegalArgumentException("signature s is out of range");
        }
        if (s.compareTo(HALF_N) > 0) {
            throw new IllegalArgumentException("signature s is in the upper half of the curve order (malleable, EIP-2)");
        }
    }
}
