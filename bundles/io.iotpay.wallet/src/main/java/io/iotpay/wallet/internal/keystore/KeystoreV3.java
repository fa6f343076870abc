package io.iotpay.wallet.internal.keystore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.crypto.Keccak;

/**
 * Web3 Secret Storage Definition, version 3 (the geth/web3j/ethers keystore format): reads the scrypt and
 * PBKDF2-HMAC-SHA256 KDFs with AES-128-CTR, writes scrypt. The MAC ({@code keccak256(dk[16..32] || ciphertext)}) is
 * checked, in constant time, before anything is decrypted. Files are written atomically (owner-only temporary file in
 * the same folder, fsync, hard link, fsync of the folder) and never overwrite an existing file.
 */
public final class KeystoreV3 {
    /** geth's standard scrypt parameters (about 256 MiB and one second per unlock). */
    public static final ScryptParams STANDARD = new ScryptParams(1 << 18, 8, 1);
    /** geth's "light" parameters (4 MiB). */
    public static final ScryptParams LIGHT = new ScryptParams(1 << 12, 8, 6);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAX_FILE_BYTES = 64 * 1024;
    /** Upper bound of scrypt's memory {@code 128 * n * r} bytes (1 GiB). */
    static final long MAX_SCRYPT_MEMORY = 1L << 30;
    /**
     * Upper bound of scrypt's parallelisation {@code p}: the KDF runs p sequential passes over the whole n*r memory,
     * so p multiplies the CPU time of an unlock. Published files use 1 (geth standard, web3j, ethers), 6 (geth light)
     * and 8 (the Web3 Secret Storage test vector); RFC 7914's largest vector uses 16.
     */
    static final int MAX_SCRYPT_P = 16;
    /** Upper bound of scrypt's block size {@code r} (published files use 1 or 8). */
    static final int MAX_SCRYPT_R = 32;
    /**
     * Upper bound of scrypt's total work {@code n * r * p} (proportional to the CPU time of an unlock): 2^24, eight
     * times geth's standard parameters (n = 2^18, r = 8, p = 1) and the specification's vector (n = 2^18, r = 1,
     * p = 8), i.e. several seconds at most.
     */
    static final long MAX_SCRYPT_WORK = 1L << 24;
    private static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");

    /** scrypt cost parameters. */
    public record ScryptParams(int n, int r, int p) {
        public ScryptParams {
            if (n < 2 || (n & (n - 1)) != 0) {
                throw new IllegalArgumentException("scrypt n must be a power of two >= 2, got " + n);
            }
            if (r < 1 || p < 1) {
                throw new IllegalArgumentException("scrypt r and p must be >= 1");
            }
        }
    }

    /**
     * A decrypted key: 32-byte private key, the address stored in the file (lower-case hex, may be null), and the
     * {@value #CURVE_FIELD} the file names (null when it names none: a plain v3 file, i.e. secp256k1).
     */
    public record Decrypted(byte[] privateKey, String address, String id, String curve) {
    }

    /**
     * Top-level field, not part of Web3 Secret Storage, that IOTPAY writes into files whose secret is not a secp256k1
     * account key (e.g. {@code "P-256"} for certificate-authority keys), so they are never taken for an account.
     */
    public static final String CURVE_FIELD = "curve";

    private KeystoreV3() {
    }

    // ----------------------------------------------------------------------------------------------------- reading

    /** Reads and decrypts a keystore file. */
    public static Decrypted decrypt(Path file, char[] passphrase) {
        return decrypt(file, passphrase, 32, 32);
    }

    /** Reads and decrypts a file whose secret is {@code minLen..maxLen} bytes. */
    public static Decrypted decrypt(Path file, char[] passphrase, int minLen, int maxLen) {
        String json;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new KeystoreError(KeystoreError.Kind.CORRUPTED, "keystore file " + file.getFileName()
                        + " is too large (" + size + " bytes) to be a v3 keystore");
            }
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new KeystoreError(KeystoreError.Kind.IO, "keystore file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new KeystoreError(KeystoreError.Kind.IO, "cannot read keystore file " + file + ": " + e, e);
        }
        return decrypt(json, passphrase, minLen, maxLen);
    }

    /** Decrypts a keystore JSON document. */
    public static Decrypted decrypt(String json, char[] passphrase) {
        return decrypt(json, passphrase, 32, 32);
    }

    /** Decrypts a v3 document whose secret is {@code minLen..maxLen} bytes (the wallet's seed file uses 16..32). */
    public static Decrypted decrypt(String json, char[] passphrase, int minLen, int maxLen) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw corrupted("is not valid JSON (truncated or damaged): " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw corrupted("is not a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.canConvertToInt()) {
            throw corrupted("has no numeric \"version\"");
        }
        if (version.asInt() != 3) {
            throw new KeystoreError(KeystoreError.Kind.UNSUPPORTED, "keystore version " + version.asInt()
                    + " is not supported (expected 3)");
        }
        JsonNode crypto = root.has("crypto") ? root.get("crypto") : root.get("Crypto");
        if (crypto == null || !crypto.isObject()) {
            throw corrupted("has no \"crypto\" object");
        }
        String cipher = text(crypto, "cipher");
        if (!"aes-128-ctr".equals(cipher)) {
            throw new KeystoreError(KeystoreError.Kind.UNSUPPORTED, "keystore cipher \"" + cipher
                    + "\" is not supported (expected aes-128-ctr)");
        }
        JsonNode cp = crypto.get("cipherparams");
        if (cp == null || !cp.isObject()) {
            throw corrupted("has no \"cipherparams\"");
        }
        byte[] iv = hex(cp, "iv", "cipherparams.iv");
        if (iv.length != 16) {
            throw corrupted("cipherparams.iv must be 16 bytes, is " + iv.length);
        }
        byte[] ciphertext = hex(crypto, "ciphertext", "ciphertext");
        if (ciphertext.length < minLen || ciphertext.length > maxLen) {
            throw corrupted("ciphertext must be " + (minLen == maxLen ? minLen : minLen + ".." + maxLen)
                    + " bytes, is " + ciphertext.length);
        }
        byte[] mac = hex(crypto, "mac", "mac");
        if (mac.length != 32) {
            throw corrupted("mac must be 32 bytes, is " + mac.length);
        }
        JsonNode kp = crypto.get("kdfparams");
        if (kp == null || !kp.isObject()) {
            throw corrupted("has no \"kdfparams\"");
        }
        String kdf = text(crypto, "kdf");
        int dklen = integer(kp, "dklen");
        if (dklen < 32 || dklen > 64) {
            throw corrupted("kdfparams.dklen must be 32..64, is " + dklen);
        }
        byte[] salt = hex(kp, "salt", "kdfparams.salt");
        byte[] pw = utf8(passphrase);
        byte[] dk;
        try {
            if ("scrypt".equals(kdf)) {
                int n = integer(kp, "n");
                int r = integer(kp, "r");
                int p = integer(kp, "p");
                ScryptParams sp;
                try {
                    sp = new ScryptParams(n, r, p);
                } catch (IllegalArgumentException e) {
                    throw corrupted("kdfparams: " + e.getMessage());
                }
                checkScryptLimits(sp);
                dk = Scrypt.generate(pw, salt, sp.n(), sp.r(), sp.p(), dklen);
            } else if ("pbkdf2".equals(kdf)) {
                String prf = text(kp, "prf");
                if (!"hmac-sha256".equals(prf)) {
                    throw new KeystoreError(KeystoreError.Kind.UNSUPPORTED, "pbkdf2 prf \"" + prf
                            + "\" is not supported (expected hmac-sha256)");
                }
                int c = integer(kp, "c");
                if (c < 1 || c > MAX_PBKDF2_ITERATIONS) {
                    throw corrupted("kdfparams.c must be 1.." + MAX_PBKDF2_ITERATIONS + ", is " + c);
                }
                PKCS5S2ParametersGenerator g = new PKCS5S2ParametersGenerator(new SHA256Digest());
                g.init(pw, salt, c);
                dk = ((KeyParameter) g.generateDerivedParameters(dklen * 8)).getKey();
            } else {
                throw new KeystoreError(KeystoreError.Kind.UNSUPPORTED, "keystore kdf \"" + kdf
                        + "\" is not supported (expected scrypt or pbkdf2)");
            }
        } finally {
            Bytes.wipe(pw);
        }
        try {
            byte[] expected = Keccak.keccak256(Arrays.copyOfRange(dk, 16, 32), ciphertext);
            if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(expected, mac)) {
                throw new KeystoreError(KeystoreError.Kind.WRONG_PASSPHRASE,
                        "wrong passphrase for keystore (MAC mismatch; or the file's ciphertext was altered)");
            }
            byte[] key = aesCtr(Arrays.copyOfRange(dk, 0, 16), iv, ciphertext);
            String address = root.hasNonNull("address") ? root.get("address").asText().toLowerCase(Locale.ROOT) : null;
            if (address != null && address.startsWith("0x")) {
                address = address.substring(2);
            }
            String id = root.hasNonNull("id") ? root.get("id").asText() : null;
            String curve = root.hasNonNull(CURVE_FIELD) ? root.get(CURVE_FIELD).asText() : null;
            return new Decrypted(key, address, id, curve);
        } finally {
            Bytes.wipe(dk);
        }
    }

    /**
     * Refuses scrypt parameters beyond what this wallet reads (CPU and memory bounds against hostile files), with an
     * {@link KeystoreError.Kind#UNSUPPORTED} error naming the field and its limit. All products are computed as longs.
     */
    public static void checkScryptLimits(ScryptParams sp) {
        long n = sp.n();
        long r = sp.r();
        long p = sp.p();
        if (p > MAX_SCRYPT_P) {
            throw unsupportedScrypt("kdfparams.p = " + p + " exceeds the limit " + MAX_SCRYPT_P);
        }
        if (r > MAX_SCRYPT_R) {
            throw unsupportedScrypt("kdfparams.r = " + r + " exceeds the limit " + MAX_SCRYPT_R);
        }
        if (128L * n * r > MAX_SCRYPT_MEMORY) {
            throw unsupportedScrypt("kdfparams.n = " + n + " with r = " + r + " needs " + (128L * n * r)
                    + " bytes (128*n*r), more than the limit " + MAX_SCRYPT_MEMORY + " (1 GiB)");
        }
        if (n * r * p > MAX_SCRYPT_WORK) {
            throw unsupportedScrypt("kdfparams n*r*p = " + n + "*" + r + "*" + p + " = " + (n * r * p)
                    + " exceeds the work limit " + MAX_SCRYPT_WORK);
        }
        if (p * 128L * r > Integer.MAX_VALUE) {
            throw unsupportedScrypt("kdfparams p*128*r = " + (p * 128L * r) + " exceeds " + Integer.MAX_VALUE);
        }
    }

    private static KeystoreError unsupportedScrypt(String what) {
        return new KeystoreError(KeystoreError.Kind.UNSUPPORTED, "scrypt parameters not accepted: " + what);
    }

    // ----------------------------------------------------------------------------------------------------- writing

    /** Encrypts a private key to a v3 JSON document (scrypt, AES-128-CTR). */
    public static String encrypt(byte[] privateKey, String addressHex, char[] passphrase, ScryptParams params,
            SecureRandom random) {
        return encrypt(privateKey, addressHex, java.util.Map.of(), passphrase, params, random);
    }

    /**
     * Encrypts a secret to a v3 JSON document (scrypt, AES-128-CTR), with further top-level string fields (public
     * information only, e.g. {@value #CURVE_FIELD}).
     *
     * @param addressHex the address, or null to write none (keys that are not secp256k1 accounts)
     */
    public static String encrypt(byte[] privateKey, String addressHex, java.util.Map<String, String> extra,
            char[] passphrase, ScryptParams params, SecureRandom random) {
        if (privateKey.length < 16 || privateKey.length > 64) {
            throw new IllegalArgumentException("secret must be 16..64 bytes");
        }
        byte[] salt = new byte[32];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        byte[] pw = utf8(passphrase);
        byte[] dk = Scrypt.generate(pw, salt, params.n(), params.r(), params.p(), 32);
        Bytes.wipe(pw);
        try {
            byte[] ciphertext = aesCtr(Arrays.copyOfRange(dk, 0, 16), iv, privateKey);
            byte[] mac = Keccak.keccak256(Arrays.copyOfRange(dk, 16, 32), ciphertext);
            ObjectNode root = MAPPER.createObjectNode();
            if (addressHex != null) {
                String addr = addressHex.toLowerCase(Locale.ROOT);
                root.put("address", addr.startsWith("0x") ? addr.substring(2) : addr);
            }
            new java.util.TreeMap<>(extra).forEach(root::put);
            ObjectNode crypto = root.putObject("crypto");
            crypto.put("cipher", "aes-128-ctr");
            crypto.putObject("cipherparams").put("iv", Bytes.toHex(iv));
            crypto.put("ciphertext", Bytes.toHex(ciphertext));
            crypto.put("kdf", "scrypt");
            ObjectNode kp = crypto.putObject("kdfparams");
            kp.put("dklen", 32);
            kp.put("n", params.n());
            kp.put("p", params.p());
            kp.put("r", params.r());
            kp.put("salt", Bytes.toHex(salt));
            crypto.put("mac", Bytes.toHex(mac));
            root.put("id", uuid(random).toString());
            root.put("version", 3);
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } finally {
            Bytes.wipe(dk);
        }
    }

    /** geth's file name: {@code UTC--2026-01-02T03-04-05.678000000Z--<address>}. */
    public static String gethFileName(Instant now, String addressHex) {
        String a = addressHex.toLowerCase(Locale.ROOT);
        String ts = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC)
                .format(now);
        return "UTC--" + ts + "--" + (a.startsWith("0x") ? a.substring(2) : a);
    }

    /**
     * The two file-system steps of {@link #writeAtomically} that tests replace to simulate file systems without hard
     * links: publishing the temporary file under the target name without overwriting, and syncing the folder.
     */
    interface FileSteps {
        /** Creates {@code target} as a hard link to {@code tmp}; fails if {@code target} exists. */
        void link(Path target, Path tmp) throws IOException;

        /** Makes the folder's entries (created or renamed files) durable. */
        void syncDirectory(Path dir) throws IOException;
    }

    static final FileSteps SYSTEM_STEPS = new FileSteps() {
        @Override
        public void link(Path target, Path tmp) throws IOException {
            Files.createLink(target, tmp);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            KeystoreV3.syncDirectory(dir);
        }
    };

    /**
     * Writes {@code content} to {@code target} atomically: the folder is created owner-only (0700) if missing, the
     * file is 0600; an existing target is never overwritten. The content is written to an owner-only temporary file
     * in the same folder and fsync'd, published under the target name with a hard link (which fails if the target
     * exists, also in a race), and the folder is fsync'd so the new entry survives a crash. If the file system cannot
     * make hard links the write is refused (a {@link KeystoreError} of kind IO naming the file): there is no
     * fallback that could overwrite.
     */
    public static void writeAtomically(Path target, String content) {
        writeAtomically(target, content, SYSTEM_STEPS);
    }

    static void writeAtomically(Path target, String content, FileSteps steps) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            ensureDirectory(dir);
            if (Files.exists(target)) {
                throw new KeystoreError(KeystoreError.Kind.IO, "keystore file " + target.getFileName()
                        + " already exists; refusing to overwrite it");
            }
            Path tmp = createOwnerOnlyTemp(dir);
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                    out.write(content.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    ch.force(true);
                }
                try {
                    // createLink fails if the target exists: no overwrite even in a race.
                    steps.link(target, tmp);
                } catch (FileAlreadyExistsException e) {
                    throw e;
                } catch (UnsupportedOperationException | IOException linkFailed) {
                    // No rename fallback: a rename replaces a file created meanwhile by someone else.
                    throw new KeystoreError(KeystoreError.Kind.IO, "cannot create keystore file "
                            + target.getFileName() + " in " + dir + ": the folder's file system does not support hard "
                            + "links (" + linkFailed.getClass().getSimpleName() + "), and the wallet refuses to write "
                            + "key files in a way that could overwrite one; use a local POSIX file system", linkFailed);
                }
                Files.delete(tmp);
                steps.syncDirectory(dir);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new KeystoreError(KeystoreError.Kind.IO, "keystore file " + target.getFileName()
                    + " already exists; refusing to overwrite it", e);
        } catch (IOException e) {
            throw new KeystoreError(KeystoreError.Kind.IO, "cannot write keystore file " + target + ": " + e, e);
        }
    }

    /**
     * Replaces {@code target} atomically with an owner-only file (for the wallet's index, policies and spending books,
     * never for key files): temporary file, fsync, atomic rename, fsync of the folder.
     */
    public static void replaceAtomically(Path target, String content) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            ensureDirectory(dir);
            Path tmp = createOwnerOnlyTemp(dir);
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                    ch.force(true);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncDirectory(dir);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new KeystoreError(KeystoreError.Kind.IO, "cannot write " + target + ": " + e, e);
        }
    }

    private static Path createOwnerOnlyTemp(Path dir) throws IOException {
        try {
            return Files.createTempFile(dir, ".tmp-", ".json", PosixFilePermissions.asFileAttribute(FILE_PERMS));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, ".tmp-", ".json");
        }
    }

    /**
     * fsync of a folder, so that files created, linked or renamed in it survive a crash (Linux: open the directory
     * read-only and force it).
     */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Creates the folder owner-only if missing; tightens an existing folder to 0700 where POSIX permissions apply. */
    public static void ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_PERMS));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
            if (dir.getParent() != null) {
                syncDirectory(dir.getParent());
            }
        }
        try {
            Files.setPosixFilePermissions(dir, DIR_PERMS);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; nothing more to do
        }
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    static byte[] aesCtr(byte[] key, byte[] iv, byte[] in) {
        org.bouncycastle.crypto.modes.CTRModeCipher ctr = SICBlockCipher.newInstance(AESEngine.newInstance());
        ctr.init(true, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] out = new byte[in.length];
        ctr.processBytes(in, 0, in.length, out, 0);
        Bytes.wipe(key);
        return out;
    }

    private static byte[] utf8(char[] passphrase) {
        if (passphrase == null) {
            throw new IllegalArgumentException("passphrase is missing");
        }
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        if (bb.hasArray()) {
            Arrays.fill(bb.array(), (byte) 0);
        }
        return out;
    }

    private static UUID uuid(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new UUID(bb.getLong(), bb.getLong());
    }

    private static KeystoreError corrupted(String what) {
        return new KeystoreError(KeystoreError.Kind.CORRUPTED, "keystore " + what);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw corrupted("field \"" + field + "\" is missing or not a string");
        }
        return v.asText();
    }

    private static int integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw corrupted("field \"kdfparams." + field + "\" is missing or not an integer");
        }
        return v.asInt();
    }

    private static byte[] hex(JsonNode n, String field, String what) {
        String s = text(n, field);
        try {
            return Bytes.fromHex(s, what);
        } catch (IllegalArgumentException e) {
            throw corrupted(e.getMessage());
        }
    }

}
