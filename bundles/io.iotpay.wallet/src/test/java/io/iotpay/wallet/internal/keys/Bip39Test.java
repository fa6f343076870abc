package io.iotpay.wallet.internal.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.iotpay.wallet.internal.TestResources;
import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.crypto.EthAddress;
import io.iotpay.wallet.internal.crypto.BouncyCastleSecp256k1;

class Bip39Test {

    static Stream<Arguments> trezorVectors() {
        JsonNode root = TestResources.json("bip39-vectors.json");
        List<Arguments> out = new ArrayList<>();
        for (JsonNode v : root.get("english")) {
            out.add(Arguments.of(v.get(0).asText(), v.get(1).asText(), v.get(2).asText(), v.get(3).asText()));
        }
        return out.stream();
    }

    @Test
    void vectorFileHasTheFullEnglishList() {
        assertEquals(24, TestResources.json("bip39-vectors.json").get("english").size());
        assertEquals(2048, Bip39.wordlist().size());
        assertEquals("abandon", Bip39.wordlist().get(0));
        assertEquals("zoo", Bip39.wordlist().get(2047));
    }

    @ParameterizedTest
    @MethodSource("trezorVectors")
    void trezorEnglishVectors(String entropyHex, String mnemonic, String seedHex, String xprv) {
        byte[] entropy = Hex.decode(entropyHex);
        assertEquals(mnemonic, Bip39.fromEntropy(entropy));
        assertEquals(entropyHex, Hex.toHexString(Bip39.toEntropy(mnemonic)));
        byte[] seed = Bip39.toSeed(mnemonic, "TREZOR");
        assertEquals(seedHex, Hex.toHexString(seed));
        assertEquals(xprv, Bip32.master(seed).serialize());
    }

    @Test
    void anvilMnemonicDerivesTheWellKnownDevAccounts() {
        byte[] seed = Bip39.toSeed("test test test test test test test test test test test junk", "");
        Bip32.ExtendedKey root = Bip32.master(seed);
        String[] expected = {"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"};
        BouncyCastleSecp256k1 ec = new BouncyCastleSecp256k1();
        for (int i = 0; i < expected.length; i++) {
            Bip32.ExtendedKey k = root.derive(DerivationPath.evm(i));
            assertEquals(expected[i], EthAddress.checksum(EthAddress.fromPublicKey(ec.publicKey(k.privateKey()))));
        }
        // account 0's private key is anvil's published dev key
        assertEquals("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
                Bytes.toHex(root.derive(DerivationPath.evm(0)).privateKey()));
    }

    @Test
    void invalidWordIsRefusedWithoutEchoingIt() {
        String bad = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abuot";
        Bip39.InvalidMnemonicException e = assertThrows(Bip39.InvalidMnemonicException.class,
                () -> Bip39.toEntropy(bad));
        assertTrue(e.getMessage().contains("word 12 of 12"), e.getMessage());
        assertFalse(e.getMessage().contains("abuot"), "message must not contain mnemonic words");
        assertFalse(Bip39.isValid(bad));
        assertThrows(Bip39.InvalidMnemonicException.class, () -> Bip39.toSeed(bad, ""));
    }

    @Test
    void badChecksumIsRefused() {
        // valid words, last word changed: checksum no longer matches
        String bad = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon";
        Bip39.InvalidMnemonicException e = assertThrows(Bip39.InvalidMnemonicException.class,
                () -> Bip39.toEntropy(bad));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        // swapping two words of a valid mnemonic breaks the checksum too
        String valid = "legal winner thank year wave sausage worth useful legal winner thank yellow";
        assertTrue(Bip39.isValid(valid));
        assertFalse(Bip39.isValid("winner legal thank year wave sausage worth useful legal winner thank yellow"));
    }

    @Test
    void wrongWordCountIsRefused() {
        assertThrows(Bip39.InvalidMnemonicException.class, () -> Bip39.toEntropy("abandon abandon about"));
        assertThrows(Bip39.InvalidMnemonicException.class, () -> Bip39.toEntropy(""));
        assertThrows(Bip39.InvalidMnemonicException.class, () -> Bip39.toEntropy(null));
    }

    @Test
    void generatedMnemonicsValidateAndRoundTrip() {
        SecureRandom r = new SecureRandom();
        for (int words : new int[] {12, 15, 18, 21, 24}) {
            String m = Bip39.generate(words, r);
            assertEquals(words, m.split(" ").length);
            assertTrue(Bip39.isValid(m));
            assertEquals(m, Bip39.fromEntropy(Bip39.toEntropy(m)));
        }
        assertThrows(IllegalArgumentException.class, () -> Bip39.generate(13, r));
    }

    @Test
    void importToleratesCaseAndExtraWhitespace() {
        String m = "  Legal   winner thank year wave sausage worth useful legal winner thank YELLOW ";
        assertTrue(Bip39.isValid(m));
        assertTrue(Arrays.equals(Bip39.toSeed(m, "TREZOR"),
                Bip39.toSeed("legal winner thank year wave sausage worth useful legal winner thank yellow", "TREZOR")));
    }
}
