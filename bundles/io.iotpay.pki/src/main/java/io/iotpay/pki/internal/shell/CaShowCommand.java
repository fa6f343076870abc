package io.iotpay.pki.internal.shell;

import io.iotpay.pki.internal.x509.OwnerCa;
import io.iotpay.pki.internal.x509.Pem;

import java.security.cert.X509Certificate;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code iotpay:ca-show}: the owner CA certificate (public) and the trust settings. */
@Service
@Command(scope = "iotpay", name = "ca-show", description = "Shows the owner CA certificate and the trust policy")
public class CaShowCommand extends PkiCommand {
    @Option(name = "--pem", description = "also print the CA certificate in PEM")
    boolean pem;

    @Override
    void run() {
        X509Certificate ca = pki.caCertificate().orElseThrow(() -> new IllegalStateException(
                "there is no owner CA yet in " + pki.settings().folder() + ": create one with iotpay:ca-create"));
        print(this, ca, pem);
    }

    static void print(PkiCommand c, X509Certificate ca, boolean pem) {
        c.keyValues("Subject", ca.getSubjectX500Principal().getName(),
                "Owner", OwnerCa.ownerOf(ca).toString(),
                "Serial", ca.getSerialNumber().toString(16),
                "Not before", time(ca.getNotBefore().toInstant()),
                "Not after", time(ca.getNotAfter().toInstant()),
                "Key", ca.getPublicKey().getAlgorithm() + " P-256, " + c.pki.caKeyLocation().orElse("-"),
                "SHA-256 fingerprint", fingerprint(ca),
                "Folder", c.pki.settings().folder().toString(),
                "Trust mode", c.pki.trustPolicy().mode().name(),
                "Trusted CAs", Integer.toString(c.pki.trustPolicy().anchors().size()),
                "Cache freshness", c.pki.cacheFreshness().toSeconds() + " s");
        if (pem) {
            c.out.print(Pem.encode(ca));
        }
    }
}
