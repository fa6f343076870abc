package io.iotpay.api.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureTest {

    // EIP-155 example transaction signature (r, s) from the EIP-155 text, with v = 27.
    private static final String R = "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276";
    private static final String S = "67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";
    private static final String N = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

    @Test
    void secp256k1HexRoundTrip() {
        Signature s = Signature.fromHex("0x" + R + S + "1b", SignatureScheme.SECP256K1_RECOVERABLE);
        assertEquals("0x" + R + S + "1b", s.toHex());
        assertEquals(65, s.bytes().length);
        assertEquals(s, Signature.fromHex((R + S + "1B").toUpperCase(), SignatureScheme.SECP256K1_RECOVERABLE));
        assertEquals(s.hashCode(), Signature.fromHex(R + S + "1b", SignatureScheme.SECP256K1_RECOVERABLE).hashCode());
        assertTrue(s.toString().contains(s.toHex()));
    }

    @Test
    void recoveryIdZeroOneNormalised() {
        assertEquals(Signature.fromHex(R + S + "1b", SignatureScheme.SECP256K1_RECOVERABLE),
                Signature.fromHex(R + S + "00", SignatureScheme.SECP256K1_RECOVERABLE));
        assertEquals(28, Signature.fromHex(R + S + "01", SignatureScheme.SECP256K1_RECOVERABLE).bytes()[64]);
    }

    @ParameterizedTest
    @ValueSource(strings = { "02", "1a", "1d", "25", "26", "ff" })
    void badV(String v) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Signature.fromHex(R + S + v, SignatureScheme.SECP256K1_RECOVERABLE));
        assertTrue(e.getMessage().contains("27 or 28"), e.getMessage());
    }

    @Test
    void rAndSRange() {
        String zero = "00".repeat(32);
        assertThrows(IllegalArgumentException.class,
                () -> Signature.fromHex(zero + S + "1b", SignatureScheme.SECP256K1_RECOVERABLE));
        assertThrows(IllegalArgumentException.class,
                () -> Signature.fromHex(R + zero + "1b", SignatureScheme.SECP256K1_RECOVERABLE));
        assertThrows(IllegalArgumentException.class,
                () -> Signature.fromHex(N + S + "1b", SignatureScheme.SECP256K1_RECOVERABLE));
        assertThrows(IllegalArgumentException.class,
                () -> Signature.fromHex(R + N + "1b", SignatureScheme.SECP256K1_RECOVERABLE));
        String nMinus1 = N.substring(0, 63) + "0";
        Signature.fromHex(nMinus1 + nMinus1 + "1c", SignatureScheme.SECP256K1_RECOVERABLE);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 63, 64, 66, 130 })
    void secp256k1LengthChecked(int len) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Signature(new byte[len], SignatureScheme.SECP256K1_RECOVERABLE));
        assertEquals("signature has " + len + " bytes: expected 65 for SECP256K1_RECOVERABLE", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 32, 63, 65 })
    void ed25519LengthChecked(int len) {
        assertThrows(IllegalArgumentException.class, () -> new Signature(new byte[len], SignatureScheme.ED25519));
    }

    @Test
    void ed25519RoundTripAndCopies() {
        // RFC 8032 test 1 signature
        String hex = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
                + "d25bf5f0595bbe24655141438e7a100b";
        Signature s = Signature.fromHex(hex, SignatureScheme.ED25519);
        assertEquals("0x" + hex, s.toHex());
        byte[] in = HexFormat.of().parseHex(hex);
        Signature t = new Signature(in, SignatureScheme.ED25519);
        in[0] = 0;
        assertEquals(s, t);
        t.bytes()[0] = 0;
        assertEquals(s, t);
        assertNotEquals(s, new Signature(new byte[64], SignatureScheme.ED25519));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "0x", "zz", "0x12", "0x" + "0g" })
    void badHex(String hex) {
        assertThrows(IllegalArgumentException.class, () -> Signature.fromHex(hex, SignatureScheme.ED25519));
    }

    @Test
    void nullsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Signature.fromHex(null, SignatureScheme.ED25519));
        assertThrows(NullPointerException.class, () -> new Signature(null, SignatureScheme.ED25519));
        assertThrows(NullPointerException.class, () -> new Signature(new byte[64], null));
        assertEquals(65, SignatureScheme.SECP256K1_RECOVERABLE.length());
        assertEquals(64, SignatureScheme.ED25519.length());
    }
}
