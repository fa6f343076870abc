package io.iotpay.channel.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.iotpay.api.channel.Offer;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.Price;

/** {@code iotpay:offer-publish <device> <price>}. */
@Service
@Command(scope = "iotpay", name = "offer-publish", description = "Publishes an offer for a registered metered device")
public class OfferPublishCommand extends ChannelCommand {

    @Argument(index = 0, name = "device", required = true, description = "device id")
    String device;

    @Argument(index = 1, name = "price", required = true, description = "price, e.g. \"0.30 ETH/kWh\"")
    String price;

    @Option(name = "--chain", description = "CAIP-2 chain id (default eip155:31337)")
    String chain = "eip155:31337";

    @Option(name = "--credit", description = "credit window in human units (default 0.001)")
    String credit = "0.001";

    @Option(name = "--min-deposit", description = "minimum channel deposit in human units (default 0)")
    String minDeposit = "0";

    @Override
    public Object execute() {
        Asset a = asset(chain);
        Offer o = engine.publishOffer(device, Price.parse(price, a), Amount.parse(credit, a),
                Amount.parse(minDeposit, a));
        out.println("Published " + o.offerId() + " for " + o.deviceId() + " at " + o.price());
        out.println("  credit window   " + amount(o.creditWindow()));
        out.println("  minimum deposit " + amount(o.minimumDeposit()));
        out.println("  payee           " + o.payee());
        out.println("  url             " + o.endpoint() + "/offers/" + o.offerId());
        return null;
    }
}
