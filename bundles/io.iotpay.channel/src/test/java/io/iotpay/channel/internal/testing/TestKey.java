package io.iotpay.channel.internal.testing;

import java.math.BigInteger;
import java.security.SecureRandom;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;
import io.iotpay.channel.internal.protocol.MessageSigner;
import io.iotpay.channel.internal.protocol.Secp256k1;

/** In-memory secp256k1 key for tests (RFC 6979 deterministic ECDSA, low-s, recoverable). */
public final class TestKey {

    private final BigInteger d;
    private final AccountId account;

    public TestKey(BigInteger d, ChainId chain) {
        this.d = d;
        this.account = AccountId.of(chain, Secp256k1.address(Secp256k1.DOMAIN.getG().multiply(d)));
    }

    public static TestKey fromHex(String hex, ChainId chain) {
        return new TestKey(new BigInteger(hex.startsWith("0x") ? hex.substring(2) : hex, 16), chain);
    }

    public static TestKey random(ChainId chain) {
        SecureRandom r = new SecureRandom();
        BigInteger d;
        do {
            d = new BigInteger(256, r);
        } while (d.signum() == 0 || d.compareTo(Secp256k1.DOMAIN.getN()) >= 0);
        return new TestKey(d, chain);
    }

    public AccountId account() {
        return account;
    }

    /** Recoverable signature over a 32-byte hash. */
    public Signature signHash(byte[] hash) {
        ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        s.init(true, new ECPrivateKeyParameters(d, Secp256k1.DOMAIN));
        BigInteger[] rs = s.generateSignature(hash);
        BigInteger r = rs[0];
        BigInteger sv = rs[1];
        if (sv.compareTo(Secp256k1.HALF_N) > 0) {
            sv = Secp256k1.DOMAIN.getN().subtract(sv);
        }
        byte[] out = new byte[65];
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, r), 0, out, 0, 32);
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, sv), 0, out, 32, 32);
        for (int v = 27; v <= 28; v++) {
            out[64] = (byte) v;
            Signature sig = new Signature(out, SignatureScheme.SECP256K1_RECOVERABLE);
            try {
                if (Secp256k1.recoverAddress(hash, sig).equals(account.address())) {
                    return sig;
                }
            } catch (IllegalArgumentException e) {
                // try the other recovery id
            }
        }
        throw new IllegalStateException("no recovery id matches");
    }

    /** EIP-191 message signer. */
    public MessageSigner messageSigner() {
        return new MessageSigner() {
            @Override
            public AccountId account() {
                return account;
            }

            @Override
            public Signature signPersonal(byte[] payload) {
                return signHash(Secp256k1.personalMessageHash(payload));
            }
        };
    }
}
