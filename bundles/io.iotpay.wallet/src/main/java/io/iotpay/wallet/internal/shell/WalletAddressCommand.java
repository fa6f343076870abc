package io.iotpay.wallet.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.iotpay.api.wallet.AccountInfo;

/** {@code iotpay:wallet-address}. */
@Service
@Command(scope = "iotpay", name = "wallet-address", description = "Shows an account's address (EIP-55 for EVM)")
public class WalletAddressCommand extends WalletCommand {
    @Argument(index = 0, name = "account", description = "alias or address", required = true)
    String alias;

    @Override
    public Object execute() {
        AccountInfo a = account(alias);
        ShellTable t = new ShellTable();
        t.column("Alias");
        t.column("Address");
        t.column("CAIP-10");
        t.addRow().addContent(a.alias(), display(a), a.account().toString());
        t.print(out);
        return null;
    }
}
