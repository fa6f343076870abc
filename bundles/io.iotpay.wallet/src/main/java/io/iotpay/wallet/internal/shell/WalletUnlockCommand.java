package io.iotpay.wallet.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code iotpay:wallet-unlock}. */
@Service
@Command(scope = "iotpay", name = "wallet-unlock", description = "Unlocks an account with the configured passphrase")
public class WalletUnlockCommand extends WalletCommand {
    @Argument(index = 0, name = "account", description = "alias or address", required = true)
    String alias;

    @Override
    public Object execute() {
        wallet.unlock(account(alias).account());
        new WalletListCommand().print(wallet, out);
        return null;
    }
}
