package io.iotpay.pki.internal.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.pki.internal.testing.TestWallet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Exported files are accepted by OpenSSL (skipped when /usr/bin/openssl is absent). */
class OpensslInteropTest {

    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    @TempDir
    Path dir;

    private final AccountId owner = Fixtures.account(Fixtures.KEY1);
    /** The CA under test: its key is a certificate-authority key in a real wallet, which signs every certificate. */
    private OwnerCa ca;

    @BeforeEach
    void walletCa() {
        // dates around "now": openssl verify checks them against the system clock
        ca = Fixtures.walletCa(TestWallet.start(dir.resolve("wallet"), "wallet pass"), "owner-ca", "Openssl CA",
                owner, java.time.Instant.now().minusSeconds(3600), java.time.Duration.ofDays(30));
    }

    @BeforeAll
    static void needsOpenssl() {
        assumeTrue(Files.isExecutable(OPENSSL), "openssl not installed");
    }

    private record Run(int exit, String output) {
    }

    private Run openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(OPENSSL.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl finished");
        return new Run(p.exitValue(), out);
    }

    private Fixtures.Device device(OwnerCa issuer, String id) {
        java.time.Instant now = java.time.Instant.now();
        return Fixtures.device(issuer, id, Fixtures.KEY0, now.minusSeconds(60), now.plus(java.time.Duration.ofDays(1)));
    }

    @Test
    void x509TextShowsTheProfile() throws Exception {
        Fixtures.Device d = device(ca, "plug-ossl");
        Files.writeString(dir.resolve("dev.pem"), Pem.encode(d.cert()));
        Run r = openssl("x509", "-in", "dev.pem", "-text", "-noout");
        assertEquals(0, r.exit(), r.output());
        String t = r.output();
        assertTrue(t.contains("Subject: CN = plug-ossl"), t);
        assertTrue(t.contains("Issuer: O = IOTPAY, CN = Openssl CA"), t);
        assertTrue(t.contains("URI:eip155:31337:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"), t);
        assertTrue(t.contains("CA:FALSE"), t);
        assertTrue(t.contains("Digital Signature"), t);
        assertTrue(t.contains("TLS Web Server Authentication, TLS Web Client Authentication"), t);
        assertTrue(t.contains("ecdsa-with-SHA256"), t);
        assertTrue(t.contains("prime256v1"), t);
        assertTrue(t.contains(DeviceProfile.DEVICE_LINK_OID.getId()), t);
        assertTrue(t.contains("X509v3 Subject Key Identifier"), t);
        assertTrue(t.contains("X509v3 Authority Key Identifier"), t);
    }

    @Test
    void walletSignedRootIsAValidSelfSignedCa() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), Pem.encode(ca.certificate()));
        Run self = openssl("verify", "-CAfile", "ca.pem", "-purpose", "any", "ca.pem");
        assertEquals(0, self.exit(), self.output());
        assertTrue(self.output().contains("ca.pem: OK"), self.output());
        Run text = openssl("x509", "-in", "ca.pem", "-text", "-noout");
        assertTrue(text.output().contains("ecdsa-with-SHA256"), text.output());
        assertTrue(text.output().contains("CA:TRUE, pathlen:0"), text.output());
        assertTrue(text.output().contains("prime256v1"), text.output());
    }

    @Test
    void verifyAcceptsOwnCaAndRefusesForeignCa() throws Exception {
        Fixtures.Device d = device(ca, "plug-ossl");
        Files.writeString(dir.resolve("ca.pem"), Pem.encode(ca.certificate()));
        Files.writeString(dir.resolve("dev.pem"), Pem.encode(d.cert()));
        Run ok = openssl("verify", "-CAfile", "ca.pem", "dev.pem");
        assertEquals(0, ok.exit(), ok.output());
        assertTrue(ok.output().contains("dev.pem: OK"), ok.output());
        Run purpose = openssl("verify", "-purpose", "sslclient", "-CAfile", "ca.pem", "dev.pem");
        assertEquals(0, purpose.exit(), purpose.output());

        OwnerCa foreign = OwnerCa.create("Foreign CA", owner, java.time.Instant.now().minusSeconds(3600),
                java.time.Duration.ofDays(30), Fixtures.inMemoryKey());
        Files.writeString(dir.resolve("foreign.pem"), Pem.encode(foreign.certificate()));
        Run bad = openssl("verify", "-CAfile", "foreign.pem", "dev.pem");
        assertNotEquals(0, bad.exit(), bad.output());

        // same name, different key: also refused
        OwnerCa impostor = OwnerCa.create("Openssl CA", owner, java.time.Instant.now().minusSeconds(3600),
                java.time.Duration.ofDays(30), Fixtures.inMemoryKey());
        Files.writeString(dir.resolve("impostor.pem"), Pem.encode(impostor.certificate()));
        Run bad2 = openssl("verify", "-CAfile", "impostor.pem", "dev.pem");
        assertNotEquals(0, bad2.exit(), bad2.output());
    }

    @Test
    void pkcs12AndEncryptedKeyAreReadable() throws Exception {
        Fixtures.Device d = device(ca, "plug-ossl");
        Pkcs12.write(dir.resolve("dev.p12"), "plug-ossl", d.tls().getPrivate(), d.chain(), "p12 pass".toCharArray());
        Run p12 = openssl("pkcs12", "-in", "dev.p12", "-passin", "pass:p12 pass", "-nokeys", "-clcerts");
        assertEquals(0, p12.exit(), p12.output());
        assertTrue(p12.output().contains("subject=CN = plug-ossl"), p12.output());
        Run wrong = openssl("pkcs12", "-in", "dev.p12", "-passin", "pass:wrong", "-nokeys");
        assertNotEquals(0, wrong.exit(), wrong.output());

        Files.writeString(dir.resolve("key.pem"), Pem.encodeEncryptedKey(d.tls().getPrivate(), "k".toCharArray()));
        Run key = openssl("pkey", "-in", "key.pem", "-passin", "pass:k", "-pubout");
        assertEquals(0, key.exit(), key.output());
        Files.writeString(dir.resolve("dev.pem"), Pem.encode(d.cert()));
        Run certPub = openssl("x509", "-in", "dev.pem", "-noout", "-pubkey");
        assertEquals(certPub.output(), key.output(), "key matches the certificate");
    }
}
