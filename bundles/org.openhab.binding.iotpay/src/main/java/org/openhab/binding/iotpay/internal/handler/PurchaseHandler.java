package org.openhab.binding.iotpay.internal.handler;

import static org.openhab.binding.iotpay.internal.IotpayBindingConstants.*;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;
import org.openhab.binding.iotpay.internal.Money;
import org.openhab.binding.iotpay.internal.SessionEventSink;
import org.openhab.binding.iotpay.internal.action.SessionActions;
import org.openhab.binding.iotpay.internal.config.PurchaseConfiguration;
import org.openhab.core.library.types.StringType;
import org.openhab.core.thing.Bridge;
import org.openhab.core.thing.ChannelUID;
import org.openhab.core.thing.Thing;
import org.openhab.core.thing.ThingStatus;
import org.openhab.core.thing.ThingStatusDetail;
import org.openhab.core.thing.ThingStatusInfo;
import org.openhab.core.thing.binding.BaseThingHandler;
import org.openhab.core.thing.binding.ThingHandlerService;
import org.openhab.core.types.Command;
import org.openhab.core.types.RefreshType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ChannelEngine;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.PurchaseRequest;
import io.iotpay.api.channel.SessionEvent;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;

/**
 * The {@code iotpay:purchase} thing, the consumer side: buys from one provider within a budget and a price cap,
 * paying from the wallet bridge's account. The engine negotiates, signs vouchers and enforces budget and cap; this
 * handler starts, pauses, resumes and stops, and shows the engine's snapshots.
 */
@NonNullByDefault
public class PurchaseHandler extends BaseThingHandler implements SessionEventSink, SessionControl {

    private final Logger logger = LoggerFactory.getLogger(PurchaseHandler.class);
    private final ChannelEngine engine;

    private volatile @Nullable URI provider;
    private volatile MeteringUnit unit = MeteringUnit.KILOWATT_HOUR;
    private volatile @Nullable Offer offer;
    private volatile @Nullable SessionSnapshot session;
    private @Nullable ScheduledFuture<?> pollJob;

    public PurchaseHandler(Thing thing, ChannelEngine engine) {
        super(thing);
        this.engine = engine;
    }

    @Override
    public void initialize() {
        PurchaseConfiguration config = getConfigAs(PurchaseConfiguration.class);
        try {
            provider = parseProvider(config.providerUrl);
            unit = MeteringUnit.ofSymbol(config.unit.trim());
            requireDecimal(config.budget, "budget");
            requireDecimal(config.maxPrice, "max price");
        } catch (IllegalArgumentException e) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.CONFIGURATION_ERROR,
                    StatusText.text("offline.conf-error.invalid", e.getMessage()));
            return;
        }
        updateState(CHANNEL_SESSION_STATE, new StringType(STATE_IDLE));
        Bridge bridge = getBridge();
        if (bridge == null) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.CONFIGURATION_ERROR,
                    StatusText.text("offline.conf-error.no-bridge"));
            return;
        }
        updateStatus(ThingStatus.UNKNOWN);
        pollJob = scheduler.scheduleWithFixedDelay(this::poll, 0, Math.max(5, config.refreshInterval),
                TimeUnit.SECONDS);
    }

    static URI parseProvider(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("provider URL is missing: give the provider's IOTPAY URL or accept a"
                    + " discovered provider from the inbox");
        }
        try {
            URI uri = new URI(text.trim());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "provider URL \"" + text + "\" must be an absolute http:// or https:// URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("provider URL \"" + text + "\" is not a URL: " + e.getMessage(), e);
        }
    }

    private static void requireDecimal(String text, String what) {
        try {
            if (new java.math.BigDecimal(text.trim()).signum() <= 0) {
                throw new IllegalArgumentException(what + " \"" + text + "\" must be > 0");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " \"" + text + "\" is not a decimal number such as 0.25");
        }
    }

    @Override
    public void bridgeStatusChanged(ThingStatusInfo bridgeStatusInfo) {
        if (bridgeStatusInfo.getStatus() == ThingStatus.ONLINE) {
            scheduler.execute(this::poll);
        } else {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.BRIDGE_OFFLINE,
                    StatusText.text("offline.bridge-offline", bridgeStatusInfo.getStatus(),
                            bridgeStatusInfo.getDescription()));
        }
    }

    /** Fetches the provider's offer and refreshes the session; public for the scheduler and tests. */
    public void poll() {
        URI uri = provider;
        if (uri == null) {
            return;
        }
        Bridge bridge = getBridge();
        if (bridge == null || bridge.getStatus() != ThingStatus.ONLINE) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.BRIDGE_OFFLINE,
                    StatusText.text("offline.bridge-offline", bridge == null ? "missing" : bridge.getStatus(), ""));
            return;
        }
        try {
            Offer o = engine.fetchOffer(uri);
            offer = o;
            updateState(CHANNEL_PRICE, Money.toState(o.price().amount()));
            updateStatus(ThingStatus.ONLINE);
        } catch (RuntimeException e) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.COMMUNICATION_ERROR,
                    StatusText.text("offline.comm-error.no-offer", uri, e.getMessage()));
            return;
        }
        SessionSnapshot s = session;
        if (s != null) {
            try {
                engine.session(s.id()).ifPresent(this::acceptSnapshot);
            } catch (RuntimeException e) {
                logger.debug("Session {} not readable: {}", s.id(), e.getMessage());
            }
        }
    }

    @Override
    public void handleCommand(ChannelUID channelUID, Command command) {
        if (command instanceof RefreshType) {
            SessionSnapshot s = session;
            if (s != null) {
                updateSessionChannels(s);
            }
            return;
        }
        if (!CHANNEL_CONTROL.equals(channelUID.getId())) {
            return;
        }
        try {
            switch (command.toFullString().trim().toUpperCase()) {
                case CONTROL_START -> start();
                case CONTROL_PAUSE -> pause();
                case CONTROL_RESUME -> resume();
                case CONTROL_STOP -> stop();
                default -> logger.warn("Unknown control command {} for {}: use START, PAUSE, RESUME or STOP", command,
                        getThing().getUID());
            }
        } catch (RuntimeException e) {
            logger.warn("{} on {} failed: {}", command, getThing().getUID(), e.getMessage());
        }
    }

    // ---- SessionControl ----

    @Override
    public SessionSnapshot start() {
        SessionSnapshot s = session;
        if (s != null && (s.state() == SessionState.RUNNING || s.state() == SessionState.NEGOTIATING)) {
            return s;
        }
        if (s != null && s.state() == SessionState.PAUSED) {
            return resume();
        }
        URI uri = provider;
        if (uri == null) {
            throw new IllegalStateException(getThing().getUID() + " is not configured");
        }
        Bridge bridge = getBridge();
        WalletBridgeHandler wallet = bridge != null && bridge.getHandler() instanceof WalletBridgeHandler w ? w : null;
        if (wallet == null || bridge == null || bridge.getStatus() != ThingStatus.ONLINE) {
            throw new IllegalStateException("wallet bridge of " + getThing().getUID() + " is not ONLINE");
        }
        AccountId payer = wallet.account();
        Asset asset = wallet.asset();
        if (payer == null || asset == null) {
            throw new IllegalStateException("wallet bridge of " + getThing().getUID() + " has no account yet");
        }
        PurchaseConfiguration config = getConfigAs(PurchaseConfiguration.class);
        Amount budget = Money.parse(config.budget, asset, "budget");
        Price maxPrice = Price.of(Money.parse(config.maxPrice, asset, "max price"), unit);
        return acceptSnapshot(engine.startPurchase(new PurchaseRequest(uri, budget, maxPrice, payer)));
    }

    @Override
    public SessionSnapshot pause() {
        return acceptSnapshot(engine.pause(requireSession().id()));
    }

    @Override
    public SessionSnapshot resume() {
        return acceptSnapshot(engine.resume(requireSession().id()));
    }

    @Override
    public SessionSnapshot stop() {
        return acceptSnapshot(engine.stop(requireSession().id()));
    }

    @Override
    public @Nullable SessionSnapshot current() {
        return session;
    }

    private SessionSnapshot requireSession() {
        SessionSnapshot s = session;
        if (s == null) {
            throw new IllegalStateException("no session on " + getThing().getUID() + ": START one first");
        }
        return s;
    }

    private SessionSnapshot acceptSnapshot(SessionSnapshot s) {
        session = s;
        updateSessionChannels(s);
        return s;
    }

    @Override
    public void onSessionEvent(SessionEvent event) {
        SessionSnapshot current = session;
        SessionSnapshot s = event.snapshot();
        if (s.role() != SessionRole.CONSUMER || current == null || !current.id().equals(s.id())) {
            return;
        }
        acceptSnapshot(s);
        triggerChannel(CHANNEL_SESSION_EVENT, event.type().name());
    }

    private void updateSessionChannels(SessionSnapshot s) {
        updateState(CHANNEL_SESSION_STATE, new StringType(s.state().name()));
        updateState(CHANNEL_ENERGY_BOUGHT, Money.quantityState(s.deliveredQuantity(), s.offer().price().unit()));
        updateState(CHANNEL_AMOUNT_PAID, Money.toState(s.paid()));
        updateState(CHANNEL_PRICE, Money.toState(s.offer().price().amount()));
    }

    public @Nullable Offer offer() {
        return offer;
    }

    @Override
    public void dispose() {
        ScheduledFuture<?> job = pollJob;
        if (job != null) {
            job.cancel(true);
            pollJob = null;
        }
        super.dispose();
    }

    @Override
    public Collection<Class<? extends ThingHandlerService>> getServices() {
        return List.of(SessionActions.class);
    }
}
