package io.iotpay.wallet.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.iotpay.api.money.Amount;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.SpendingPolicy;

/** {@code iotpay:wallet-policy}: shows an account's spending policy. */
@Service
@Command(scope = "iotpay", name = "wallet-policy", description = "Shows the spending policy of an account")
public class WalletPolicyCommand extends WalletCommand {
    @Argument(index = 0, name = "account", description = "alias or address", required = true)
    String alias;

    @Override
    public Object execute() {
        AccountInfo a = account(alias);
        print(a, wallet.policy(a.account()), out);
        return null;
    }

    static void print(AccountInfo a, SpendingPolicy p, java.io.PrintStream ps) {
        ShellTable t = new ShellTable();
        t.column("Setting");
        t.column("Value");
        t.addRow().addContent("account", a.alias() + " " + a.account());
        t.addRow().addContent("asset", p.asset().toString());
        t.addRow().addContent("per day", fmt(p.perDayLimit()));
        t.addRow().addContent("per session", fmt(p.perSessionLimit()));
        t.addRow().addContent("approval above", fmt(p.approvalThreshold()));
        t.addRow().addContent("max unit price", p.maxUnitPrice() == null ? "none" : p.maxUnitPrice().toString());
        t.addRow().addContent("allowed payees", p.allowedPayees().isEmpty() ? "any" : p.allowedPayees().toString());
        p.perPayeeDailyLimit().forEach((k, v) -> t.addRow().addContent("per day to " + k, fmt(v)));
        t.addRow().addContent("day zone", p.dayZone().getId());
        t.print(ps);
    }

    static String fmt(Amount a) {
        return a == null ? "none" : a.toDecimalString() + " " + a.asset().symbol();
    }
}
