package io.iotpay.pki.internal.shell;

import io.iotpay.api.chain.TxHash;
import io.iotpay.pki.internal.x509.DeviceProfile;

import java.security.cert.X509Certificate;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code iotpay:cert-revoke}: revokes a device's current certificate on chain (final) and waits for the receipt. */
@Service
@Command(scope = "iotpay", name = "cert-revoke", description = "Revokes a device's current certificate on chain")
public class CertRevokeCommand extends PkiCommand {
    @Argument(index = 0, name = "device", description = "device id", required = true)
    String deviceId;

    @Override
    void run() {
        String d = device("device", deviceId);
        X509Certificate c = pki.chain(d).orElseThrow(() -> new IllegalArgumentException(
                "argument device: no certificate was issued here for device " + d + " (see iotpay:cert-list)")).get(0);
        TxHash tx = pki.revoke(d);
        keyValues("Device", d, "Serial", c.getSerialNumber().toString(16), "SHA-256", sha256Hex(c),
                "Transaction", tx.hash(), "On chain", CertShowCommand.onChain(pki.registry(), DeviceProfile.hash(c)));
    }
}
