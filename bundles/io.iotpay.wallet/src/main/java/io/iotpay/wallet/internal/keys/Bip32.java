package io.iotpay.wallet.internal.keys;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.ECPoint;

import io.iotpay.wallet.internal.crypto.Base58;
import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.crypto.Curve;

/** BIP-32 hierarchical deterministic keys on secp256k1, with xprv/xpub serialisation. */
public final class Bip32 {
    private static final byte[] XPRV = {0x04, (byte) 0x88, (byte) 0xAD, (byte) 0xE4};
    private static final byte[] XPUB = {0x04, (byte) 0x88, (byte) 0xB2, 0x1E};

    private Bip32() {
    }

    /**
     * An extended key. {@code privateKey} is null for a public-only key. Call {@link #wipe()} when done with a private
     * key.
     */
    public static final class ExtendedKey {
        private final byte[] privateKey;
        private final byte[] publicKey; // compressed, 33 bytes
        private final byte[] chainCode;
        private final int depth;
        private final int parentFingerprint;
        private final int childNumber;

        ExtendedKey(byte[] privateKey, byte[] publicKey, byte[] chainCode, int depth, int parentFingerprint,
                int childNumber) {
            this.privateKey = privateKey;
            this.publicKey = publicKey;
            this.chainCode = chainCode;
            this.depth = depth;
            this.parentFingerprint = parentFingerprint;
            this.childNumber = childNumber;
        }

        public boolean hasPrivateKey() {
            return privateKey != null;
        }

        /** A copy of the 32-byte private key. */
        public byte[] privateKey() {
            if (privateKey == null) {
                throw new IllegalStateException("public-only extended key");
            }
            return privateKey.clone();
        }

        /** Compressed (33-byte) public key. */
        public byte[] publicKey() {
            return publicKey.clone();
        }

        public byte[] chainCode() {
            return chainCode.clone();
        }

        public int depth() {
            return depth;
        }

        /** First 4 bytes of HASH160 of the compressed public key. */
        public int fingerprint() {
            return ByteBuffer.wrap(hash160(publicKey)).getInt();
        }

        /** Child key derivation (private when this key has one, else public; hardened needs a private key). */
        public ExtendedKey child(int index) {
            if (depth == 255) {
                throw new IllegalStateException("maximum derivation depth reached");
            }
            boolean hard = DerivationPath.isHardened(index);
            byte[] data;
            if (hard) {
                if (privateKey == null) {
                    throw new IllegalStateException("hardened derivation needs a private key");
                }
                data = Bytes.concat(new byte[] {0}, privateKey, ser32(index));
            } else {
                data = Bytes.concat(publicKey, ser32(index));
            }
            byte[] i = hmacSha512(chainCode, data);
            Bytes.wipe(data);
            byte[] il = Arrays.copyOfRange(i, 0, 32);
            byte[] ir = Arrays.copyOfRange(i, 32, 64);
            Bytes.wipe(i);
            BigInteger ilInt = new BigInteger(1, il);
            Bytes.wipe(il);
            if (ilInt.compareTo(Curve.N) >= 0) {
                return child(index + 1); // probability < 2^-127, as specified
            }
            if (privateKey != null) {
                BigInteger k = ilInt.add(new BigInteger(1, privateKey)).mod(Curve.N);
                if (k.signum() == 0) {
                    return child(index + 1);
                }
                byte[] priv = Bytes.toFixed(k, 32);
                return new ExtendedKey(priv, Curve.multiplyG(k).getEncoded(true), ir, depth + 1, fingerprint(), index);
            }
            ECPoint p = Curve.multiplyG(ilInt).add(Curve.DOMAIN.getCurve().decodePoint(publicKey)).normalize();
            if (p.isInfinity()) {
                return child(index + 1);
            }
            return new ExtendedKey(null, p.getEncoded(true), ir, depth + 1, fingerprint(), index);
        }

        public ExtendedKey derive(DerivationPath path) {
            ExtendedKey k = this;
            for (int idx : path.indexes()) {
                ExtendedKey next = k.child(idx);
                if (k != this) {
                    k.wipe();
                }
                k = next;
            }
            return k;
        }

        /** The public-only counterpart. */
        public ExtendedKey neuter() {
            return new ExtendedKey(null, publicKey, chainCode, depth, parentFingerprint, childNumber);
        }

        /** xprv (when private) or xpub Base58Check serialisation. */
        public String serialize() {
            return serialize(privateKey != null);
        }

        public String serializePublic() {
            return serialize(false);
        }

        private String serialize(boolean priv) {
            ByteBuffer b = ByteBuffer.allocate(78);
            b.put(priv ? XPRV : XPUB);
            b.put((byte) depth);
            b.putInt(parentFingerprint);
            b.putInt(childNumber);
            b.put(chainCode);
            if (priv) {
                b.put((byte) 0);
                b.put(privateKey);
            } else {
                b.put(publicKey);
            }
            byte[] raw = b.array();
            String s = Base58.encodeChecked(raw);
            Bytes.wipe(raw);
            return s;
        }

        public void wipe() {
            Bytes.wipe(privateKey);
        }
    }

    /** The master key of a seed (16..64 bytes): HMAC-SHA512("Bitcoin seed", seed). */
    public static ExtendedKey master(byte[] seed) {
        if (seed.length < 16 || seed.length > 64) {
            throw new IllegalArgumentException("seed must be 16..64 bytes, got " + seed.length);
        }
        byte[] i = hmacSha512("Bitcoin seed".getBytes(java.nio.charset.StandardCharsets.US_ASCII), seed);
        byte[] il = Arrays.copyOfRange(i, 0, 32);
        byte[] ir = Arrays.copyOfRange(i, 32, 64);
        Bytes.wipe(i);
        BigInteger k = new BigInteger(1, il);
        if (k.signum() == 0 || k.compareTo(Curve.N) >= 0) {
            throw new IllegalArgumentException("seed yields an invalid master key; use another seed");
        }
        return new ExtendedKey(il, Curve.multiplyG(k).getEncoded(true), ir, 0, 0, 0);
    }

    /** Parses an xprv/xpub string, validating version, key prefix and range, and zero-depth consistency. */
    public static ExtendedKey parse(String s) {
        byte[] raw = Base58.decodeChecked(s);
        if (raw.length != 78) {
            throw new IllegalArgumentException("extended key must be 78 bytes, got " + raw.length);
        }
        byte[] version = Arrays.copyOf(raw, 4);
        boolean priv = Arrays.equals(version, XPRV);
        if (!priv && !Arrays.equals(version, XPUB)) {
            throw new IllegalArgumentException("unknown extended key version");
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        b.position(4);
        int depth = b.get() & 0xff;
        int parentFp = b.getInt();
        int child = b.getInt();
        byte[] chain = new byte[32];
        b.get(chain);
        byte[] key = new byte[33];
        b.get(key);
        if (depth == 0 && (parentFp != 0 || child != 0)) {
            throw new IllegalArgumentException("zero-depth extended key with non-zero parent fingerprint or index");
        }
        if (priv) {
            if (key[0] != 0) {
                throw new IllegalArgumentException("private extended key must start with 0x00");
            }
            byte[] k = Arrays.copyOfRange(key, 1, 33);
            BigInteger d;
            try {
                d = Curve.privateScalar(k);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("private key not in 1..n-1");
            }
            return new ExtendedKey(k, Curve.multiplyG(d).getEncoded(true), chain, depth, parentFp, child);
        }
        if (key[0] != 2 && key[0] != 3) {
            throw new IllegalArgumentException("public extended key must start with 0x02 or 0x03");
        }
        try {
            Curve.DOMAIN.getCurve().decodePoint(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid public key in extended key");
        }
        return new ExtendedKey(null, key, chain, depth, parentFp, child);
    }

    static byte[] ser32(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    static byte[] hmacSha512(byte[] key, byte[] data) {
        HMac mac = new HMac(new SHA512Digest());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[64];
        mac.doFinal(out, 0);
        return out;
    }

    static byte[] hash160(byte[] in) {
        byte[] sha = Base58.sha256(in);
        RIPEMD160Digest r = new RIPEMD160Digest();
        r.update(sha, 0, sha.length);
        byte[] out = new byte[20];
        r.doFinal(out, 0);
        return out;
    }
}
