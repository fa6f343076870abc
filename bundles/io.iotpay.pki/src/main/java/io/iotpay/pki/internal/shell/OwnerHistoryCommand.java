package io.iotpay.pki.internal.shell;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.identity.OwnershipRecord;
import io.iotpay.pki.internal.owner.OwnershipHistory;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code iotpay:owner-history}: the ownership chain of a device rebuilt from the registry's events (registration,
 * then every two-signature transfer), checked step by step and compared with {@code ownerOf}.
 */
@Service
@Command(scope = "iotpay", name = "owner-history", description = "Shows the ownership history of a device, replayed"
        + " from on-chain events")
public class OwnerHistoryCommand extends PkiCommand {
    @Argument(index = 0, name = "device", description = "device id", required = true)
    String deviceId;

    @Override
    void run() {
        String d = device("device", deviceId);
        List<OwnershipRecord> history = pki.history(d);
        ShellTable t = new ShellTable();
        t.column("#");
        t.column("Event");
        t.column("Block");
        t.column("From");
        t.column("To");
        t.column("Nonce");
        t.column("Transaction");
        int i = 0;
        for (OwnershipRecord r : history) {
            t.addRow().addContent(Integer.toString(i++), r.registration() ? "registered" : "transferred",
                    Long.toString(r.blockNumber()), r.from().map(AccountId::address).orElse("-"), r.to().address(),
                    r.nonce().map(Object::toString).orElse("-"), r.txHash());
        }
        t.print(out);
        Optional<AccountId> replayed = OwnershipHistory.owner(history);
        Optional<AccountId> onChain = pki.ownerOf(d);
        out.println("Replayed owner: " + replayed.map(AccountId::toString).orElse("(not registered)"));
        out.println("ownerOf:        " + onChain.map(AccountId::toString).orElse("(not registered)"));
        out.println(replayed.equals(onChain) ? "History consistent with ownerOf: yes"
                : "History consistent with ownerOf: NO (the node's event log and state disagree)");
    }
}
