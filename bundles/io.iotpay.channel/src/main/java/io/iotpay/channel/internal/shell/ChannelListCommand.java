package io.iotpay.channel.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.iotpay.api.channel.Channel;

/** {@code iotpay:channel-list}. */
@Service
@Command(scope = "iotpay", name = "channel-list", description = "Lists the payment channels this node is party to")
public class ChannelListCommand extends ChannelCommand {
    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("Channel");
        t.column("State");
        t.column("Payer");
        t.column("Payee");
        t.column("Deposit");
        t.column("Claimed");
        for (Channel c : engine.channels()) {
            t.addRow().addContent(c.id().toHex(), c.state().name(), c.payer().address(), c.payee().address(),
                    amount(c.deposit()), amount(c.claimed()));
        }
        t.print(out);
        return null;
    }
}
