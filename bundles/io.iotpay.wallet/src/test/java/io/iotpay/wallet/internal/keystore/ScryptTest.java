package io.iotpay.wallet.internal.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class ScryptTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void rfc7914Vectors() {
        assertEquals("77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17"
                + "e8d3e0fb2e0d3628cf35e20c38d18906", Hex.toHexString(Scrypt.generate(b(""), b(""), 16, 1, 1, 64)));
        assertEquals("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830da"
                + "c727afb94a83ee6d8360cbdfa2cc0640",
                Hex.toHexString(Scrypt.generate(b("password"), b("NaCl"), 1024, 8, 16, 64)));
    }

    @Test
    void agreesWithBouncyCastleWhereBouncyCastleAcceptsTheParameters() {
        byte[] pw = b("pw");
        byte[] salt = Hex.decode("00112233445566778899aabbccddeeff");
        for (int[] nrp : new int[][] {{1024, 8, 1}, {4096, 8, 6}, {256, 2, 3}}) {
            assertEquals(Hex.toHexString(SCrypt.generate(pw, salt, nrp[0], nrp[1], nrp[2], 32)),
                    Hex.toHexString(Scrypt.generate(pw, salt, nrp[0], nrp[1], nrp[2], 32)));
        }
    }
}
