package io.iotpay.wallet.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.iotpay.api.wallet.PendingApproval;
import io.iotpay.wallet.internal.WalletService;

/** {@code iotpay:wallet-approvals}: lists payments, typed data and contract calls waiting for the owner's approval; approves or denies one. */
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
        t.column("What");
        for (PendingApproval p : wallet.pendingApprovals()) {
            t.addRow().addContent(p.id(), p.requestedAt().toString(), p.intent().payer().toString(),
                    p.intent().payee().toString(), WalletPolicyCommand.fmt(p.intent().increment()),
                    what(p));
        }
        t.print(out);
        return null;
    }

    static String what(PendingApproval p) {
        String k = p.intent().sessionKey();
        if (k != null && k.startsWith(WalletService.TYPED_DATA_APPROVAL_PREFIX)) {
            return "typed data, digest " + k.substring(WalletService.TYPED_DATA_APPROVAL_PREFIX.length());
        }
        if (k != null && k.startsWith(WalletService.CALL_APPROVAL_PREFIX)) {
            return "contract call, signing hash " + k.substring(WalletService.CALL_APPROVAL_PREFIX.length());
        }
        return "payment";
    }
}
