package io.iotpay.pki.internal.shell;

import io.iotpay.api.identity.VerificationResult;
import io.iotpay.pki.internal.x509.DeviceProfile;
import io.iotpay.pki.internal.x509.Pem;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code iotpay:cert-verify}: verifies a device's current certificate, or a PEM chain file (a peer's), with this node's
 * trust policy and the on-chain status; prints the status, the reason and the age of the registry data used.
 */
@Service
@Command(scope = "iotpay", name = "cert-verify", description = "Verifies a device certificate (signature chain, dates,"
        + " payment-key link, owner, on-chain status)")
public class CertVerifyCommand extends PkiCommand {
    @Argument(index = 0, name = "device-or-file", description = "device id issued here, or a PEM file (device"
            + " certificate first, optionally followed by its CA)", required = true)
    String target;

    @Override
    void run() throws Exception {
        List<X509Certificate> chain;
        Path file = Path.of(target);
        if (target.contains("/") || target.endsWith(".pem") || target.endsWith(".crt")) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("argument device-or-file: no such file " + file);
            }
            try {
                chain = Pem.decodeCertificates(Files.readString(file, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("argument device-or-file: " + file
                        + " does not hold PEM certificates (" + e.getMessage() + ")");
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("argument device-or-file: no certificate in " + file);
            }
        } else {
            String d = device("device-or-file", target);
            chain = pki.chain(d).orElseThrow(() -> new IllegalArgumentException("argument device-or-file: no"
                    + " certificate was issued here for device " + d + " (pass a PEM file to verify a peer's)"));
        }
        VerificationResult r = pki.verify(chain);
        keyValues("Status", r.status().name(),
                "Detail", r.detail(),
                "Checked at", time(r.checkedAt()),
                "Cache age", age(r.cacheAge()) + " (freshness " + pki.cacheFreshness().toSeconds() + " s)",
                "SHA-256", sha256Hex(chain.get(0)),
                "On chain", CertShowCommand.onChain(pki.registry(), DeviceProfile.hash(chain.get(0))));
    }
}
