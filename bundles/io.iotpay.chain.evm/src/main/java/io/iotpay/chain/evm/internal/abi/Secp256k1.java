package io.iotpay.chain.evm.internal.abi;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9IntegerConverter;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** Public-key recovery on secp256k1 (no private keys here: signing is the wallet's job). */
public final class Secp256k1 {

    /** Curve parameters. */
    public static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    /** Half the group order: signatures must have s at most this (EIP-2). */
    public static final BigInteger HALF_N = CURVE.getN().shiftRight(1);

    private Secp256k1() {
    }

    /**
     * Recovers the Ethereum address that produced a 65-byte r||s||v signature over a 32-byte digest.
     *
     * @return the address, 0x + 40 lower-case hex
     * @throws IllegalArgumentException if the signature is malformed, has a high s, or does not recover
     */
    public static String recoverAddress(byte[] digest32, byte[] sig65) {
        if (digest32 == null || digest32.length != 32) {
            throw new IllegalArgumentException("digest must be 32 bytes");
        }
        if (sig65 == null || sig65.length != 65) {
            throw new IllegalArgumentException("signature must be 65 bytes r||s||v");
        }
        int v = sig65[64] & 0xff;
        int recId = v >= 27 ? v - 27 : v;
        if (recId != 0 && recId != 1) {
            throw new IllegalArgumentException("signature v " + v + " is not 27 or 28");
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig65, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig65, 32, 64));
        BigInteger n = CURVE.getN();
        if (r.signum() == 0 || r.compareTo(n) >= 0 || s.signum() == 0 || s.compareTo(HALF_N) > 0) {
            throw new IllegalArgumentException("signature r/s out of range (s must be in the lower half of the order)");
        }
        ECPoint q = recover(recId, r, s, new BigInteger(1, digest32));
        if (q == null) {
            throw new IllegalArgumentException("signature does not recover to a public key");
        }
        return addressOf(q);
    }

    /** @return the address of a public key point */
    public static String addressOf(ECPoint q) {
        byte[] pub = q.normalize().getEncoded(false);
        byte[] h = Hash.sha3(Arrays.copyOfRange(pub, 1, pub.length));
        return Numeric.toHexString(Arrays.copyOfRange(h, 12, 32));
    }

    /** SEC 1 v2, 4.1.6 public key recovery; returns null if this recovery id does not work. */
    public static ECPoint recover(int recId, BigInteger r, BigInteger s, BigInteger e) {
        BigInteger n = CURVE.getN();
        BigInteger x = r; // recId < 2 only: x = r (r + n >= p for secp256k1 in practice)
        BigInteger prime = ((org.bouncycastle.math.ec.ECCurve.AbstractFp) CURVE.getCurve()).getQ();
        if (x.compareTo(prime) >= 0) {
            return null;
        }
        X9IntegerConverter conv = new X9IntegerConverter();
        byte[] comp = conv.integerToBytes(x, 1 + conv.getByteLength(CURVE.getCurve()));
        comp[0] = (byte) ((recId & 1) == 1 ? 0x03 : 0x02);
        ECPoint bigR = CURVE.getCurve().decodePoint(comp);
        if (!bigR.multiply(n).isInfinity()) {
            return null;
        }
        BigInteger eInv = BigInteger.ZERO.subtract(e).mod(n);
        BigInteger rInv = r.modInverse(n);
        BigInteger srInv = rInv.multiply(s).mod(n);
        BigInteger eInvrInv = rInv.multiply(eInv).mod(n);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(CURVE.getG(), eInvrInv, bigR, srInv);
        return q.isInfinity() ? null : q;
    }
}
