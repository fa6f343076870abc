package io.iotpay.pki.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.pki.internal.PkiService;
import io.iotpay.pki.internal.testing.FakeRegistry;
import io.iotpay.pki.internal.testing.TestWallet;
import io.iotpay.pki.internal.x509.Fixtures;
import io.iotpay.pki.internal.x509.PaymentKeyLink;
import io.iotpay.pki.internal.x509.Pem;
import io.iotpay.pki.internal.x509.TrustPolicy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands against a PKI on a fake registry (the runtime path is covered by PkiShellIT). */
class PkiCommandsTest {

    @TempDir
    Path dir;

    private final FakeRegistry registry = new FakeRegistry();
    private final AccountId owner = Fixtures.account(Fixtures.KEY1);
    private final AccountId payment = Fixtures.account(Fixtures.KEY0);
    private final Map<AccountId, byte[]> keys = Map.of(owner, Fixtures.KEY1, payment, Fixtures.KEY0);
    private final List<AccountInfo> accounts = List.of(
            new AccountInfo("household", owner, null, false, AccountInfo.KeyOrigin.RAW_KEY),
            new AccountInfo("plug", payment, null, false, AccountInfo.KeyOrigin.RAW_KEY));

    private final Path pkiFolder = dir();
    private final PkiService pki = new PkiService(new PkiService.Settings(pkiFolder, "pass".toCharArray(), "Shell CA",
            Optional.empty(), TrustPolicy.Mode.OWN_CA_ONLY, Set.of(), Duration.ofSeconds(30), Duration.ofDays(10),
            "owner-ca"), registry, TestWallet.start(pkiFolder.resolve("wallet"), "wallet pass"),
            (a, m) -> PaymentKeyLink.signPersonalMessage(keys.get(a), m), tx -> { }, Optional::empty,
            Clock.systemUTC());

    private Path dir() {
        try {
            return Files.createTempDirectory("pki-shell");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Wallet wallet() {
        return (Wallet) Proxy.newProxyInstance(Wallet.class.getClassLoader(), new Class<?>[] {Wallet.class},
                (p, m, args) -> switch (m.getName()) {
                    case "accounts" -> accounts;
                    case "account" -> accounts.stream().filter(a -> a.alias().equals(args[0])
                            || a.account().address().equalsIgnoreCase((String) args[0])).findFirst();
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private String run(PkiCommand c) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        c.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        c.pki = pki;
        c.wallet = wallet();
        c.waiter = tx -> { };
        c.execute();
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void createIssueShowVerifyExportRevoke() throws Exception {
        CaCreateCommand create = new CaCreateCommand();
        create.owner = "household";
        String ca = run(create);
        assertTrue(ca.contains("CN=Shell CA") && ca.contains(owner.toString()), ca);
        assertTrue(ca.contains("wallet certificate-authority key \"owner-ca\""), ca);
        assertThrows(IllegalStateException.class, () -> run(new CaCreateCommand()));

        CertIssueCommand issue = new CertIssueCommand();
        issue.deviceId = "plug-1";
        issue.account = "plug";
        issue.validity = "30d";
        String issued = run(issue);
        assertTrue(issued.contains(payment.toString()), issued);
        assertTrue(issued.contains("anchored, not revoked"), "fake registry: no certificateStatus\n" + issued);

        String list = run(new CertListCommand());
        assertTrue(list.contains("plug-1") && list.contains(payment.toString()), list);

        CertShowCommand show = new CertShowCommand();
        show.deviceId = "plug-1";
        String shown = run(show);
        assertTrue(shown.contains("-----BEGIN CERTIFICATE-----"));
        assertFalse(shown.contains("PRIVATE"));

        CertVerifyCommand verify = new CertVerifyCommand();
        verify.target = "plug-1";
        String ok = run(verify);
        assertTrue(ok.contains("VALID") && ok.contains("(freshness 30 s)"), ok);

        CertExportCommand export = new CertExportCommand();
        export.deviceId = "plug-1";
        export.file = dir.resolve("plug-1.pem").toString();
        run(export);
        assertEquals(2, Pem.decodeCertificates(Files.readString(dir.resolve("plug-1.pem"))).size());
        CertExportCommand again = new CertExportCommand();
        again.deviceId = "plug-1";
        again.file = dir.resolve("plug-1.pem").toString();
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class, () -> run(again));
        assertTrue(exists.getMessage().contains("exists already"), exists.getMessage());
        CertExportCommand keyInPem = new CertExportCommand();
        keyInPem.deviceId = "plug-1";
        keyInPem.file = dir.resolve("k.pem").toString();
        keyInPem.withKey = true;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> run(keyInPem)).getMessage()
                .contains("--with-key"));

        CertRevokeCommand revoke = new CertRevokeCommand();
        revoke.deviceId = "plug-1";
        run(revoke);
        CertVerifyCommand file = new CertVerifyCommand();
        file.target = dir.resolve("plug-1.pem").toString();
        assertTrue(run(file).contains("REVOKED"));
    }

    @Test
    void badInputNamesTheArgument() {
        CertIssueCommand issue = new CertIssueCommand();
        issue.deviceId = "bad id!";
        issue.account = "plug";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(issue));
        assertTrue(e.getMessage().startsWith("argument device:") && e.getMessage().contains("expected"),
                e.getMessage());
        issue.deviceId = "plug-2";
        issue.account = "nobody";
        e = assertThrows(IllegalArgumentException.class, () -> run(issue));
        assertTrue(e.getMessage().startsWith("argument account:"), e.getMessage());
        assertEquals(Duration.ofDays(365), PkiCommand.duration("--validity", "365d"));
        assertEquals(Duration.ofHours(12), PkiCommand.duration("--validity", "PT12H"));
        assertEquals(Duration.ofDays(730), PkiCommand.duration("--validity", "2y"));
        e = assertThrows(IllegalArgumentException.class, () -> PkiCommand.duration("--validity", "soon"));
        assertTrue(e.getMessage().startsWith("option --validity") || e.getMessage().startsWith("argument --validity"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PkiCommand.duration("--validity", "0d"));
        CertImportCommand imp = new CertImportCommand();
        imp.name = "other";
        imp.file = dir.resolve("missing.pem").toString();
        e = assertThrows(IllegalArgumentException.class, () -> run(imp));
        assertTrue(e.getMessage().startsWith("argument file:"), e.getMessage());
    }

    @Test
    void importTrustsAnotherOwnersCaOnly() throws Exception {
        io.iotpay.pki.internal.x509.OwnerCa other = Fixtures.ca("Neighbour CA", Fixtures.account(Fixtures.KEY2));
        Path pem = dir.resolve("neighbour.pem");
        Files.writeString(pem, Pem.encode(other.certificate()));
        CertImportCommand imp = new CertImportCommand();
        imp.name = "neighbour";
        imp.file = pem.toString();
        String out = run(imp);
        assertTrue(out.contains("CN=Neighbour CA"), out);
        assertTrue(Files.isRegularFile(pki.settings().folder().resolve("trusted/neighbour.pem")));
    }
}
