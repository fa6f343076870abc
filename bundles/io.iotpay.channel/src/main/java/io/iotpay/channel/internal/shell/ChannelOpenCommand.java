package io.iotpay.channel.internal.shell;

import java.net.URI;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.iotpay.api.channel.Offer;
import io.iotpay.api.money.Amount;
import io.iotpay.channel.internal.store.ChannelRecord;

/** {@code iotpay:channel-open <offer-url> <deposit>}. */
@Service
@Command(scope = "iotpay", name = "channel-open", description = "Opens a channel to the payee of a remote offer")
public class ChannelOpenCommand extends ChannelCommand {

    @Argument(index = 0, name = "offer", required = true, description = "offer URL (…/iotpay/peer/offers/<id>)")
    String offer;

    @Argument(index = 1, name = "deposit", required = true, description = "deposit in human units, e.g. 0.05")
    String deposit;

    @Option(name = "--payer", required = true, description = "paying wallet account (alias or address)")
    String payer;

    @Override
    public Object execute() {
        Offer o = engine.fetchOffer(URI.create(offer));
        ChannelRecord r = engine.node().openChannel(o, payer(payer, o.price().asset().chain()),
                Amount.parse(deposit, o.price().asset()));
        out.println("Opened channel " + r.id().toHex() + " to " + r.payee() + " with "
                + amount(Amount.ofUnits(r.deposit(), r.asset())));
        return null;
    }
}
