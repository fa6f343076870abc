package io.iotpay.pki.internal.x509;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Shared crypto objects. The BouncyCastle provider is one private instance handed to builders explicitly; it is never
 * added to the JVM's provider list (no global side effects inside Karaf).
 */
public final class Crypto {

    /** The BouncyCastle provider instance used by this bundle. */
    public static final Provider BC = new BouncyCastleProvider();
    /** Signature algorithm for every certificate: ECDSA over P-256 with SHA-256. */
    public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Crypto() {
    }

    /**
     * Generates a P-256 (secp256r1 / prime256v1) key pair.
     *
     * @return the key pair
     */
    public static KeyPair newP256KeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation is not available: " + e.getMessage(), e);
        }
    }

    /**
     * A random positive certificate serial number of 127 bits (RFC 5280: at most 20 octets, positive; CA/B forum:
     * at least 64 random bits).
     *
     * @return the serial
     */
    public static java.math.BigInteger newSerial() {
        return new java.math.BigInteger(127, RANDOM).setBit(126);
    }

    /** @return the shared secure random */
    public static SecureRandom random() {
        return RANDOM;
    }
}
