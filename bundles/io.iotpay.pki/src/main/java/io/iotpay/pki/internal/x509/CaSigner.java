package io.iotpay.pki.internal.x509;

import io.iotpay.api.wallet.Wallet;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;

/**
 * The key that signs for an {@link OwnerCa}: ECDSA P-256 with SHA-256 over a DER TBSCertificate. In production it is
 * a certificate-authority key inside the wallet ({@link #wallet}); a CA from a legacy {@code ca.p12} and the tests'
 * in-memory CAs use a JCA key ({@link #ofKey}).
 */
public interface CaSigner {

    /** The only algorithm a CA signs with (RFC 5758: no parameters). */
    AlgorithmIdentifier ECDSA_WITH_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);

    /** @return the CA's public key */
    PublicKey publicKey();

    /**
     * Signs a DER TBSCertificate.
     *
     * @param tbsCertificate the DER TBSCertificate, signature algorithm ecdsa-with-SHA256
     * @return the DER ECDSA signature
     */
    byte[] signTbsCertificate(byte[] tbsCertificate);

    /** @return where the key is, for people (no secrets) */
    String describe();

    /**
     * A BouncyCastle {@link ContentSigner} for one certificate: it collects what the certificate builder writes (the
     * DER TBSCertificate) and hands it to {@link #signTbsCertificate} when the builder asks for the signature.
     *
     * @return a fresh content signer (not reusable)
     */
    default ContentSigner contentSigner() {
        return new ContentSigner() {
            private final ByteArrayOutputStream tbs = new ByteArrayOutputStream();

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return ECDSA_WITH_SHA256;
            }

            @Override
            public OutputStream getOutputStream() {
                return tbs;
            }

            @Override
            public byte[] getSignature() {
                return signTbsCertificate(tbs.toByteArray());
            }
        };
    }

    /**
     * A CA key held by the wallet: the wallet checks the TBSCertificate, hashes and signs it; the key never leaves it.
     *
     * @param wallet the wallet
     * @param alias the wallet's certificate-authority key alias
     * @return the signer
     * @throws IllegalArgumentException if the wallet holds no such key
     */
    static CaSigner wallet(Wallet wallet, String alias) {
        Objects.requireNonNull(wallet, "wallet");
        PublicKey pub = wallet.certificateAuthorityPublicKey(alias);
        return new CaSigner() {
            @Override
            public PublicKey publicKey() {
                return pub;
            }

            @Override
            public byte[] signTbsCertificate(byte[] tbsCertificate) {
                return wallet.signCertificate(alias, tbsCertificate);
            }

            @Override
            public String describe() {
                return "wallet certificate-authority key \"" + alias + "\"";
            }
        };
    }

    /**
     * A CA key held in memory (a legacy {@code ca.p12}, or tests).
     *
     * @param key the private key
     * @param publicKey its public key
     * @param where where it came from, for people
     * @return the signer
     */
    static CaSigner ofKey(PrivateKey key, PublicKey publicKey, String where) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(publicKey, "publicKey");
        return new CaSigner() {
            @Override
            public PublicKey publicKey() {
                return publicKey;
            }

            @Override
            public byte[] signTbsCertificate(byte[] tbsCertificate) {
                try {
                    java.security.Signature s = java.security.Signature.getInstance(Crypto.SIGNATURE_ALGORITHM,
                            Crypto.BC);
                    s.initSign(key);
                    s.update(tbsCertificate);
                    return s.sign();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("cannot sign with the CA key: " + e.getMessage(), e);
                }
            }

            @Override
            public String describe() {
                return where;
            }
        };
    }
}
