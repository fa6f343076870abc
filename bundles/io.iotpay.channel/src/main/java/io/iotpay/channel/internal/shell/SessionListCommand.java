package io.iotpay.channel.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.iotpay.api.channel.SessionSnapshot;

/** {@code iotpay:session-list}. */
@Service
@Command(scope = "iotpay", name = "session-list", description = "Lists metering sessions (live and stored)")
public class SessionListCommand extends ChannelCommand {
    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("Session");
        t.column("Role");
        t.column("State");
        t.column("Device");
        t.column("Delivered");
        t.column("Owed");
        t.column("Paid");
        t.column("Detail");
        for (SessionSnapshot s : engine.sessions()) {
            t.addRow().addContent(s.id().value(), s.role().name(), s.state().name(), s.offer().deviceId(),
                    s.deliveredQuantity() + " " + s.offer().price().unit().subunitSymbol(), amount(s.owed()),
                    amount(s.paid()), s.detail() == null ? "" : s.detail());
        }
        t.print(out);
        return null;
    }
}
