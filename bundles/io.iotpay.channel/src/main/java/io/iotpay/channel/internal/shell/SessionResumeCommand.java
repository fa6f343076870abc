package io.iotpay.channel.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionSnapshot;

/** {@code iotpay:session-resume <session>}. */
@Service
@Command(scope = "iotpay", name = "session-resume", description = "Resumes a metering session (either side)")
public class SessionResumeCommand extends ChannelCommand {

    @Argument(index = 0, name = "session", required = true, description = "session id")
    String session;

    @Override
    public Object execute() {
        SessionSnapshot s = engine.resume(new SessionId(session));
        out.println("Session " + s.id() + " " + s.state() + "; delivered " + s.deliveredQuantity() + " "
                + s.offer().price().unit().subunitSymbol() + ", owed " + amount(s.owed()) + ", paid "
                + amount(s.paid()));
        return null;
    }
}
