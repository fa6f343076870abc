package io.iotpay.wallet.internal.keystore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.WalletUtils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iotpay.wallet.internal.TestResources;
import io.iotpay.wallet.internal.crypto.BouncyCastleSecp256k1;
import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.crypto.EthAddress;
import io.iotpay.wallet.internal.crypto.Keccak;

class KeystoreV3Test {
    private static final ObjectMapper M = new ObjectMapper();
    private static final KeystoreV3.ScryptParams FAST = new KeystoreV3.ScryptParams(1024, 8, 1);
    private static final char[] PASS = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    private final JsonNode spec = TestResources.json("keystore-spec-vectors.json");

    @Test
    void specScryptVector() {
        KeystoreV3.Decrypted d = KeystoreV3.decrypt(spec.get("scrypt").toString(), "testpassword".toCharArray());
        assertEquals(spec.get("privateKey").asText(), Hex.toHexString(d.privateKey()));
    }

    @Test
    void specPbkdf2Vector() {
        KeystoreV3.Decrypted d = KeystoreV3.decrypt(spec.get("pbkdf2").toString(), "testpassword".toCharArray());
        assertEquals(spec.get("privateKey").asText(), Hex.toHexString(d.privateKey()));
    }

    @Test
    void wrongPassphraseIsReportedAsSuch() {
        KeystoreError e = assertThrows(KeystoreError.class,
                () -> KeystoreV3.decrypt(spec.get("pbkdf2").toString(), "testpassword!".toCharArray()));
        assertEquals(KeystoreError.Kind.WRONG_PASSPHRASE, e.kind());
        assertFalse(e.getMessage().contains("testpassword"));
    }

    @Test
    void truncatedJsonIsCorrupted() {
        String full = spec.get("pbkdf2").toString();
        for (int cut : new int[] {0, 1, full.length() / 3, full.length() / 2, full.length() - 1}) {
            KeystoreError e = assertThrows(KeystoreError.class,
                    () -> KeystoreV3.decrypt(full.substring(0, cut), "testpassword".toCharArray()));
            assertEquals(KeystoreError.Kind.CORRUPTED, e.kind(), "cut at " + cut + ": " + e.getMessage());
        }
    }

    @Test
    void tamperedFieldsAreDetected() {
        // altered ciphertext: the MAC no longer matches (cannot be told apart from a wrong passphrase)
        ObjectNode t1 = spec.get("pbkdf2").deepCopy();
        ObjectNode c1 = (ObjectNode) t1.get("crypto");
        c1.put("ciphertext", "6318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46");
        assertEquals(KeystoreError.Kind.WRONG_PASSPHRASE, kind(t1));
        // structure damaged: bad hex, short iv, missing mac, unsupported cipher / kdf / version
        ObjectNode t2 = spec.get("pbkdf2").deepCopy();
        ((ObjectNode) t2.get("crypto")).put("mac", "zz7ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2");
        assertEquals(KeystoreError.Kind.CORRUPTED, kind(t2));
        ObjectNode t3 = spec.get("pbkdf2").deepCopy();
        ((ObjectNode) t3.get("crypto").get("cipherparams")).put("iv", "6087dab2f9fdbbfaddc31a909735c1");
        assertEquals(KeystoreError.Kind.CORRUPTED, kind(t3));
        ObjectNode t4 = spec.get("pbkdf2").deepCopy();
        ((ObjectNode) t4.get("crypto")).remove("mac");
        assertEquals(KeystoreError.Kind.CORRUPTED, kind(t4));
        ObjectNode t5 = spec.get("pbkdf2").deepCopy();
        ((ObjectNode) t5.get("crypto")).put("cipher", "aes-128-cbc");
        assertEquals(KeystoreError.Kind.UNSUPPORTED, kind(t5));
        ObjectNode t6 = spec.get("pbkdf2").deepCopy();
        t6.put("version", 2);
        assertEquals(KeystoreError.Kind.UNSUPPORTED, kind(t6));
        ObjectNode t7 = spec.get("scrypt").deepCopy();
        ((ObjectNode) t7.get("crypto").get("kdfparams")).put("n", 1000); // not a power of two
        assertEquals(KeystoreError.Kind.CORRUPTED, kind(t7));
        ObjectNode t8 = spec.get("scrypt").deepCopy();
        ((ObjectNode) t8.get("crypto").get("kdfparams")).put("n", 1 << 30); // memory bomb
        assertEquals(KeystoreError.Kind.UNSUPPORTED, kind(t8));
    }

    private static KeystoreError.Kind kind(JsonNode doc) {
        return assertThrows(KeystoreError.class,
                () -> KeystoreV3.decrypt(doc.toString(), "testpassword".toCharArray())).kind();
    }

    @Test
    void writeReadRoundTripWithOwnerOnlyPermissions() throws Exception {
        byte[] key = Keccak.keccak256("roundtrip".getBytes(StandardCharsets.US_ASCII));
        String address = Bytes.toHex(EthAddress.fromPublicKey(new BouncyCastleSecp256k1().publicKey(key)));
        String json = KeystoreV3.encrypt(key, address, PASS, FAST, new SecureRandom());
        Path folder = dir.resolve("keystore");
        Path file = folder.resolve(KeystoreV3.gethFileName(Instant.parse("2026-01-02T03:04:05Z"), address));
        KeystoreV3.writeAtomically(file, json);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertTrue(file.getFileName().toString().startsWith("UTC--2026-01-02T03-04-05.000000000Z--"));
        try (var s = Files.list(folder)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
        KeystoreV3.Decrypted d = KeystoreV3.decrypt(file, PASS);
        assertArrayEquals(key, d.privateKey());
        assertEquals(address, d.address());

        // never overwritten, and a failed decrypt leaves the file untouched
        byte[] before = Files.readAllBytes(file);
        KeystoreError e = assertThrows(KeystoreError.class, () -> KeystoreV3.writeAtomically(file, "{}"));
        assertEquals(KeystoreError.Kind.IO, e.kind());
        assertEquals(KeystoreError.Kind.WRONG_PASSPHRASE,
                assertThrows(KeystoreError.class, () -> KeystoreV3.decrypt(file, "nope".toCharArray())).kind());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void web3jReadsOurFilesAndWeReadWeb3jFiles() throws Exception {
        byte[] key = Keccak.keccak256("interop".getBytes(StandardCharsets.US_ASCII));
        String address = Bytes.toHex(EthAddress.fromPublicKey(new BouncyCastleSecp256k1().publicKey(key)));
        // ours -> web3j
        String ours = KeystoreV3.encrypt(key, address, PASS, FAST, new SecureRandom());
        Path f = dir.resolve("ours.json");
        Files.writeString(f, ours);
        Credentials c = WalletUtils.loadCredentials(new String(PASS), f.toFile());
        assertEquals("0x" + address, c.getAddress());
        assertEquals(Hex.toHexString(key), Bytes.toHex(Bytes.toFixed(c.getEcKeyPair().getPrivateKey(), 32)));
        // web3j -> ours (web3j "light" scrypt parameters)
        WalletFile wf = Wallet.createLight(new String(PASS), ECKeyPair.create(key));
        String theirs = M.writeValueAsString(wf);
        KeystoreV3.Decrypted d = KeystoreV3.decrypt(theirs, PASS);
        assertArrayEquals(key, d.privateKey());
        assertEquals(address, d.address());
    }

    @Test
    void ethersFileWithCapitalCryptoKeyIsRead() {
        // written by ethers 6.17 encryptKeystoreJsonSync(..., "interop-pass", {scrypt: {N: 1024}})
        KeystoreV3.Decrypted d = KeystoreV3.decrypt(TestResources.text("keystore-ethers-n1024.json"),
                "interop-pass".toCharArray());
        assertEquals("41a47eb98e14a9a3ffbb58ecc423ee869569a954ec8ebb3f3cf84f5115c7c9af", Hex.toHexString(d.privateKey()));
        assertEquals("dee8fff0afaacb40badaab58fb58cdd3b387d406", d.address());
    }

    // ------------------------------------------------------------------------------------- L2: scrypt cost limits

    private static KeystoreError scryptRefusal(int n, int r, int p) {
        ObjectNode doc = TestResources.json("keystore-spec-vectors.json").get("scrypt").deepCopy();
        ObjectNode kp = (ObjectNode) doc.get("crypto").get("kdfparams");
        kp.put("n", n);
        kp.put("r", r);
        kp.put("p", p);
        KeystoreError e = assertThrows(KeystoreError.class,
                () -> KeystoreV3.decrypt(doc.toString(), "testpassword".toCharArray()));
        assertEquals(KeystoreError.Kind.UNSUPPORTED, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void hostileScryptParametersAreRefusedBeforeAnyWorkNamingFieldAndLimit() {
        // p alone was unbounded: n=2, r=1, p=2^29 took minutes (and p*128*r overflowed int)
        KeystoreError p = scryptRefusal(2, 1, 1 << 29);
        assertTrue(p.getMessage().contains("kdfparams.p = 536870912 exceeds the limit 16"), p.getMessage());
        assertTrue(scryptRefusal(262144, 1, 17).getMessage().contains("kdfparams.p = 17 exceeds the limit 16"));
        assertTrue(scryptRefusal(1024, 33, 1).getMessage().contains("kdfparams.r = 33 exceeds the limit 32"));
        KeystoreError mem = scryptRefusal(1 << 24, 8, 1);
        assertTrue(mem.getMessage().contains("kdfparams.n = 16777216") && mem.getMessage().contains("1073741824"),
                mem.getMessage());
        // each parameter within its own limit, the product is not: n*r*p = 2^18 * 8 * 16 = 2^25
        KeystoreError work = scryptRefusal(262144, 8, 16);
        assertTrue(work.getMessage().contains("n*r*p") && work.getMessage().contains("16777216"),
                work.getMessage());
        // the limits themselves are accepted (MAC check fails: the parameters are not the file's)
        ObjectNode doc = TestResources.json("keystore-spec-vectors.json").get("scrypt").deepCopy();
        ((ObjectNode) doc.get("crypto").get("kdfparams")).put("n", 1024).put("r", 8).put("p", 16);
        assertEquals(KeystoreError.Kind.WRONG_PASSPHRASE, kind(doc));
    }

    @Test
    void scryptComputesBufferSizesAsLongs() {
        // p*128*r = 2^12 * 128 * 2^20 overflows an int: a clear refusal, not a negative array size
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scrypt.generate(new byte[1], new byte[1], 2, 1 << 20, 1 << 12, 32));
        assertTrue(e.getMessage().contains("p*128*r"), e.getMessage());
    }

    @Test
    void gethStandardParametersR8P1AreRead() throws Exception {
        // web3j's standard file: scrypt n = 262144, r = 8, p = 1 (geth's StandardScryptN/P); the specification's own
        // vector (n = 262144, r = 1, p = 8) is specScryptVector
        byte[] key = Keccak.keccak256("standard".getBytes(StandardCharsets.US_ASCII));
        WalletFile wf = Wallet.createStandard(new String(PASS), ECKeyPair.create(key));
        assertEquals(262144, ((WalletFile.ScryptKdfParams) wf.getCrypto().getKdfparams()).getN());
        assertEquals(8, ((WalletFile.ScryptKdfParams) wf.getCrypto().getKdfparams()).getR());
        assertEquals(1, ((WalletFile.ScryptKdfParams) wf.getCrypto().getKdfparams()).getP());
        assertArrayEquals(key, KeystoreV3.decrypt(M.writeValueAsString(wf), PASS).privateKey());
    }

    // ---------------------------------------------------------------------- L1: no overwrite, folder fsync'd

    /** File steps that record what happened, with a replaceable link step. */
    static final class RecordingSteps implements KeystoreV3.FileSteps {
        final java.util.List<String> events = new java.util.ArrayList<>();
        final java.util.function.BiConsumer<Path, Path> beforeLink;
        final boolean linkUnsupported;

        RecordingSteps(java.util.function.BiConsumer<Path, Path> beforeLink, boolean linkUnsupported) {
            this.beforeLink = beforeLink;
            this.linkUnsupported = linkUnsupported;
        }

        @Override
        public void link(Path target, Path tmp) throws java.io.IOException {
            events.add("link " + target.getFileName());
            beforeLink.accept(target, tmp);
            if (linkUnsupported) {
                throw new java.nio.file.FileSystemException(target.toString(), tmp.toString(),
                        "Operation not permitted");
            }
            Files.createLink(target, tmp);
        }

        @Override
        public void syncDirectory(Path d) throws java.io.IOException {
            events.add("sync " + d.getFileName());
            KeystoreV3.syncDirectory(d);
        }
    }

    private static long filesIn(Path folder) throws Exception {
        try (var s = Files.list(folder)) {
            return s.count();
        }
    }

    @Test
    void aFileSystemWithoutHardLinksRefusesTheWriteNamingTheFile() throws Exception {
        Path folder = dir.resolve("keystore");
        Path file = folder.resolve("UTC--2026-01-02T03-04-05.000000000Z--00");
        RecordingSteps noLinks = new RecordingSteps((t, tmp) -> { }, true);
        KeystoreError e = assertThrows(KeystoreError.class, () -> KeystoreV3.writeAtomically(file, "{}", noLinks));
        assertEquals(KeystoreError.Kind.IO, e.kind());
        assertTrue(e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains("hard links"),
                e.getMessage());
        assertFalse(Files.exists(file), "nothing written under the target name (no rename fallback)");
        assertEquals(0, filesIn(folder), "no temporary file left behind");

        // UnsupportedOperationException from the file system provider: the same refusal
        KeystoreV3.FileSteps unsupported = new KeystoreV3.FileSteps() {
            @Override
            public void link(Path target, Path tmp) {
                throw new UnsupportedOperationException("links");
            }

            @Override
            public void syncDirectory(Path d) {
            }
        };
        assertEquals(KeystoreError.Kind.IO, assertThrows(KeystoreError.class,
                () -> KeystoreV3.writeAtomically(file, "{}", unsupported)).kind());
        assertFalse(Files.exists(file));
    }

    @Test
    void aTargetCreatedConcurrentlyIsNeverOverwritten() throws Exception {
        Path folder = dir.resolve("keystore");
        Path file = folder.resolve("household-seed.json");
        // another writer creates the target between the existence check and the link
        RecordingSteps racing = new RecordingSteps((t, tmp) -> {
            try {
                Files.writeString(t, "the other writer's file");
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }, false);
        KeystoreError e = assertThrows(KeystoreError.class,
                () -> KeystoreV3.writeAtomically(file, "{\"mine\": true}", racing));
        assertEquals(KeystoreError.Kind.IO, e.kind());
        assertTrue(e.getMessage().contains("household-seed.json already exists"), e.getMessage());
        assertEquals("the other writer's file", Files.readString(file));
        assertEquals(1, filesIn(folder), "no temporary file left behind");
    }

    @Test
    void theFolderIsSyncedAfterTheNewFileIsLinked() throws Exception {
        Path folder = dir.resolve("keystore");
        Path file = folder.resolve("a.json");
        RecordingSteps steps = new RecordingSteps((t, tmp) -> { }, false);
        KeystoreV3.writeAtomically(file, "{\"a\": 1}", steps);
        assertEquals(java.util.List.of("link a.json", "sync keystore"), steps.events);
        assertEquals("{\"a\": 1}", Files.readString(file));
        assertEquals(1, filesIn(folder));
        // replacing (index, policies, spending books) works and leaves one file
        KeystoreV3.replaceAtomically(file, "{\"a\": 2}");
        assertEquals("{\"a\": 2}", Files.readString(file));
        assertEquals(1, filesIn(folder));
    }

    @Test
    void missingFileIsAnIoError() {
        assertEquals(KeystoreError.Kind.IO, assertThrows(KeystoreError.class,
                () -> KeystoreV3.decrypt(dir.resolve("absent.json"), PASS)).kind());
    }
}
