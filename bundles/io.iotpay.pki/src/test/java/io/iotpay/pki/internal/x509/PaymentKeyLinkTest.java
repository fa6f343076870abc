package io.iotpay.pki.internal.x509;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.HexFormat;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PaymentKeyLinkTest {

    private static final HexFormat HEX = HexFormat.of();
    // Cross-implementation vector, produced with ethers 6.17.0 (tools/node_modules):
    // new Wallet(<anvil key #0>).signMessage("IOTPAY test vector") and hashMessage(...)
    private static final String MESSAGE = "IOTPAY test vector";
    private static final String ETHERS_DIGEST = "4e4600fb757203cb77d097909bfebc1b34bee4d56354c97e81a6665ee7a9ddce";
    private static final String ETHERS_SIGNATURE = "be76ccf14999e2f5ea4e44273d2326c6f2da1bbaad0a31674f3b22d591a96e5e"
            + "7bd95d1ac1b6d0a542cdeace1a093796557ab20367e260a2fbec6b7510f6808e1c";

    @Test
    void anvilKeyZeroHasItsPublishedAddress() {
        assertEquals("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
                PaymentKeyLink.address(new BigInteger(1, Fixtures.KEY0)));
        assertEquals("0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
                PaymentKeyLink.address(new BigInteger(1, Fixtures.KEY1)));
    }

    @Test
    void personalMessageDigestMatchesEthers() {
        assertEquals(ETHERS_DIGEST,
                HEX.formatHex(PaymentKeyLink.personalMessageDigest(MESSAGE.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void signatureMatchesEthersByteForByte() {
        // Both use RFC 6979 deterministic nonces and low-s, so the signatures are identical.
        Signature s = PaymentKeyLink.signPersonalMessage(Fixtures.KEY0, MESSAGE.getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(HEX.parseHex(ETHERS_SIGNATURE), s.bytes());
    }

    @Test
    void recoversTheEthersSigner() {
        Signature s = new Signature(HEX.parseHex(ETHERS_SIGNATURE), SignatureScheme.SECP256K1_RECOVERABLE);
        assertEquals(Optional.of("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"),
                PaymentKeyLink.recoverAddress(HEX.parseHex(ETHERS_DIGEST), s));
    }

    @Test
    void highSIsRefusedAndRecoveryIdMatters() {
        byte[] sig = HEX.parseHex(ETHERS_SIGNATURE);
        BigInteger n = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
        byte[] highS = n.subtract(s).toByteArray();
        byte[] malleable = sig.clone();
        System.arraycopy(highS, highS.length - 32, malleable, 32, 32);
        malleable[64] = (byte) (sig[64] == 27 ? 28 : 27);
        assertEquals(Optional.empty(), PaymentKeyLink.recoverAddress(HEX.parseHex(ETHERS_DIGEST),
                new Signature(malleable, SignatureScheme.SECP256K1_RECOVERABLE)));
        byte[] rawV = sig.clone();
        rawV[64] = (byte) (sig[64] - 27);
        assertEquals(Optional.of("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"), PaymentKeyLink.recoverAddress(
                HEX.parseHex(ETHERS_DIGEST), new Signature(rawV, SignatureScheme.SECP256K1_RECOVERABLE)));
        byte[] flippedV = sig.clone();
        flippedV[64] = (byte) (sig[64] == 27 ? 28 : 27);
        assertTrue(PaymentKeyLink.recoverAddress(HEX.parseHex(ETHERS_DIGEST),
                new Signature(flippedV, SignatureScheme.SECP256K1_RECOVERABLE))
                .filter("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"::equals).isEmpty());
    }

    @Test
    void linkHoldsOnlyForTheRightKeyDeviceAndAccount() {
        AccountId payment = Fixtures.account(Fixtures.KEY0);
        KeyPair tls = Crypto.newP256KeyPair();
        Signature link = PaymentKeyLink.signPersonalMessage(Fixtures.KEY0,
                PaymentKeyLink.message("plug-1", payment, tls.getPublic()));
        assertEquals(Optional.empty(), PaymentKeyLink.check("plug-1", payment, tls.getPublic(), link));
        assertTrue(PaymentKeyLink.check("plug-2", payment, tls.getPublic(), link).isPresent(), "other device");
        assertTrue(PaymentKeyLink.check("plug-1", payment, Crypto.newP256KeyPair().getPublic(), link).isPresent(),
                "other TLS key");
        Signature other = PaymentKeyLink.signPersonalMessage(Fixtures.KEY1,
                PaymentKeyLink.message("plug-1", payment, tls.getPublic()));
        String why = PaymentKeyLink.check("plug-1", payment, tls.getPublic(), other).orElseThrow();
        assertTrue(why.contains("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"), why);
    }

    @Test
    void messageIsTheDocumentedText() {
        AccountId payment = Fixtures.account(Fixtures.KEY0);
        KeyPair tls = Crypto.newP256KeyPair();
        String text = new String(PaymentKeyLink.message("plug-1", payment, tls.getPublic()), StandardCharsets.UTF_8);
        String spki = HEX.formatHex(PaymentKeyLink.sha256(tls.getPublic().getEncoded()));
        assertEquals("IOTPAY device key link v1\ndevice: plug-1\npayment: eip155:31337:"
                + "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\ntls-spki-sha256: " + spki, text);
    }
}
