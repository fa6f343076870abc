package io.iotpay.pki.internal.x509;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9IntegerConverter;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The link between a device's TLS key (P-256, in the certificate) and its payment key (secp256k1, on chain): the
 * payment key signs, with EIP-191 {@code personal_sign}, a short text that names the device, the payment account and
 * the SHA-256 of the TLS key's SubjectPublicKeyInfo. Anyone can check the link offline by recovering the signer's
 * address from the signature and comparing it with the certificate's payment account; any wallet (hardware or software)
 * that can sign a personal message can produce it.
 *
 * <p>Message (UTF-8, lines separated by {@code \n}, no trailing newline):
 *
 * <pre>
 * IOTPAY device key link v1
 * device: &lt;device id&gt;
 * payment: &lt;CAIP-10 payment account&gt;
 * tls-spki-sha256: &lt;64 lower-case hex&gt;
 * </pre>
 *
 * Only {@code eip155} payment accounts are supported (secp256k1, recoverable 65-byte signatures).
 */
public final class PaymentKeyLink {

    /** First line of every link message; also the version of the format. */
    public static final String HEADER = "IOTPAY device key link v1";

    private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(SECP256K1.getCurve(), SECP256K1.getG(),
            SECP256K1.getN(), SECP256K1.getH());
    private static final BigInteger HALF_N = SECP256K1.getN().shiftRight(1);

    private PaymentKeyLink() {
    }

    /**
     * Builds the text the payment key signs.
     *
     * @param deviceId the device id
     * @param paymentAccount the payment account
     * @param tlsKey the device's TLS public key
     * @return the UTF-8 message bytes (before EIP-191 prefixing)
     */
    public static byte[] message(String deviceId, AccountId paymentAccount, PublicKey tlsKey) {
        String text = HEADER + "\ndevice: " + deviceId + "\npayment: " + paymentAccount + "\ntls-spki-sha256: "
                + HexFormat.of().formatHex(sha256(tlsKey.getEncoded()));
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * EIP-191 version 0x45 digest: {@code keccak256("\x19Ethereum Signed Message:\n" + len + message)}.
     *
     * @param message the message
     * @return 32 bytes
     */
    public static byte[] personalMessageDigest(byte[] message) {
        byte[] prefix = ("\u0019Ethereum Signed Message:\n" + message.length).getBytes(StandardCharsets.UTF_8);
        KeccakDigest k = new KeccakDigest(256);
        k.update(prefix, 0, prefix.length);
        k.update(message, 0, message.length);
        byte[] out = new byte[32];
        k.doFinal(out, 0);
        return out;
    }

    /**
     * Recovers the Ethereum address that produced a recoverable signature over a 32-byte digest.
     *
     * @param digest32 the signed digest
     * @param signature r || s || v, v in {27, 28} (or the raw recovery id 0/1)
     * @return the lower-case {@code 0x} address, or empty if the signature is malformed, high-s, or recovers nothing
     */
    public static Optional<String> recoverAddress(byte[] digest32, Signature signature) {
        if (signature.scheme() != SignatureScheme.SECP256K1_RECOVERABLE) {
            return Optional.empty();
        }
        byte[] sig = signature.bytes();
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        int v = sig[64] & 0xff;
        if (v == 0 || v == 1) {
            v += 27; // the API also admits the raw recovery id
        }
        BigInteger n = DOMAIN.getN();
        if (v != 27 && v != 28 || r.signum() == 0 || r.compareTo(n) >= 0 || s.signum() == 0
                || s.compareTo(HALF_N) > 0) {
            return Optional.empty();
        }
        // SEC 1 v2, 4.1.6 with j = 0 (r < p - n is overwhelmingly likely; x = r + n is not tried).
        X9IntegerConverter conv = new X9IntegerConverter();
        byte[] compressed = conv.integerToBytes(r, 1 + conv.getByteLength(DOMAIN.getCurve()));
        compressed[0] = (byte) (v == 28 ? 0x03 : 0x02);
        ECPoint bigR;
        try {
            bigR = DOMAIN.getCurve().decodePoint(compressed);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        BigInteger e = new BigInteger(1, digest32);
        BigInteger rInv = r.modInverse(n);
        BigInteger u1 = e.negate().mod(n).multiply(rInv).mod(n);
        BigInteger u2 = s.multiply(rInv).mod(n);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), u1, bigR, u2).normalize();
        if (q.isInfinity()) {
            return Optional.empty();
        }
        byte[] pub = q.getEncoded(false);
        KeccakDigest k = new KeccakDigest(256);
        k.update(pub, 1, 64);
        byte[] h = new byte[32];
        k.doFinal(h, 0);
        return Optional.of("0x" + HexFormat.of().formatHex(h, 12, 32));
    }

    /**
     * Checks a link signature.
     *
     * @param deviceId the device id from the certificate
     * @param paymentAccount the payment account from the certificate
     * @param tlsKey the certificate's public key
     * @param signature the link signature from the certificate
     * @return empty if the link holds, otherwise why not
     */
    public static Optional<String> check(String deviceId, AccountId paymentAccount, PublicKey tlsKey,
            Signature signature) {
        if (!paymentAccount.chainId().isEvm()) {
            return Optional.of("payment account " + paymentAccount + " is not an eip155 account; only secp256k1 links"
                    + " are supported");
        }
        byte[] digest = personalMessageDigest(message(deviceId, paymentAccount, tlsKey));
        Optional<String> signer = recoverAddress(digest, signature);
        if (signer.isEmpty()) {
            return Optional.of("payment-key link signature is malformed or does not recover a key");
        }
        if (!signer.get().equalsIgnoreCase(paymentAccount.address())) {
            return Optional.of("payment-key link is signed by " + signer.get() + ", not by the payment account "
                    + paymentAccount.address());
        }
        return Optional.empty();
    }

    /**
     * Signs a message EIP-191 style with a raw secp256k1 key (RFC 6979 deterministic nonce, low-s). For tools and
     * tests; in a running node the wallet signs.
     *
     * @param privateKey32 the private key
     * @param message the message (before EIP-191 prefixing)
     * @return the 65-byte recoverable signature
     */
    public static Signature signPersonalMessage(byte[] privateKey32, byte[] message) {
        return signDigest(privateKey32, personalMessageDigest(message));
    }

    /**
     * Signs a 32-byte digest with a raw secp256k1 key (RFC 6979 deterministic nonce, low-s, v in {27, 28}). For tools
     * and tests.
     *
     * @param privateKey32 the private key
     * @param digest the digest
     * @return the 65-byte recoverable signature
     */
    public static Signature signDigest(byte[] privateKey32, byte[] digest) {
        BigInteger d = new BigInteger(1, privateKey32);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
        BigInteger[] rs = signer.generateSignature(digest);
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        if (s.compareTo(HALF_N) > 0) {
            s = DOMAIN.getN().subtract(s);
        }
        String expected = address(d);
        byte[] out = new byte[65];
        System.arraycopy(toBytes32(r), 0, out, 0, 32);
        System.arraycopy(toBytes32(s), 0, out, 32, 32);
        for (int v = 27; v <= 28; v++) {
            out[64] = (byte) v;
            Signature candidate = new Signature(out, SignatureScheme.SECP256K1_RECOVERABLE);
            if (recoverAddress(digest, candidate).filter(expected::equals).isPresent()) {
                return candidate;
            }
        }
        throw new IllegalStateException("no recovery id reproduces the signing key");
    }

    /**
     * Ethereum address of a secp256k1 private key.
     *
     * @param d the private key
     * @return lower-case {@code 0x} address
     */
    public static String address(BigInteger d) {
        byte[] pub = new FixedPointCombMultiplier().multiply(DOMAIN.getG(), d).normalize().getEncoded(false);
        KeccakDigest k = new KeccakDigest(256);
        k.update(pub, 1, 64);
        byte[] h = new byte[32];
        k.doFinal(h, 0);
        return "0x" + HexFormat.of().formatHex(h, 12, 32);
    }

    private static byte[] toBytes32(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, 32 - len, len);
        return out;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JRE", e);
        }
    }
}
