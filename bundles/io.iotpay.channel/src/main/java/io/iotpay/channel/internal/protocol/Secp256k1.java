package io.iotpay.channel.internal.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.jcajce.provider.digest.Keccak;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Curve;

import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;

/**
 * Keccak-256, EIP-191 ({@code personal_sign}) hashing and secp256k1 public key recovery, on BouncyCastle.
 * Recovery only: this bundle never holds a private key (signing goes through the wallet).
 */
public final class Secp256k1 {

    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    /** Curve domain (public for test signers). */
    public static final ECDomainParameters DOMAIN = new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(),
            PARAMS.getN(), PARAMS.getH());
    /** Half the group order: signatures with a larger s are refused (EIP-2 malleability rule). */
    public static final BigInteger HALF_N = PARAMS.getN().shiftRight(1);

    private Secp256k1() {
    }

    /** Keccak-256 of the concatenation of the inputs. */
    public static byte[] keccak256(byte[]... parts) {
        Keccak.Digest256 d = new Keccak.Digest256();
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    /** EIP-191 version 0x45 hash: keccak256("\x19Ethereum Signed Message:\n" + len(message) + message). */
    public static byte[] personalMessageHash(byte[] message) {
        byte[] prefix = ("\u0019Ethereum Signed Message:\n" + message.length).getBytes(StandardCharsets.UTF_8);
        return keccak256(prefix, message);
    }

    /**
     * Recovers the EVM address ({@code 0x} + 40 lower-case hex) that produced a recoverable signature over a 32-byte
     * hash.
     *
     * @throws IllegalArgumentException if the signature is not a valid low-s recoverable secp256k1 signature
     */
    public static String recoverAddress(byte[] hash32, Signature signature) {
        if (hash32.length != 32) {
            throw new IllegalArgumentException("hash has " + hash32.length + " bytes: expected 32");
        }
        if (signature.scheme() != SignatureScheme.SECP256K1_RECOVERABLE) {
            throw new IllegalArgumentException("signature scheme " + signature.scheme()
                    + " is not recoverable: expected SECP256K1_RECOVERABLE");
        }
        byte[] sig = signature.bytes();
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        int recId = (sig[64] & 0xff) - 27;
        if (s.compareTo(HALF_N) > 0) {
            throw new IllegalArgumentException("signature s is in the upper half of the curve order (EIP-2)");
        }
        if (recId < 0 || recId > 1 || r.signum() <= 0 || r.compareTo(DOMAIN.getN()) >= 0 || s.signum() <= 0) {
            throw new IllegalArgumentException("signature r, s or v is out of range");
        }
        byte[] pub;
        NativeRecovery n = NativeRecovery.INSTANCE;
        if (n != null) {
            pub = n.recover(hash32, Arrays.copyOf(sig, 64), recId);
        } else {
            ECPoint q = recoverPoint(recId, r, s, hash32);
            pub = q == null ? null : q.getEncoded(false);
        }
        if (pub == null) {
            throw new IllegalArgumentException("signature does not recover to a public key");
        }
        byte[] h = keccak256(Arrays.copyOfRange(pub, 1, 65));
        return "0x" + org.bouncycastle.util.encoders.Hex.toHexString(Arrays.copyOfRange(h, 12, 32));
    }

    /** Which implementation recovers keys: native libsecp256k1 or BouncyCastle (with the reason). */
    public static String implementation() {
        return NativeRecovery.INSTANCE != null ? "libsecp256k1 (JNI)"
                : "BouncyCastle (native unavailable: " + NativeRecovery.UNAVAILABLE_REASON + ")";
    }

    /** BouncyCastle-only recovery (reference implementation for tests). */
    public static String recoverAddressBouncyCastle(byte[] hash32, Signature signature) {
        byte[] sig = signature.bytes();
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        ECPoint q = recoverPoint((sig[64] & 0xff) - 27, r, s, hash32);
        if (q == null) {
            throw new IllegalArgumentException("signature does not recover to a public key");
        }
        return address(q);
    }

    /** Address of an uncompressed public key point. */
    public static String address(ECPoint q) {
        byte[] pub = q.normalize().getEncoded(false);
        byte[] h = keccak256(Arrays.copyOfRange(pub, 1, 65));
        return "0x" + org.bouncycastle.util.encoders.Hex.toHexString(Arrays.copyOfRange(h, 12, 32));
    }

    private static ECPoint recoverPoint(int recId, BigInteger r, BigInteger s, byte[] hash) {
        BigInteger n = DOMAIN.getN();
        if (recId < 0 || recId > 1 || r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0
                || s.compareTo(n) >= 0) {
            return null;
        }
        BigInteger prime = SecP256K1Curve.q;
        if (r.compareTo(prime) >= 0) {
            return null;
        }
        byte[] xEnc = new byte[33];
        xEnc[0] = (byte) (recId == 1 ? 0x03 : 0x02);
        byte[] rb = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, r);
        System.arraycopy(rb, 0, xEnc, 1, 32);
        ECPoint rPoint;
        try {
            rPoint = DOMAIN.getCurve().decodePoint(xEnc);
        } catch (IllegalArgumentException e) {
            return null;
        }
        BigInteger e = new BigInteger(1, hash);
        BigInteger eInv = n.subtract(e).mod(n);
        BigInteger rInv = r.modInverse(n);
        BigInteger srInv = rInv.multiply(s).mod(n);
        BigInteger eInvrInv = rInv.multiply(eInv).mod(n);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), eInvrInv, rPoint, srInv).normalize();
        return q.isInfinity() ? null : q;
    }
}
