package io.iotpay.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wallet as an integrator meets it in the running distribution: {@code iotpay:wallet-*} commands over the SSH
 * console. Interoperability is checked with the EIP-712 "Mail" example: the EIP's "cow" key, imported through the
 * shell, must produce the EIP's published signature once the owner approved that exact digest (foreign typed data is
 * never signed without the owner).
 */
class WalletShellIT {

    /** keccak256("cow"), the private key of the EIP-712 example. */
    private static final String COW_KEY = "c85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4";
    private static final String COW_ADDRESS = "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826";
    private static final String MAIL_SIGNATURE = "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
            + "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c";
    /** The EIP-712 digest of the Mail example (from the EIP's reference implementation). */
    private static final String MAIL_DIGEST = "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2";
    private static final String MAIL = "{\n"
            + "  \"types\": {\n"
            + "    \"EIP712Domain\": [{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"type\":\"string\"},"
            + "{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":\"verifyingContract\",\"type\":\"address\"}],\n"
            + "    \"Person\": [{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"wallet\",\"type\":\"address\"}],\n"
            + "    \"Mail\": [{\"name\":\"from\",\"type\":\"Person\"},{\"name\":\"to\",\"type\":\"Person\"},"
            + "{\"name\":\"contents\",\"type\":\"string\"}]\n"
            + "  },\n"
            + "  \"primaryType\": \"Mail\",\n"
            + "  \"domain\": {\"name\":\"Ether Mail\",\"version\":\"1\",\"chainId\":1,"
            + "\"verifyingContract\":\"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC\"},\n"
            + "  \"message\": {\"from\":{\"name\":\"Cow\",\"wallet\":\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826\"},"
            + "\"to\":{\"name\":\"Bob\",\"wallet\":\"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB\"},"
            + "\"contents\":\"Hello, Bob!\"}\n"
            + "}\n";

    private static IotpayRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = IotpayRuntime.start("wallet", Map.of());
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void importedKeySignsTheEip712MailExampleAsTheEipSays() throws Exception {
        Path keyFile = runtime.home().resolve("cow.key");
        Files.writeString(keyFile, COW_KEY + "\n");
        Path mail = runtime.home().resolve("mail.json");
        Files.writeString(mail, MAIL);

        String imported = runtime.execute("iotpay:wallet-import --key-file " + keyFile.toAbsolutePath()
                + " --chain eip155:1 cow");
        assertFalse(imported.toLowerCase(Locale.ROOT).contains(COW_KEY), "the key is never printed");

        String list = runtime.execute("iotpay:wallet-list");
        assertTrue(list.contains("cow") && list.toLowerCase(Locale.ROOT).contains(COW_ADDRESS.toLowerCase(Locale.ROOT)),
                list);
        assertFalse(list.toLowerCase(Locale.ROOT).contains(COW_KEY), "no secret in the account table");
        assertTrue(runtime.execute("iotpay:wallet-address cow").contains(COW_ADDRESS), "EIP-55 address");

        // Mail is foreign typed data: the wallet signs it only after the owner approved this exact digest
        String sign = "iotpay:wallet-sign-typed-data cow " + mail.toAbsolutePath();
        String asked = runtime.execute(sign);
        assertTrue(asked.contains("APPROVAL REQUIRED") && asked.contains(MAIL_DIGEST) && asked.contains("Ether Mail")
                && asked.contains("Mail"), asked);
        assertFalse(asked.toLowerCase(Locale.ROOT).contains(MAIL_SIGNATURE), "nothing signed yet: " + asked);
        String approve = asked.lines().map(String::trim).filter(l -> l.startsWith("To approve:"))
                .map(l -> l.substring("To approve:".length()).trim()).findFirst()
                .orElseThrow(() -> new AssertionError("no approval command in " + asked));
        assertTrue(approve.startsWith("iotpay:wallet-approvals --approve "), approve);
        runtime.execute(approve);

        String signed = runtime.execute(sign);
        assertTrue(signed.toLowerCase(Locale.ROOT).contains(MAIL_SIGNATURE), signed);

        // the approval was for one signature: signing again needs a new approval
        String again = runtime.execute(sign);
        assertTrue(again.contains("APPROVAL REQUIRED"), again);
        assertFalse(again.toLowerCase(Locale.ROOT).contains(MAIL_SIGNATURE), "signed twice on one approval: " + again);
    }

    @Test
    void householdAccountsAreKeptInOwnerOnlyKeystoreFiles() throws Exception {
        IllegalStateException noSeed = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> runtime.execute("iotpay:wallet-create --chain eip155:31337 plug-0"));
        assertTrue(noSeed.getMessage().contains("--show-mnemonic"), noSeed.getMessage());
        String created = runtime.execute("iotpay:wallet-create --show-mnemonic --chain eip155:31337 plug-1");
        assertTrue(created.contains("0x"), created);
        String second = runtime.execute("iotpay:wallet-create --chain eip155:31337 --index 2 plug-2");
        assertTrue(second.contains("0x"), second);
        // the mnemonic was shown once, on request; it is not shown again
        String firstWord = created.lines().filter(l -> l.trim().split("\\s+").length >= 12).findFirst()
                .map(l -> l.trim().split("\\s+")[0]).orElseThrow(() -> new AssertionError("no mnemonic in " + created));
        assertFalse(second.contains(firstWord + " "), second);
        Path keystore = runtime.home().resolve("data/iotpay/keystore");
        assertTrue(Files.isDirectory(keystore), "keystore folder " + keystore);
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(keystore));
        List<Path> files;
        try (Stream<Path> s = Files.list(keystore)) {
            files = s.filter(p -> p.toString().endsWith(".json")).collect(Collectors.toList());
        }
        assertFalse(files.isEmpty(), "keystore files");
        for (Path f : files) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
            assertEquals(PosixFilePermissions.fromString("rw-------"), perms, f.toString());
            assertFalse(Files.readString(f).contains("\"privateKey\""), "encrypted at rest: " + f);
        }
        assertTrue(runtime.execute("iotpay:wallet-list").contains("plug-1"));
    }

    @Test
    void badInputIsRefusedWithAClearError() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> runtime.execute("iotpay:wallet-address no-such-account"));
        assertTrue(e.getMessage().contains("no-such-account"), e.getMessage());
    }
}
