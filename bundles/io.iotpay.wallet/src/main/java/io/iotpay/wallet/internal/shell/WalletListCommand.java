package io.iotpay.wallet.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.iotpay.api.wallet.AccountInfo;

/** {@code iotpay:wallet-list}. */
@Service
@Command(scope = "iotpay", name = "wallet-list", description = "Lists the wallet's accounts")
public class WalletListCommand extends WalletCommand {
    @Override
    public Object execute() {
        print(wallet, out);
        return null;
    }

    void print(io.iotpay.api.wallet.Wallet w, java.io.PrintStream ps) {
        ShellTable t = new ShellTable();
        t.column("Alias");
        t.column("Chain");
        t.column("Address");
        t.column("Path");
        t.column("Origin");
        t.column("Locked");
        for (AccountInfo a : w.accounts()) {
            t.addRow().addContent(a.alias(), a.account().chainId().toString(), display(a),
                    a.derivationPath() == null ? "-" : a.derivationPath(), lower(a.origin()), yesNo(a.locked()));
        }
        t.print(ps);
    }
}
