package io.iotpay.wallet.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both implementations against the EIP-712 spec signature, EIP-191 and each other. */
@EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "aarch64"}) // the embedded native library
class Secp256k1Test {
    private static final NativeSecp256k1 NATIVE = NativeSecp256k1.load();
    private static final BouncyCastleSecp256k1 JAVA = new BouncyCastleSecp256k1();
    private static final byte[] COW = Keccak.keccak256("cow".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] MAIL_DIGEST = Hex.decode("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");

    static Stream<Secp256k1> impls() {
        return Stream.of(NATIVE, JAVA);
    }

    @AfterAll
    static void close() {
        NATIVE.close();
    }

    @Test
    void providerPicksNativeHere() {
        Secp256k1 s = Secp256k1Provider.create();
        assertInstanceOf(NativeSecp256k1.class, s, "this Linux x86-64 build must load the embedded native library");
        ((NativeSecp256k1) s).close();
    }

    @Test
    void providerFallsBackToJavaWhenForced() {
        System.setProperty("iotpay.secp256k1", "java");
        try {
            assertInstanceOf(BouncyCastleSecp256k1.class, Secp256k1Provider.create());
        } finally {
            System.clearProperty("iotpay.secp256k1");
        }
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("impls")
    void eip712MailSignatureFromTheSpec(Secp256k1 ec) {
        byte[] sig = ec.sign(MAIL_DIGEST, COW);
        assertEquals("4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
                + "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562" + "1c", Hex.toHexString(sig));
        byte[] pub = ec.recover(MAIL_DIGEST, sig);
        assertEquals("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", EthAddress.checksum(EthAddress.fromPublicKey(pub)));
        assertTrue(ec.verify(MAIL_DIGEST, sig, pub));
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("impls")
    void personalMessageMatchesEthers(Secp256k1 ec) {
        byte[] d = Eip191.personalMessageDigest("IOTPAY personal message".getBytes(StandardCharsets.UTF_8));
        // ethers 6.17 Wallet(keccak256("cow")).signMessage("IOTPAY personal message")
        assertEquals("4cbd923d4839e9497454779dab5c69316fde7ec57cd0e68ef18cb26b9257b330"
                + "77de47e753cfcc6f8e794fe55f551c2939ee5317ad6c9ef22c6bdc4ef5e59d591b", Hex.toHexString(ec.sign(d, COW)));
    }

    @Test
    void implementationsAgreeOnRandomKeysAndDigests() {
        Random r = new Random(42);
        int v27 = 0;
        int v28 = 0;
        for (int i = 0; i < 200; i++) {
            byte[] key = new byte[32];
            byte[] digest = new byte[32];
            r.nextBytes(key);
            r.nextBytes(digest);
            key[0] &= 0x7f;
            byte[] pub = JAVA.publicKey(key);
            assertArrayEquals(pub, NATIVE.publicKey(key));
            byte[] s1 = JAVA.sign(digest, key);
            byte[] s2 = NATIVE.sign(digest, key, pub);
            // the recovery id comes from the nonce, not from trial recoveries, and agrees with BouncyCastle's R.y
            assertEquals(s1[64] - 27, NATIVE.fastRecoveryId(digest, key, Arrays.copyOf(s2, 64)));
            assertArrayEquals(s1, s2, "deterministic RFC 6979 signatures must be identical");
            assertTrue(new BigInteger(1, Arrays.copyOfRange(s1, 32, 64)).compareTo(Curve.HALF_N) <= 0, "low s");
            if (s1[64] == 27) {
                v27++;
            } else {
                v28++;
            }
            assertArrayEquals(pub, JAVA.recover(digest, s2));
            assertArrayEquals(pub, NATIVE.recover(digest, s1));
            assertTrue(JAVA.verify(digest, s1, pub));
            assertTrue(NATIVE.verify(digest, s1, pub));
        }
        assertTrue(v27 > 50 && v28 > 50, "both recovery ids occur: " + v27 + "/" + v28);
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("impls")
    void highSIsRefusedAndWrongDigestRecoversAnotherKey(Secp256k1 ec) {
        byte[] sig = ec.sign(MAIL_DIGEST, COW);
        byte[] pub = ec.publicKey(COW);
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        byte[] high = sig.clone();
        System.arraycopy(Bytes.toFixed(Curve.N.subtract(s), 32), 0, high, 32, 32);
        high[64] = (byte) (high[64] == 27 ? 28 : 27);
        assertThrows(IllegalArgumentException.class, () -> ec.recover(MAIL_DIGEST, high));
        assertFalse(ec.verify(MAIL_DIGEST, high, pub));

        byte[] other = MAIL_DIGEST.clone();
        other[0] ^= 1;
        assertFalse(Arrays.equals(pub, ec.recover(other, sig)));
        assertFalse(ec.verify(other, sig, pub));
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("impls")
    void malformedInputsAreRefused(Secp256k1 ec) {
        byte[] sig = ec.sign(MAIL_DIGEST, COW);
        byte[] badV = sig.clone();
        badV[64] = 29;
        assertThrows(IllegalArgumentException.class, () -> ec.recover(MAIL_DIGEST, badV));
        assertThrows(IllegalArgumentException.class, () -> ec.recover(MAIL_DIGEST, Arrays.copyOf(sig, 64)));
        assertThrows(IllegalArgumentException.class, () -> ec.recover(new byte[31], sig));
        byte[] zeroR = sig.clone();
        Arrays.fill(zeroR, 0, 32, (byte) 0);
        assertThrows(IllegalArgumentException.class, () -> ec.recover(MAIL_DIGEST, zeroR));
        assertThrows(IllegalArgumentException.class, () -> ec.sign(MAIL_DIGEST, new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> ec.sign(MAIL_DIGEST, Bytes.toFixed(Curve.N, 32)));
        // v = 0/1 is accepted as well as 27/28
        byte[] v01 = sig.clone();
        v01[64] -= 27;
        assertArrayEquals(ec.recover(MAIL_DIGEST, sig), ec.recover(MAIL_DIGEST, v01));
        assertNotEquals(sig[64], v01[64]);
    }

    @Test
    void eip55() {
        assertEquals("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                EthAddress.checksum(EthAddress.parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "a")));
        assertThrows(IllegalArgumentException.class,
                () -> EthAddress.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "a"));
        assertThrows(IllegalArgumentException.class, () -> EthAddress.parse("0x5aaeb6053f", "a"));
    }
}
