package io.iotpay.wallet.internal.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.bouncycastle.asn1.ASN1Integer;
import org.junit.jupiter.api.Test;

/** The P-256 primitives of {@link CaKeyStore} against the RFC 6979 published vector. */
class CaKeyStoreTest {

    @Test
    void rfc6979SampleVectorP256Sha256() throws Exception {
        // RFC 6979 A.2.5, curve P-256, SHA-256, message "sample"
        byte[] x = HexFormat.of().parseHex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
        byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest("sample".getBytes(StandardCharsets.US_ASCII));
        byte[] der = CaKeyStore.ecdsaSha256Der(x, h);
        org.bouncycastle.asn1.ASN1Sequence seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(der);
        assertEquals(new BigInteger("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716", 16),
                ASN1Integer.getInstance(seq.getObjectAt(0)).getValue());
        assertEquals(new BigInteger("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8", 16),
                ASN1Integer.getInstance(seq.getObjectAt(1)).getValue());
        // and the public key of the vector: Ux, Uy
        byte[] pub = CaKeyStore.publicPoint(x);
        assertEquals("0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
                + "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299", HexFormat.of().formatHex(pub));
    }

    @Test
    void publicKeyOfTheVectorConvertsToAJdkKey() {
        byte[] x = HexFormat.of().parseHex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
        java.security.interfaces.ECPublicKey k = (java.security.interfaces.ECPublicKey) CaKeyStore
                .toPublicKey(CaKeyStore.publicPoint(x));
        assertEquals(new BigInteger("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6", 16),
                k.getW().getAffineX());
        assertEquals(new BigInteger("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299", 16),
                k.getW().getAffineY());
    }
}
