package io.iotpay.wallet.internal.tezos;

import java.util.Arrays;

import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import io.iotpay.wallet.internal.crypto.Base58;
import io.iotpay.wallet.internal.crypto.Bytes;

/**
 * Tezos Ed25519 keys: tz1 addresses (Blake2b-160 of the public key), edpk/edsk/edsig encodings and signing of
 * {@code Blake2b-256(watermark || bytes)}.
 */
public final class Tezos {
    /** Watermark of operations. */
    public static final byte WATERMARK_OPERATION = 0x03;
    /** Watermark of Michelson PACKed data (what CHECK_SIGNATURE verifies for vouchers). */
    public static final byte WATERMARK_MICHELSON = 0x05;

    private static final byte[] TZ1 = {6, (byte) 161, (byte) 159};
    private static final byte[] EDPK = {13, 15, 37, (byte) 217};
    private static final byte[] EDSK_SEED = {13, 15, 58, 7};
    private static final byte[] EDSIG = {9, (byte) 245, (byte) 205, (byte) 134, 18};

    private Tezos() {
    }

    public static byte[] publicKey(byte[] seed32) {
        return new Ed25519PrivateKeyParameters(check(seed32, 32, "Ed25519 private key"), 0).generatePublicKey()
                .getEncoded();
    }

    /** tz1 address of a 32-byte Ed25519 public key. */
    public static String tz1(byte[] publicKey32) {
        return Base58.encodeChecked(Bytes.concat(TZ1, blake2b(check(publicKey32, 32, "public key"), 20)));
    }

    public static String edpk(byte[] publicKey32) {
        return Base58.encodeChecked(Bytes.concat(EDPK, check(publicKey32, 32, "public key")));
    }

    public static String edsig(byte[] signature64) {
        return Base58.encodeChecked(Bytes.concat(EDSIG, check(signature64, 64, "signature")));
    }

    /** Decodes a 54-character edsk (32-byte seed). */
    public static byte[] decodeEdskSeed(String edsk) {
        byte[] raw = Base58.decodeChecked(edsk);
        if (raw.length != 36 || !Arrays.equals(Arrays.copyOf(raw, 4), EDSK_SEED)) {
            throw new IllegalArgumentException("not an edsk seed (expected the 54-character form)");
        }
        return Arrays.copyOfRange(raw, 4, 36);
    }

    /** The 32-byte digest that is signed: Blake2b-256(watermark || bytes). */
    public static byte[] signingDigest(byte watermark, byte[] bytes) {
        return blake2b(Bytes.concat(new byte[] {watermark}, bytes), 32);
    }

    /** Ed25519 signature (64 bytes) of Blake2b-256(watermark || bytes). */
    public static byte[] sign(byte[] seed32, byte watermark, byte[] bytes) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, new Ed25519PrivateKeyParameters(check(seed32, 32, "Ed25519 private key"), 0));
        byte[] d = signingDigest(watermark, bytes);
        s.update(d, 0, d.length);
        return s.generateSignature();
    }

    public static boolean verify(byte[] publicKey32, byte watermark, byte[] bytes, byte[] signature64) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(false, new Ed25519PublicKeyParameters(check(publicKey32, 32, "public key"), 0));
        byte[] d = signingDigest(watermark, bytes);
        s.update(d, 0, d.length);
        return s.verifySignature(check(signature64, 64, "signature"));
    }

    public static byte[] blake2b(byte[] in, int outBytes) {
        Blake2bDigest d = new Blake2bDigest(outBytes * 8);
        d.update(in, 0, in.length);
        byte[] out = new byte[outBytes];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] check(byte[] b, int len, String what) {
        if (b == null || b.length != len) {
            throw new IllegalArgumentException(what + " must be " + len + " bytes");
        }
        return b;
    }
}
