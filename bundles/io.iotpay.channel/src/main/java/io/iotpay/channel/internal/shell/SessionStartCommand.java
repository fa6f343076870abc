package io.iotpay.channel.internal.shell;

import java.net.URI;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.PurchaseRequest;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Price;

/** {@code iotpay:session-start <offer-url> --budget .. --max-price .. --payer ..}. */
@Service
@Command(scope = "iotpay", name = "session-start", description = "Buys from a remote offer: opens or reuses a channel"
        + " and starts a metered session")
public class SessionStartCommand extends ChannelCommand {

    @Argument(index = 0, name = "offer", required = true, description = "offer URL (…/iotpay/peer/offers/<id>)")
    String offer;

    @Option(name = "--budget", required = true, description = "most the session may cost, human units")
    String budget;

    @Option(name = "--max-price", description = "price cap, e.g. \"0.5 ETH/kWh\" (default: the offer's price)")
    String maxPrice;

    @Option(name = "--payer", required = true, description = "paying wallet account (alias or address)")
    String payer;

    @Override
    public Object execute() {
        Offer o = engine.fetchOffer(URI.create(offer));
        Price cap = maxPrice == null ? o.price() : Price.parse(maxPrice, o.price().asset());
        SessionSnapshot s = engine.startPurchase(new PurchaseRequest(URI.create(offer),
                Amount.parse(budget, o.price().asset()), cap, payer(payer, o.price().asset().chain())));
        out.println("Session " + s.id() + " " + s.state() + " on channel " + s.channel());
        return null;
    }
}
