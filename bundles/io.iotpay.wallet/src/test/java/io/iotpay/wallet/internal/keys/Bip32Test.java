package io.iotpay.wallet.internal.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.iotpay.wallet.internal.TestResources;

/** BIP-32 test vectors 1-4, read from the specification text (src/test/resources/bip32-vectors.mediawiki). */
class Bip32Test {
    private static final Pattern SEED = Pattern.compile("^Seed \\(hex\\): ([0-9a-f]+)$");
    private static final Pattern CHAIN = Pattern.compile("^\\* Chain (m.*)$");
    private static final Pattern PUB = Pattern.compile("^\\*\\* ext pub: (\\w+)$");
    private static final Pattern PRV = Pattern.compile("^\\*\\* ext prv: (\\w+)$");

    record Vector(String vector, String seedHex, String path, String xpub, String xprv) {
    }

    static List<Vector> vectors() {
        List<Vector> out = new ArrayList<>();
        String vector = null;
        String seed = null;
        String path = null;
        String pub = null;
        for (String line : TestResources.text("bip32-vectors.mediawiki").split("\n")) {
            line = line.strip();
            Matcher m;
            if (line.startsWith("===Test vector")) {
                vector = line.replace("=", "");
            } else if ((m = SEED.matcher(line)).matches()) {
                seed = m.group(1);
            } else if ((m = CHAIN.matcher(line)).matches()) {
                path = m.group(1).replace("<sub>H</sub>", "'");
            } else if ((m = PUB.matcher(line)).matches()) {
                pub = m.group(1);
            } else if ((m = PRV.matcher(line)).matches()) {
                out.add(new Vector(vector, seed, path, pub, m.group(1)));
            }
        }
        return out;
    }

    static Stream<Arguments> cases() {
        return vectors().stream().map(v -> Arguments.of(v.vector() + " " + v.path(), v));
    }

    @Test
    void allFourVectorsAreParsed() {
        List<Vector> v = vectors();
        assertEquals(6 + 6 + 2 + 3, v.size());
        assertTrue(v.stream().anyMatch(x -> x.path().equals("m/0'/1/2'/2/1000000000")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void specVector(String name, Vector v) {
        Bip32.ExtendedKey master = Bip32.master(Hex.decode(v.seedHex()));
        Bip32.ExtendedKey k = master.derive(DerivationPath.parse(v.path()));
        assertEquals(v.xprv(), k.serialize(), "xprv " + name);
        assertEquals(v.xpub(), k.serializePublic(), "xpub " + name);
        // parse round trip
        assertEquals(v.xprv(), Bip32.parse(v.xprv()).serialize());
        assertEquals(v.xpub(), Bip32.parse(v.xpub()).serialize());
    }

    @Test
    void publicDerivationMatchesPrivateDerivationForNonHardenedSteps() {
        Bip32.ExtendedKey master = Bip32.master(Hex.decode("000102030405060708090a0b0c0d0e0f"));
        Bip32.ExtendedKey parent = master.derive(DerivationPath.parse("m/0'/1/2'"));
        String viaPublic = parent.neuter().derive(DerivationPath.parse("m/2/1000000000")).serialize();
        assertEquals("xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy",
                viaPublic);
        assertThrows(IllegalStateException.class, () -> parent.neuter().child(0x80000000));
    }

    @Test
    void invalidExtendedKeysFromVector5AreRefused() {
        String[] invalid = {
            // pubkey version / prvkey mismatch
            "xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6LBpB85b3D2yc8sfvZU521AAwdZafEz7mnzBBsz4wKY5fTtTQBm",
            // invalid pubkey prefix 04
            "xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6Txnt3siSujt9RCVYsx4qHZGc62TG4McvMGcAUjeuwZdduYEvFn",
            // zero depth with non-zero parent fingerprint
            "xprv9s2SPatNQ9Vc6GTbVMFPFo7jsaZySyzk7L8n2uqKXJen3KUmvQNTuLh3fhZMBoG3G4ZW1N2kZuHEPY53qmbZzCHshoQnNf4GvELZfqTUrcv",
            // private key 0 not in 1..n-1
            "xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzF93Y5wvzdUayhgkkFoicQZcP3y52uPPxFnfoLZB21Teqt1VvEHx",
            // invalid checksum
            "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHL"};
        for (String s : invalid) {
            assertThrows(IllegalArgumentException.class, () -> Bip32.parse(s), s);
        }
    }

    @Test
    void derivationPathParsing() {
        assertEquals("m/44'/60'/0'/0/7", DerivationPath.evm(7).toString());
        assertEquals("m/44'/1729'/3'/0'", DerivationPath.tezos(3).toString());
        assertEquals(DerivationPath.parse("m/44h/60H/0'/0/7"), DerivationPath.evm(7));
        assertThrows(IllegalArgumentException.class, () -> DerivationPath.parse("44'/60'"));
        assertThrows(IllegalArgumentException.class, () -> DerivationPath.parse("m/x"));
        assertThrows(IllegalArgumentException.class, () -> DerivationPath.parse("m/2147483648"));
        assertThrows(IllegalArgumentException.class, () -> DerivationPath.parse("m//1"));
    }
}
