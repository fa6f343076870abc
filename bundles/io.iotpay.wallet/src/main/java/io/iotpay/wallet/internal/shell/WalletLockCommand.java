package io.iotpay.wallet.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code iotpay:wallet-lock}. */
@Service
@Command(scope = "iotpay", name = "wallet-lock", description = "Locks an account (it signs nothing; key cleared)")
public class WalletLockCommand extends WalletCommand {
    @Argument(index = 0, name = "account", description = "alias or address", required = true)
    String alias;

    @Override
    public Object execute() {
        wallet.lock(account(alias).account());
        new WalletListCommand().print(wallet, out);
        return null;
    }
}
