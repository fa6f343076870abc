package io.iotpay.pki.internal.shell;

import io.iotpay.api.identity.DeviceCertificate;

import java.util.HexFormat;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code iotpay:cert-list}: the device certificates issued on this node (all of them, oldest first per device). */
@Service
@Command(scope = "iotpay", name = "cert-list", description = "Lists the device certificates issued here")
public class CertListCommand extends PkiCommand {
    @Override
    void run() {
        ShellTable t = new ShellTable();
        t.column("Device");
        t.column("Payment account");
        t.column("Owner");
        t.column("Not before");
        t.column("Not after");
        t.column("SHA-256");
        for (DeviceCertificate c : pki.certificates()) {
            t.addRow().addContent(c.deviceId(), c.paymentAccount().toString(), c.owner().address(),
                    time(c.notBefore()), time(c.notAfter()), "0x" + HexFormat.of().formatHex(c.sha256()));
        }
        t.print(out);
    }
}
