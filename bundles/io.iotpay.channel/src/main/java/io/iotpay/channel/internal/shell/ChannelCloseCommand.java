package io.iotpay.channel.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.iotpay.api.chain.TxHash;
import io.iotpay.api.channel.ChannelId;

/** {@code iotpay:channel-close <channel>}. */
@Service
@Command(scope = "iotpay", name = "channel-close", description = "Provider: claims the latest voucher of a channel;"
        + " consumer: starts the unilateral close (challenge period)")
public class ChannelCloseCommand extends ChannelCommand {

    @Argument(index = 0, name = "channel", required = true, description = "channel id (0x + 64 hex digits)")
    String channel;

    @Override
    public Object execute() {
        TxHash tx = engine.closeChannel(ChannelId.parse(channel));
        out.println("Sent " + tx);
        return null;
    }
}
