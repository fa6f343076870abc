package io.iotpay.wallet.internal.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.iotpay.wallet.internal.TestResources;

/** SLIP-0010 ed25519 test vectors 1 and 2, read from the specification text. */
class Slip10Ed25519Test {

    record Vector(String seed, String path, String fingerprint, String chainCode, String priv, String pub) {
    }

    static List<Vector> vectors() {
        List<Vector> out = new ArrayList<>();
        String seed = null;
        String path = null;
        String fp = null;
        String cc = null;
        String priv = null;
        for (String raw : TestResources.text("slip10-ed25519-vectors.md").split("\n")) {
            String line = raw.strip();
            if (line.startsWith("Seed (hex): ")) {
                seed = line.substring("Seed (hex): ".length());
            } else if (line.startsWith("* Chain ")) {
                path = line.substring("* Chain ".length()).replace("<sub>H</sub>", "'");
            } else if (line.startsWith("* fingerprint: ")) {
                fp = line.substring("* fingerprint: ".length());
            } else if (line.startsWith("* chain code: ")) {
                cc = line.substring("* chain code: ".length());
            } else if (line.startsWith("* private: ")) {
                priv = line.substring("* private: ".length());
            } else if (line.startsWith("* public: ")) {
                out.add(new Vector(seed, path, fp, cc, priv, line.substring("* public: ".length())));
            }
        }
        return out;
    }

    static Stream<Arguments> cases() {
        return vectors().stream().map(v -> Arguments.of(v.seed().substring(0, 8) + " " + v.path(), v));
    }

    @Test
    void bothVectorsParsed() {
        assertEquals(12, vectors().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void specVector(String name, Vector v) {
        Slip10Ed25519.Node n = Slip10Ed25519.master(Hex.decode(v.seed())).derive(DerivationPath.parse(v.path()));
        assertEquals(v.chainCode(), Hex.toHexString(n.chainCode()), name);
        assertEquals(v.priv(), Hex.toHexString(n.privateKey()), name);
        assertEquals(v.pub(), Hex.toHexString(n.publicKeySlip10()), name);
        assertEquals(v.fingerprint(), String.format("%08x", n.parentFingerprint()), name);
    }

    @Test
    void nonHardenedStepIsRefused() {
        Slip10Ed25519.Node m = Slip10Ed25519.master(Hex.decode("000102030405060708090a0b0c0d0e0f"));
        assertThrows(IllegalArgumentException.class, () -> m.derive(DerivationPath.parse("m/0'/1")));
    }
}
