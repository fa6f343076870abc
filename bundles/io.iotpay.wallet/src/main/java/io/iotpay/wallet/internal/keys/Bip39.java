package io.iotpay.wallet.internal.keys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

import io.iotpay.wallet.internal.crypto.Base58;
import io.iotpay.wallet.internal.crypto.Bytes;

/**
 * BIP-39 mnemonics with the English wordlist (bundled resource {@code bip39-english.txt}, 2048 words). Error messages
 * name word positions, never the words themselves (a mistyped word is usually a near copy of a secret one).
 */
public final class Bip39 {
    private static final List<String> WORDS = loadWordlist();
    private static final Map<String, Integer> INDEX = index(WORDS);

    private Bip39() {
    }

    /** Thrown for an invalid mnemonic; the message never contains the mnemonic or any of its words. */
    public static final class InvalidMnemonicException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidMnemonicException(String message) {
            super(message);
        }
    }

    /** The English wordlist. */
    public static List<String> wordlist() {
        return WORDS;
    }

    /** A fresh random mnemonic of 12, 15, 18, 21 or 24 words. */
    public static String generate(int words, SecureRandom random) {
        if (words < 12 || words > 24 || words % 3 != 0) {
            throw new IllegalArgumentException("mnemonic length must be 12, 15, 18, 21 or 24 words, got " + words);
        }
        byte[] entropy = new byte[words * 4 / 3];
        random.nextBytes(entropy);
        try {
            return fromEntropy(entropy);
        } finally {
            Bytes.wipe(entropy);
        }
    }

    /** Encodes 16..32 bytes (a multiple of 4) of entropy. */
    public static String fromEntropy(byte[] entropy) {
        int ent = entropy.length * 8;
        if (entropy.length < 16 || entropy.length > 32 || entropy.length % 4 != 0) {
            throw new IllegalArgumentException("entropy must be 16, 20, 24, 28 or 32 bytes, got " + entropy.length);
        }
        int cs = ent / 32;
        byte[] hash = Base58.sha256(entropy);
        int total = ent + cs;
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < total / 11; w++) {
            int idx = 0;
            for (int b = 0; b < 11; b++) {
                int bit = w * 11 + b;
                boolean set = bit < ent ? bitAt(entropy, bit) : bitAt(hash, bit - ent);
                idx = (idx << 1) | (set ? 1 : 0);
            }
            if (w > 0) {
                sb.append(' ');
            }
            sb.append(WORDS.get(idx));
        }
        return sb.toString();
    }

    /** Validates words and checksum and returns the entropy. */
    public static byte[] toEntropy(String mnemonic) {
        if (mnemonic == null) {
            throw new InvalidMnemonicException("mnemonic is missing");
        }
        String[] words = Normalizer.normalize(mnemonic, Normalizer.Form.NFKD).trim().split("\\s+");
        int n = words.length;
        if (n < 12 || n > 24 || n % 3 != 0) {
            throw new InvalidMnemonicException("mnemonic must have 12, 15, 18, 21 or 24 words, it has " + n);
        }
        int totalBits = n * 11;
        int cs = totalBits / 33;
        int ent = totalBits - cs;
        byte[] bits = new byte[(totalBits + 7) / 8];
        for (int w = 0; w < n; w++) {
            Integer idx = INDEX.get(words[w].toLowerCase(java.util.Locale.ROOT));
            if (idx == null) {
                throw new InvalidMnemonicException("mnemonic word " + (w + 1) + " of " + n
                        + " is not in the BIP-39 English wordlist");
            }
            for (int b = 0; b < 11; b++) {
                if ((idx >> (10 - b) & 1) == 1) {
                    int bit = w * 11 + b;
                    bits[bit / 8] |= (byte) (0x80 >> (bit % 8));
                }
            }
        }
        byte[] entropy = java.util.Arrays.copyOf(bits, ent / 8);
        byte[] hash = Base58.sha256(entropy);
        for (int i = 0; i < cs; i++) {
            if (bitAt(bits, ent + i) != bitAt(hash, i)) {
                Bytes.wipe(bits);
                Bytes.wipe(entropy);
                throw new InvalidMnemonicException("mnemonic checksum does not match (a word is wrong or out of order)");
            }
        }
        Bytes.wipe(bits);
        return entropy;
    }

    /** True when {@link #toEntropy(String)} would succeed. */
    public static boolean isValid(String mnemonic) {
        try {
            Bytes.wipe(toEntropy(mnemonic));
            return true;
        } catch (InvalidMnemonicException e) {
            return false;
        }
    }

    /**
     * The 64-byte seed: PBKDF2-HMAC-SHA512(NFKD(mnemonic), "mnemonic" + NFKD(passphrase), 2048). Validates the
     * mnemonic first.
     */
    public static byte[] toSeed(String mnemonic, String passphrase) {
        Bytes.wipe(toEntropy(mnemonic));
        // canonical form: NFKD, single spaces, lower case (the English list is lower case; input case is tolerated)
        String m = String.join(" ", Normalizer.normalize(mnemonic, Normalizer.Form.NFKD).trim()
                .toLowerCase(java.util.Locale.ROOT).split("\\s+"));
        String salt = "mnemonic" + Normalizer.normalize(passphrase == null ? "" : passphrase, Normalizer.Form.NFKD);
        PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SHA512Digest());
        byte[] pw = m.getBytes(StandardCharsets.UTF_8);
        gen.init(pw, salt.getBytes(StandardCharsets.UTF_8), 2048);
        byte[] seed = ((KeyParameter) gen.generateDerivedParameters(512)).getKey();
        Bytes.wipe(pw);
        return seed;
    }

    private static boolean bitAt(byte[] b, int bit) {
        return (b[bit / 8] >> (7 - bit % 8) & 1) == 1;
    }

    private static List<String> loadWordlist() {
        try (InputStream in = Bip39.class.getResourceAsStream("bip39-english.txt")) {
            if (in == null) {
                throw new IllegalStateException("BIP-39 English wordlist resource is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> words = new ArrayList<>(2048);
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    words.add(line.trim());
                }
            }
            if (words.size() != 2048) {
                throw new IllegalStateException("BIP-39 wordlist must have 2048 words, has " + words.size());
            }
            return Collections.unmodifiableList(words);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the BIP-39 wordlist", e);
        }
    }

    private static Map<String, Integer> index(List<String> words) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            m.put(words.get(i), i);
        }
        return m;
    }
}
