package io.iotpay.pki.internal.x509;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.wallet.Signature;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Test fixtures: anvil's public development keys as payment keys, CAs and devices. */
public final class Fixtures {

    /** Anvil development account #0 private key (published, devnet only). */
    public static final byte[] KEY0 = HexFormat.of()
            .parseHex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    /** Anvil development account #1 private key (published, devnet only). */
    public static final byte[] KEY1 = HexFormat.of()
            .parseHex("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    /** Anvil development account #2 private key (published, devnet only). */
    public static final byte[] KEY2 = HexFormat.of()
            .parseHex("5de4111afa1a4b94908f83103eb1fb95c62b1d5c9feaea06c22fcc0ba8b3d63b");

    /** Start of the tests' world. */
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Fixtures() {
    }

    /**
     * @param key a private key
     * @return its devnet account
     */
    public static AccountId account(byte[] key) {
        return AccountId.of(ChainId.DEVNET, PaymentKeyLink.address(new BigInteger(1, key)));
    }

    /** A device with its TLS key and chain. */
    public record Device(String id, AccountId payment, KeyPair tls, X509Certificate cert, X509Certificate ca) {
        /** @return device certificate then CA */
        public List<X509Certificate> chain() {
            return List.of(cert, ca);
        }
    }

    /**
     * @param name CA name
     * @param owner owner account
     * @return a CA valid from T0 - 1 day for 10 years
     */
    public static OwnerCa ca(String name, AccountId owner) {
        return OwnerCa.create(name, owner, T0.minus(Duration.ofDays(1)), Duration.ofDays(3650), inMemoryKey());
    }

    /** @return a fresh P-256 CA key held in memory (tests that are not about where the CA key lives) */
    public static CaSigner inMemoryKey() {
        KeyPair kp = Crypto.newP256KeyPair();
        return CaSigner.ofKey(kp.getPrivate(), kp.getPublic(), "in-memory test key");
    }

    /**
     * A CA whose key is a certificate-authority key created in a (real) wallet.
     *
     * @param wallet the wallet
     * @param alias the CA-key alias to create
     * @param name CA name
     * @param owner owner account
     * @param notBefore start
     * @param validity validity
     * @return the CA
     */
    public static OwnerCa walletCa(io.iotpay.api.wallet.Wallet wallet, String alias, String name, AccountId owner,
            Instant notBefore, Duration validity) {
        wallet.createCertificateAuthorityKey(alias);
        return OwnerCa.create(name, owner, notBefore, validity, CaSigner.wallet(wallet, alias));
    }

    /**
     * Issues a device valid from T0 for 365 days.
     *
     * @param ca issuer
     * @param deviceId id
     * @param paymentKey the device's payment key
     * @return the device
     */
    public static Device device(OwnerCa ca, String deviceId, byte[] paymentKey) {
        return device(ca, deviceId, paymentKey, T0, T0.plus(Duration.ofDays(365)));
    }

    /**
     * Issues a device.
     *
     * @param ca issuer
     * @param deviceId id
     * @param paymentKey the device's payment key
     * @param notBefore start
     * @param notAfter end
     * @return the device
     */
    public static Device device(OwnerCa ca, String deviceId, byte[] paymentKey, Instant notBefore, Instant notAfter) {
        AccountId payment = account(paymentKey);
        KeyPair tls = Crypto.newP256KeyPair();
        Signature link = PaymentKeyLink.signPersonalMessage(paymentKey,
                PaymentKeyLink.message(deviceId, payment, tls.getPublic()));
        X509Certificate cert = new DeviceCertificateIssuer(ca).issue(deviceId, payment, tls.getPublic(), link,
                notBefore, notAfter);
        return new Device(deviceId, payment, tls, cert, ca.certificate());
    }
}
