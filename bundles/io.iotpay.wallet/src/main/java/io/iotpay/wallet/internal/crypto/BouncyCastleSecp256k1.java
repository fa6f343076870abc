package io.iotpay.wallet.internal.crypto;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Curve;

/**
 * Pure-Java secp256k1 on BouncyCastle's low-level EC arithmetic: RFC 6979 nonces (HMAC-SHA256), low-s, recovery id
 * from the parity of R.y (SEC 1 v2, 4.1.6 for recovery).
 */
public final class BouncyCastleSecp256k1 implements Secp256k1 {

    @Override
    public String name() {
        return "BouncyCastle (pure Java)";
    }

    @Override
    public byte[] publicKey(byte[] privateKey) {
        return Curve.multiplyG(Curve.privateScalar(privateKey)).getEncoded(false);
    }

    @Override
    public byte[] sign(byte[] digest32, byte[] privateKey, byte[] publicKey) {
        Curve.checkDigest(digest32);
        BigInteger d = Curve.privateScalar(privateKey);
        BigInteger n = Curve.N;
        BigInteger e = new BigInteger(1, digest32);
        HMacDSAKCalculator kCalc = new HMacDSAKCalculator(new SHA256Digest());
        kCalc.init(n, d, digest32);
        while (true) {
            BigInteger k = kCalc.nextK();
            ECPoint bigR = Curve.multiplyG(k);
            BigInteger rx = bigR.getAffineXCoord().toBigInteger();
            BigInteger r = rx.mod(n);
            if (r.signum() == 0) {
                continue;
            }
            BigInteger s = k.modInverse(n).multiply(e.add(d.multiply(r))).mod(n);
            if (s.signum() == 0) {
                continue;
            }
            int recId = (bigR.getAffineYCoord().testBitZero() ? 1 : 0) | (rx.compareTo(n) >= 0 ? 2 : 0);
            if (s.compareTo(Curve.HALF_N) > 0) {
                s = n.subtract(s);
                recId ^= 1;
            }
            byte[] sig = new byte[65];
            System.arraycopy(Bytes.toFixed(r, 32), 0, sig, 0, 32);
            System.arraycopy(Bytes.toFixed(s, 32), 0, sig, 32, 32);
            sig[64] = (byte) (27 + recId);
            return sig;
        }
    }

    @Override
    public byte[] recover(byte[] digest32, byte[] signature65) {
        Curve.checkDigest(digest32);
        int recId = Curve.checkRecoverable(signature65);
        BigInteger n = Curve.N;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature65, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature65, 32, 64));
        BigInteger x = r.add(BigInteger.valueOf(recId / 2).multiply(n));
        if (x.compareTo(SecP256K1Curve.q) >= 0) {
            throw new SignatureException("signature does not recover a public key (x out of field)");
        }
        byte[] compressed = new byte[33];
        compressed[0] = (byte) ((recId & 1) == 1 ? 0x03 : 0x02);
        System.arraycopy(Bytes.toFixed(x, 32), 0, compressed, 1, 32);
        ECPoint bigR;
        try {
            bigR = Curve.DOMAIN.getCurve().decodePoint(compressed);
        } catch (IllegalArgumentException ex) {
            throw new SignatureException("signature does not recover a public key (R not on curve)");
        }
        BigInteger e = new BigInteger(1, digest32);
        BigInteger rInv = r.modInverse(n);
        BigInteger u1 = e.negate().mod(n).multiply(rInv).mod(n);
        BigInteger u2 = s.multiply(rInv).mod(n);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(Curve.DOMAIN.getG(), u1, bigR, u2).normalize();
        if (q.isInfinity()) {
            throw new SignatureException("signature recovers the point at infinity");
        }
        return q.getEncoded(false);
    }

    @Override
    public boolean verify(byte[] digest32, byte[] signature, byte[] publicKey) {
        Curve.checkDigest(digest32);
        if (signature == null || (signature.length != 64 && signature.length != 65)) {
            throw new IllegalArgumentException("signature must be 64 or 65 bytes");
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (r.signum() == 0 || r.compareTo(Curve.N) >= 0 || s.signum() == 0 || s.compareTo(Curve.HALF_N) > 0) {
            return false;
        }
        ECPoint q;
        try {
            q = Curve.DOMAIN.getCurve().decodePoint(publicKey);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("public key is not a valid secp256k1 point", ex);
        }
        ECDSASigner v = new ECDSASigner();
        v.init(false, new ECPublicKeyParameters(q, Curve.DOMAIN));
        return v.verifySignature(digest32, r, s);
    }

}
