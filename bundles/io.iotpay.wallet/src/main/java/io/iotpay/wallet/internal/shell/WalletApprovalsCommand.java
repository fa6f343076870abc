package io.iotpay.wallet.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.iotpay.api.wallet.PendingApproval;

/** {@code iotpay:wallet-approvals}: lists payments waiting for approval; approves or denies one. */
@Service
@Command(scope = "iotpay", name = "wallet-approvals", description = "Lists, approves or denies pending payments")
public class WalletApprovalsCommand extends WalletCommand {
    @Argument(index = 0, name = "id", description = "approval id (with --approve or --deny)")
    String id;

    @Option(name = "--approve", description = "approve the payment with this id")
    boolean approve;

    @Option(name = "--deny", description = "deny the payment with this id")
    boolean deny;

    @Override
    public Object execute() {
        if (approve || deny) {
            if (id == null || (approve && deny)) {
                throw new IllegalArgumentException("give one approval id with either --approve or --deny");
            }
            if (approve) {
                wallet.approve(id);
            } else {
                wallet.deny(id);
            }
        }
        ShellTable t = new ShellTable();
        t.column("Id");
        t.column("Requested");
        t.column("Payer");
        t.column("Payee");
        t.column("Amount");
        for (PendingApproval p : wallet.pendingApprovals()) {
            t.addRow().addContent(p.id(), p.requestedAt().toString(), p.intent().payer().toString(),
                    p.intent().payee().toString(), WalletPolicyCommand.fmt(p.intent().increment()));
        }
        t.print(out);
        return null;
    }
}
