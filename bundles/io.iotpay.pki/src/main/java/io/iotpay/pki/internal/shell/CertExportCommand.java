package io.iotpay.pki.internal.shell;

import io.iotpay.pki.internal.x509.Pem;
import io.iotpay.pki.internal.x509.Pkcs12;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code iotpay:cert-export}: writes a device's certificate chain (or the CA certificate) as PEM or PKCS#12 so that
 * standard tools can use it ({@code openssl x509 -text}, {@code openssl verify -CAfile ca.pem}). PKCS#12 files are
 * protected with the PKI passphrase ({@code IOTPAY_PKI_PASSPHRASE}); the device's private key is included only with
 * {@code --with-key} (PKCS#12 only). Nothing secret is printed.
 */
@Service
@Command(scope = "iotpay", name = "cert-export", description = "Exports a device certificate chain or the CA"
        + " certificate as PEM or PKCS#12")
public class CertExportCommand extends PkiCommand {
    @Argument(index = 0, name = "device", description = "device id, or 'ca' for the owner CA certificate",
            required = true)
    String deviceId;

    @Argument(index = 1, name = "file", description = "file to write (must not exist)", required = true)
    String file;

    @Option(name = "--format", description = "pem or p12 (default: from the file name, else pem)")
    String format;

    @Option(name = "--with-key", description = "PKCS#12 only: include the device's TLS private key (encrypted with"
            + " the PKI passphrase)")
    boolean withKey;

    @Override
    void run() throws Exception {
        String f = format != null ? format.toLowerCase(Locale.ROOT)
                : file.toLowerCase(Locale.ROOT).endsWith(".p12") || file.toLowerCase(Locale.ROOT).endsWith(".pfx")
                        ? "p12" : "pem";
        if (!f.equals("pem") && !f.equals("p12")) {
            throw new IllegalArgumentException("option --format: \"" + format + "\" is not one of pem, p12");
        }
        if (withKey && !f.equals("p12")) {
            throw new IllegalArgumentException("option --with-key: private keys are exported in PKCS#12 only"
                    + " (use --format p12)");
        }
        Path target = Path.of(file).toAbsolutePath();
        if (Files.exists(target)) {
            throw new IllegalArgumentException("argument file: " + target + " exists already (not overwritten)");
        }
        if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
            throw new IllegalArgumentException("argument file: folder " + target.getParent() + " does not exist");
        }
        List<X509Certificate> chain;
        String what;
        if (deviceId.equals("ca")) {
            if (withKey) {
                throw new IllegalArgumentException("option --with-key: the CA key is never exported");
            }
            chain = List.of(pki.caCertificate().orElseThrow(
                    () -> new IllegalStateException("there is no owner CA yet: create one with iotpay:ca-create")));
            what = "owner CA certificate";
        } else {
            String d = device("device", deviceId);
            chain = pki.chain(d).orElseThrow(() -> new IllegalArgumentException(
                    "argument device: no certificate was issued here for device " + d + " (see iotpay:cert-list)"));
            what = withKey ? "device key + certificate + CA" : "device certificate + CA";
        }
        if (f.equals("pem")) {
            Files.writeString(target, Pem.encode(chain));
        } else if (withKey) {
            Path key = pki.keyFile(deviceId).orElseThrow(() -> new IllegalStateException(
                    "the key file of device " + deviceId + " is missing"));
            Files.copy(key, target, StandardCopyOption.COPY_ATTRIBUTES);
        } else {
            char[] pass = passphrase();
            Pkcs12.writeCertificates(target, chain, pass);
            java.util.Arrays.fill(pass, '\0');
        }
        keyValues("File", target.toString(), "Format", f.equals("pem") ? "PEM" : "PKCS#12 (PKI passphrase)",
                "Contents", what, "Certificates", Integer.toString(chain.size()), "SHA-256 (first)",
                sha256Hex(chain.get(0)));
    }

    private char[] passphrase() {
        char[] p = pki.settings().passphrase();
        if (p == null || p.length == 0) {
            throw new IllegalStateException("PKCS#12 needs the PKI passphrase: set the environment variable"
                    + " IOTPAY_PKI_PASSPHRASE");
        }
        return p.clone();
    }
}
