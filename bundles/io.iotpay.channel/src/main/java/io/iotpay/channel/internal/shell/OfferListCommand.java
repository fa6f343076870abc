package io.iotpay.channel.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.iotpay.api.channel.Offer;

/** {@code iotpay:offer-list}. */
@Service
@Command(scope = "iotpay", name = "offer-list", description = "Lists the offers this node publishes")
public class OfferListCommand extends ChannelCommand {
    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("Offer");
        t.column("Device");
        t.column("Price");
        t.column("Credit window");
        t.column("Minimum deposit");
        t.column("Payee");
        t.column("URL");
        for (Offer o : engine.offers()) {
            t.addRow().addContent(o.offerId(), o.deviceId(), o.price().toString() + " (" + o.price().amount().units()
                    + " per " + o.price().unit().symbol() + ")", amount(o.creditWindow()), amount(o.minimumDeposit()),
                    o.payee().toString(), o.endpoint() + "/offers/" + o.offerId());
        }
        t.print(out);
        return null;
    }
}
