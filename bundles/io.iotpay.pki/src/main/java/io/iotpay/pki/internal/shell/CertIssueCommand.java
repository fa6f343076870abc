package io.iotpay.pki.internal.shell;

import io.iotpay.api.identity.DeviceCertificate;
import io.iotpay.api.wallet.AccountInfo;

import java.time.Duration;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code iotpay:cert-issue}: issues a device certificate (new P-256 TLS key, linked to the payment account by a
 * signature of the wallet) and anchors its hash in the on-chain registry. Creates the CA if there is none.
 */
@Service
@Command(scope = "iotpay", name = "cert-issue", description = "Issues a device certificate and anchors it on chain")
public class CertIssueCommand extends PkiCommand {
    @Argument(index = 0, name = "device", description = "device id ([A-Za-z0-9._:-]{1,128})", required = true)
    String deviceId;

    @Argument(index = 1, name = "account", description = "payment account of the device: wallet alias, address or"
            + " CAIP-10 (must be in the wallet: it signs the key link)", required = true)
    String account;

    @Option(name = "--validity", description = "validity, e.g. 365d, 12h, 2y or P30D")
    String validity = "365d";

    @Override
    void run() {
        String d = device("device", deviceId);
        AccountInfo a = walletAccount("account", account);
        Duration v = duration("--validity", validity);
        DeviceCertificate c = pki.issue(d, a.account(), v);
        CertShowCommand.summary(this, c, pki.chain(d).orElseThrow().get(0));
    }
}
