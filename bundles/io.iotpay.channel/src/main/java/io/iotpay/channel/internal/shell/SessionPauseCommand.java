package io.iotpay.channel.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionSnapshot;

/** {@code iotpay:session-pause <session>}. */
@Service
@Command(scope = "iotpay", name = "session-pause", description = "Pauses a metering session (either side)")
public class SessionPauseCommand extends ChannelCommand {

    @Argument(index = 0, name = "session", required = true, description = "session id")
    String session;

    @Override
    public Object execute() {
        SessionSnapshot s = engine.pause(new SessionId(session));
        out.println("Session " + s.id() + " " + s.state() + "; delivered " + s.deliveredQuantity() + " "
                + s.offer().price().unit().subunitSymbol() + ", owed " + amount(s.owed()) + ", paid "
                + amount(s.paid()));
        return null;
    }
}
