package io.iotpay.pki.internal.shell;

import io.iotpay.api.chain.AccountId;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code iotpay:ca-create}: creates the owner CA (P-256, self-signed); never replaces an existing one. */
@Service
@Command(scope = "iotpay", name = "ca-create", description = "Creates the owner certificate authority")
public class CaCreateCommand extends PkiCommand {
    @Option(name = "--name", description = "common name of the CA (default: configured caName)")
    String name;

    @Option(name = "--owner", description = "owner account: wallet alias, address or CAIP-10 (default: configured"
            + " owner, else the wallet's first account on the registry's chain)")
    String owner;

    @Override
    void run() {
        AccountId o = owner == null ? null : walletAccount("--owner", owner).account();
        pki.createCa(name, o);
        CaShowCommand.print(this, pki.caCertificate().orElseThrow(), false);
    }
}
