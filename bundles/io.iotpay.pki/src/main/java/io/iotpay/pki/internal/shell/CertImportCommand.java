package io.iotpay.pki.internal.shell;

import io.iotpay.pki.internal.x509.OwnerCa;
import io.iotpay.pki.internal.x509.Pem;
import io.iotpay.pki.internal.x509.Pkcs12;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code iotpay:cert-import}: trusts another owner's CA certificate (PEM, or PKCS#12 protected with the PKI
 * passphrase), writing it to {@code <folder>/trusted/<name>.pem}; used in the trust modes LISTED_CAS and ANY_ANCHORED.
 * The file's self-signed CA certificate is taken (a device certificate before it is ignored).
 */
@Service
@Command(scope = "iotpay", name = "cert-import", description = "Trusts another owner's CA certificate (PEM or"
        + " PKCS#12)")
public class CertImportCommand extends PkiCommand {
    @Argument(index = 0, name = "name", description = "name of the trusted CA ([A-Za-z0-9._-]{1,64})",
            required = true)
    String name;

    @Argument(index = 1, name = "file", description = "PEM or PKCS#12 file holding the CA certificate",
            required = true)
    String file;

    @Option(name = "--format", description = "pem or p12 (default: from the file name, else pem)")
    String format;

    @Override
    void run() throws Exception {
        Path source = Path.of(file);
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException("argument file: no such file " + source.toAbsolutePath());
        }
        String f = format != null ? format.toLowerCase(Locale.ROOT)
                : file.toLowerCase(Locale.ROOT).endsWith(".p12") || file.toLowerCase(Locale.ROOT).endsWith(".pfx")
                        ? "p12" : "pem";
        List<X509Certificate> certs;
        try {
            certs = switch (f) {
                case "pem" -> Pem.decodeCertificates(Files.readString(source, StandardCharsets.UTF_8));
                case "p12" -> Pkcs12.readCertificates(source, pki.settings().passphrase());
                default -> throw new IllegalArgumentException("option --format: \"" + format
                        + "\" is not one of pem, p12");
            };
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("argument file: cannot read " + f.toUpperCase(Locale.ROOT)
                    + " certificates from " + source + " (" + e.getMessage() + ")");
        }
        X509Certificate ca = certs.stream().filter(c -> c.getBasicConstraints() >= 0
                && c.getSubjectX500Principal().equals(c.getIssuerX500Principal())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("argument file: " + source
                        + " holds no self-signed CA certificate (" + certs.size() + " certificate(s))"));
        Path written = pki.trust(name, ca);
        String owner;
        try {
            owner = OwnerCa.ownerOf(ca).toString();
        } catch (RuntimeException e) {
            owner = "(no CAIP-10 owner: not an IOTPAY owner CA)";
        }
        keyValues("Trusted CA", name, "Subject", ca.getSubjectX500Principal().getName(), "Owner", owner,
                "SHA-256 fingerprint", fingerprint(ca), "File", written.toString(), "Trust mode",
                pki.trustPolicy().mode().name() + (pki.trustPolicy().mode().name().equals("OWN_CA_ONLY")
                        ? " (imported CAs are used only in LISTED_CAS and ANY_ANCHORED)" : ""));
    }
}
