package io.iotpay.pki.internal.shell;

import io.iotpay.api.chain.CertificateStatus;
import io.iotpay.api.chain.DeviceRegistryClient;
import io.iotpay.api.identity.DeviceCertificate;
import io.iotpay.pki.internal.x509.DeviceProfile;
import io.iotpay.pki.internal.x509.Pem;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code iotpay:cert-show}: human summary of a device's current certificate, its on-chain record, and its PEM. */
@Service
@Command(scope = "iotpay", name = "cert-show", description = "Shows a device certificate (summary and PEM)")
public class CertShowCommand extends PkiCommand {
    @Argument(index = 0, name = "device", description = "device id", required = true)
    String deviceId;

    @Option(name = "--no-pem", description = "print the summary only")
    boolean noPem;

    @Override
    void run() {
        String d = device("device", deviceId);
        List<X509Certificate> chain = pki.chain(d).orElseThrow(() -> new IllegalArgumentException(
                "argument device: no certificate was issued here for device " + d + " (see iotpay:cert-list)"));
        summary(this, DeviceProfile.toApi(chain.get(0)), chain.get(0));
        if (!noPem) {
            out.print(Pem.encode(chain));
        }
    }

    static void summary(PkiCommand c, DeviceCertificate dc, X509Certificate x) {
        c.keyValues("Device", dc.deviceId(),
                "Subject", dc.subject(),
                "Issuer", dc.issuer(),
                "Serial", x.getSerialNumber().toString(16),
                "Payment account", dc.paymentAccount().toString(),
                "Owner", dc.owner().toString(),
                "Not before", time(dc.notBefore()),
                "Not after", time(dc.notAfter()),
                "TLS key", x.getPublicKey().getAlgorithm() + " P-256",
                "SHA-256 (registry key)", "0x" + HexFormat.of().formatHex(dc.sha256()),
                "On chain", onChain(c.pki.registry(), dc.sha256()));
    }

    static String onChain(DeviceRegistryClient registry, byte[] hash) {
        if (registry == null) {
            return "no registry";
        }
        try {
            CertificateStatus s = registry.certificateStatus(hash);
            return switch (s.state()) {
                case NOT_ANCHORED -> "not anchored";
                case VALID -> "anchored " + time(s.anchoredAt().orElseThrow());
                case REVOKED -> "REVOKED " + time(s.revokedAt().orElseThrow()) + " (anchored "
                        + time(s.anchoredAt().orElseThrow()) + ")";
            };
        } catch (UnsupportedOperationException e) {
            return registry.isValid(hash) ? "anchored, not revoked" : "not valid (revoked or not anchored)";
        } catch (RuntimeException e) {
            return "unknown (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }
}
