package io.iotpay.chain.evm.internal;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;
import io.iotpay.chain.evm.internal.abi.Abi;
import io.iotpay.chain.evm.internal.abi.Secp256k1;
import io.iotpay.chain.evm.internal.tx.EvmTransaction;
import io.iotpay.chain.evm.internal.tx.TxSigner;

/**
 * Test-only key holder and signer (BouncyCastle, RFC 6979 deterministic k, low s). Stands in for the wallet.
 */
public final class TestKeys implements TxSigner {

    private static final ECDomainParameters DOMAIN = new ECDomainParameters(Secp256k1.CURVE.getCurve(),
            Secp256k1.CURVE.getG(), Secp256k1.CURVE.getN(), Secp256k1.CURVE.getH());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, BigInteger> keys = new ConcurrentHashMap<>();
    private final ChainId chain;

    /** @param chain chain of the accounts */
    public TestKeys(ChainId chain) {
        this.chain = chain;
    }

    /** @return a new random account held by this signer */
    public AccountId newAccount() {
        BigInteger k;
        do {
            k = new BigInteger(256, RANDOM);
        } while (k.signum() == 0 || k.compareTo(Secp256k1.CURVE.getN()) >= 0);
        return add(k);
    }

    /** @return the account of a known key */
    public AccountId add(BigInteger key) {
        String address = address(key);
        keys.put(address, key);
        return AccountId.of(chain, address);
    }

    /** @return the address of a private key */
    public static String address(BigInteger key) {
        ECPoint q = Secp256k1.CURVE.getG().multiply(key).normalize();
        return Secp256k1.addressOf(q);
    }

    /** @return r||s||v (v 27/28) over a 32-byte digest with a raw key */
    public static byte[] sign(BigInteger key, byte[] digest) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(key, DOMAIN));
        BigInteger[] rs = signer.generateSignature(digest);
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        if (s.compareTo(Secp256k1.HALF_N) > 0) {
            s = Secp256k1.CURVE.getN().subtract(s);
        }
        String expected = address(key);
        for (int recId = 0; recId < 2; recId++) {
            ECPoint q = Secp256k1.recover(recId, r, s, new BigInteger(1, digest));
            if (q != null && Secp256k1.addressOf(q).equals(expected)) {
                byte[] out = new byte[65];
                System.arraycopy(Abi.word(r), 0, out, 0, 32);
                System.arraycopy(Abi.word(s), 0, out, 32, 32);
                out[64] = (byte) (27 + recId);
                return out;
            }
        }
        throw new IllegalStateException("no recovery id reproduces the key");
    }

    /** @return a signature over a digest by an account held here */
    public Signature signDigest(AccountId account, byte[] digest) {
        return new Signature(sign(key(account), digest), SignatureScheme.SECP256K1_RECOVERABLE);
    }

    private BigInteger key(AccountId account) {
        BigInteger k = keys.get(account.address());
        if (k == null) {
            throw new IllegalArgumentException("no key for " + account);
        }
        return k;
    }

    @Override
    public byte[] sign(AccountId from, EvmTransaction tx, byte[] signingHash) {
        return sign(key(from), signingHash);
    }
}
