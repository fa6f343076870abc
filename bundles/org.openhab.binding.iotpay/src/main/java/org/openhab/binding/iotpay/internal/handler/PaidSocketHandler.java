package org.openhab.binding.iotpay.internal.handler;

import static org.openhab.binding.iotpay.internal.IotpayBindingConstants.*;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;
import org.openhab.binding.iotpay.internal.DeviceRegistrar;
import org.openhab.binding.iotpay.internal.Money;
import org.openhab.binding.iotpay.internal.PaidSocketRegistry;
import org.openhab.binding.iotpay.internal.SessionEventSink;
import org.openhab.binding.iotpay.internal.action.SessionActions;
import org.openhab.binding.iotpay.internal.config.PaidSocketConfiguration;
import org.openhab.core.library.types.DecimalType;
import org.openhab.core.library.types.OnOffType;
import org.openhab.core.library.types.QuantityType;
import org.openhab.core.library.types.StringType;
import org.openhab.core.library.unit.Units;
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
import org.openhab.core.types.UnDefType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelEngine;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.SessionEvent;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.device.DeviceIds;
import io.iotpay.api.device.MeterListener;
import io.iotpay.api.device.MeterReading;
import io.iotpay.api.device.MeteredDevice;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;

/**
 * The {@code iotpay:paidsocket} thing, the provider side. It does not read other items: the user links the plug's
 * power and energy items to the {@code power}/{@code energy} input channels with the {@code follow} profile, and the
 * plug item to {@code relay}. The handler turns those into a {@link MeteredDevice} the channel engine meters and
 * switches, publishes the offer, and shows what the engine reports about sessions. All payment decisions are the
 * engine's.
 */
@NonNullByDefault
public class PaidSocketHandler extends BaseThingHandler implements SessionEventSink, SessionControl {

    private final Logger logger = LoggerFactory.getLogger(PaidSocketHandler.class);
    private final ChannelEngine engine;
    private final DeviceRegistrar registrar;
    private final PaidSocketRegistry sockets;
    private final SocketDevice device = new SocketDevice();
    private Clock clock = Clock.systemDefaultZone();

    private volatile String deviceId = "";
    private volatile MeteringUnit unit = MeteringUnit.KILOWATT_HOUR;
    private volatile @Nullable Offer offer;
    private volatile @Nullable SessionSnapshot session;
    private volatile boolean engineWantsOn;
    private volatile boolean relayOn;
    private volatile boolean ownerOverride;
    private volatile long powerMilliwatts;
    /** Cumulative delivered sub-units since this handler started following the meter; never decreases. */
    private BigInteger counter = BigInteger.ZERO;
    private @Nullable BigInteger lastRaw;
    private DeviceRegistrar.@Nullable Registration registration;

    public PaidSocketHandler(Thing thing, ChannelEngine engine, DeviceRegistrar registrar, PaidSocketRegistry sockets) {
        super(thing);
        this.engine = engine;
        this.registrar = registrar;
        this.sockets = sockets;
    }

    void setClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void initialize() {
        PaidSocketConfiguration config = getConfigAs(PaidSocketConfiguration.class);
        String id = config.deviceId.isBlank() ? getThing().getUID().getId() : config.deviceId.trim();
        try {
            DeviceIds.require(id);
            unit = MeteringUnit.ofSymbol(config.unit.trim());
            validateDecimal(config.price, "price", true);
            validateDecimal(config.creditWindow, "credit window", false);
            validateDecimal(config.minimumDeposit, "minimum deposit", false);
        } catch (IllegalArgumentException e) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.CONFIGURATION_ERROR,
                    StatusText.text("offline.conf-error.invalid", e.getMessage()));
            return;
        }
        deviceId = id;
        sockets.register(getThing().getUID(), this);
        registration = registrar.register(device);
        updateState(CHANNEL_SESSION_STATE, new StringType(STATE_IDLE));
        checkBridgeAndPublish(bridgeStatus());
    }

    private static void validateDecimal(String text, String what, boolean positive) {
        try {
            BigDecimal value = new BigDecimal(text.trim());
            if (value.signum() < 0 || (positive && value.signum() == 0)) {
                throw new IllegalArgumentException(what + " \"" + text + "\" must be " + (positive ? "> 0" : ">= 0"));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " \"" + text + "\" is not a decimal number such as 0.25");
        }
    }

    private @Nullable ThingStatusInfo bridgeStatus() {
        Bridge bridge = getBridge();
        return bridge == null ? null : bridge.getStatusInfo();
    }

    @Override
    public void bridgeStatusChanged(ThingStatusInfo bridgeStatusInfo) {
        checkBridgeAndPublish(bridgeStatusInfo);
    }

    private void checkBridgeAndPublish(@Nullable ThingStatusInfo bridgeStatus) {
        if (bridgeStatus == null) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.CONFIGURATION_ERROR,
                    StatusText.text("offline.conf-error.no-bridge"));
        } else if (bridgeStatus.getStatus() != ThingStatus.ONLINE) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.BRIDGE_OFFLINE,
                    StatusText.text("offline.bridge-offline", bridgeStatus.getStatus(), bridgeStatus.getDescription()));
        } else {
            scheduler.execute(this::publishOffer);
        }
    }

    /** Publishes the configured offer through the engine; public for the scheduler and tests. */
    public void publishOffer() {
        WalletBridgeHandler wallet = walletHandler();
        Asset asset = wallet == null ? null : wallet.asset();
        if (wallet == null || asset == null) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.BRIDGE_OFFLINE,
                    StatusText.text("offline.bridge-no-asset"));
            return;
        }
        PaidSocketConfiguration config = getConfigAs(PaidSocketConfiguration.class);
        Offer published;
        try {
            Price price = Price.of(Money.parse(config.price, asset, "price"), unit);
            Amount credit = Money.parse(config.creditWindow, asset, "credit window");
            Amount deposit = Money.parse(config.minimumDeposit, asset, "minimum deposit");
            published = engine.publishOffer(deviceId, price, credit, deposit);
        } catch (IllegalArgumentException e) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.CONFIGURATION_ERROR,
                    StatusText.text("offline.conf-error.invalid", e.getMessage()));
            return;
        } catch (RuntimeException e) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.COMMUNICATION_ERROR,
                    StatusText.text("offline.comm-error.offer-refused", e.getMessage()));
            return;
        }
        offer = published;
        updateStatus(ThingStatus.ONLINE);
        updateState(CHANNEL_PRICE, Money.toState(published.price().amount()));
        updateEarnings();
    }

    private @Nullable WalletBridgeHandler walletHandler() {
        Bridge bridge = getBridge();
        return bridge != null && bridge.getHandler() instanceof WalletBridgeHandler w ? w : null;
    }

    @Override
    public void handleCommand(ChannelUID channelUID, Command command) {
        switch (channelUID.getId()) {
            case CHANNEL_POWER -> onPower(command);
            case CHANNEL_ENERGY -> onEnergy(command);
            case CHANNEL_RELAY -> onRelay(command);
            case CHANNEL_OWNER_OVERRIDE -> {
                if (command instanceof OnOffType onOff) {
                    ownerOverride = onOff == OnOffType.ON;
                } else if (command instanceof RefreshType) {
                    updateState(CHANNEL_OWNER_OVERRIDE, OnOffType.from(ownerOverride));
                }
            }
            case CHANNEL_CONTROL -> onControl(command);
            default -> {
                if (command instanceof RefreshType) {
                    refreshSessionChannels();
                }
            }
        }
    }

    private void onPower(Command command) {
        BigDecimal watts;
        if (command instanceof QuantityType<?> q) {
            QuantityType<?> w = q.toUnit(Units.WATT);
            if (w == null) {
                logger.warn("Power input {} of {} is not a power; link a Number:Power item", q, getThing().getUID());
                return;
            }
            watts = w.toBigDecimal();
        } else if (command instanceof DecimalType d) {
            watts = d.toBigDecimal();
        } else {
            return;
        }
        powerMilliwatts = watts.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue();
        device.publish();
    }

    private void onEnergy(Command command) {
        BigDecimal kwh;
        if (command instanceof QuantityType<?> q) {
            QuantityType<?> k = q.toUnit(Units.KILOWATT_HOUR);
            if (k == null) {
                logger.warn("Energy input {} of {} is not an energy; link a Number:Energy item", q,
                        getThing().getUID());
                return;
            }
            kwh = k.toBigDecimal();
        } else if (command instanceof DecimalType d) {
            kwh = d.toBigDecimal(); // a plain number from a meter item is read as kWh
        } else {
            return;
        }
        if (unit != MeteringUnit.KILOWATT_HOUR) {
            return; // a per-minute socket is metered by time, the engine counts it
        }
        BigInteger raw = kwh.movePointRight(6).setScale(0, RoundingMode.DOWN).toBigInteger(); // mWh
        synchronized (this) {
            BigInteger previous = lastRaw;
            if (previous != null && raw.compareTo(previous) > 0) {
                counter = counter.add(raw.subtract(previous));
            }
            // first value, or a meter reset (counter went down): the new value becomes the baseline
            lastRaw = raw;
        }
        device.publish();
    }

    private void onRelay(Command command) {
        if (command instanceof RefreshType) {
            updateState(CHANNEL_RELAY, OnOffType.from(relayOn));
            return;
        }
        if (!(command instanceof OnOffType onOff)) {
            return;
        }
        boolean on = onOff == OnOffType.ON;
        SessionSnapshot s = session;
        if (on && !engineWantsOn && !ownerOverride && (s == null || s.state() != SessionState.PAUSED)) {
            // nothing paid for: the payment gate on the plug's link keeps the plug off, so the relay stays off here
            logger.debug("Relay ON on {} without a paid session is not counted as delivery", getThing().getUID());
            return;
        }
        relayOn = on;
        if (on == engineWantsOn || s == null) {
            return; // the echo of the engine's own switching, no change of intent, or no session to act on
        }
        try {
            if (!on && s.state() == SessionState.RUNNING) {
                acceptSnapshot(engine.pause(s.id()));
            } else if (on && s.state() == SessionState.PAUSED) {
                acceptSnapshot(engine.resume(s.id()));
            }
        } catch (RuntimeException e) {
            logger.warn("Relay {} of {}: the engine refused to {} session {}: {}", onOff, getThing().getUID(),
                    on ? "resume" : "pause", s.id(), e.getMessage());
        }
    }

    private void onControl(Command command) {
        if (command instanceof RefreshType) {
            refreshSessionChannels();
            return;
        }
        try {
            switch (command.toFullString().trim().toUpperCase()) {
                case CONTROL_PAUSE -> pause();
                case CONTROL_RESUME, CONTROL_START -> resume();
                case CONTROL_STOP -> stop();
                default -> logger.warn("Unknown control command {} for {}: use PAUSE, RESUME or STOP", command,
                        getThing().getUID());
            }
        } catch (RuntimeException e) {
            logger.warn("{} on {} failed: {}", command, getThing().getUID(), e.getMessage());
        }
    }

    // ---- SessionControl (actions and control channel) ----

    @Override
    public SessionSnapshot start() {
        throw new IllegalStateException(
                "a paid socket does not start sessions: a consumer starts one by opening a channel (use RESUME to resume a paused session)");
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
            throw new IllegalStateException("no session on " + getThing().getUID() + " (device " + deviceId + ")");
        }
        return s;
    }

    private SessionSnapshot acceptSnapshot(SessionSnapshot s) {
        session = s;
        updateSessionChannels(s);
        return s;
    }

    // ---- session events from the engine ----

    @Override
    public void onSessionEvent(SessionEvent event) {
        SessionSnapshot s = event.snapshot();
        if (s.role() != SessionRole.PROVIDER || !s.offer().deviceId().equals(deviceId)) {
            return;
        }
        session = s;
        updateSessionChannels(s);
        triggerChannel(CHANNEL_SESSION_EVENT, event.type().name());
        updateEarnings();
    }

    private void refreshSessionChannels() {
        SessionSnapshot s = session;
        if (s != null) {
            updateSessionChannels(s);
        }
        updateEarnings();
    }

    private void updateSessionChannels(SessionSnapshot s) {
        updateState(CHANNEL_SESSION_STATE, new StringType(s.state().name()));
        updateState(CHANNEL_ENERGY_SOLD, Money.quantityState(s.deliveredQuantity(), s.offer().price().unit()));
        updateState(CHANNEL_EARNED_SESSION, Money.toState(s.paid()));
        String payer = payerOf(s);
        updateState(CHANNEL_PAYER, payer == null ? UnDefType.UNDEF : new StringType(payer));
    }

    private @Nullable String payerOf(SessionSnapshot s) {
        if (s.channel() == null) {
            return null;
        }
        try {
            for (Channel c : engine.channels()) {
                if (c.id().equals(s.channel())) {
                    return c.payer().toString();
                }
            }
        } catch (RuntimeException e) {
            logger.debug("Channels not available: {}", e.getMessage());
        }
        return null;
    }

    /** Earned today and in total, summed from the engine's sessions of this device (the engine's store is the truth). */
    private void updateEarnings() {
        Offer o = offer;
        SessionSnapshot current = session;
        Asset asset = o != null ? o.price().asset() : current != null ? current.paid().asset() : null;
        if (asset == null) {
            return;
        }
        List<SessionSnapshot> all;
        try {
            all = engine.sessions();
        } catch (RuntimeException e) {
            logger.debug("Sessions not available: {}", e.getMessage());
            return;
        }
        ZoneId zone = clock.getZone();
        LocalDate today = LocalDate.now(clock);
        Amount total = Amount.zero(asset);
        Amount day = Amount.zero(asset);
        for (SessionSnapshot s : all) {
            if (s.role() == SessionRole.PROVIDER && s.offer().deviceId().equals(deviceId)
                    && s.paid().asset().equals(asset)) {
                total = total.plus(s.paid());
                if (s.updatedAt().atZone(zone).toLocalDate().equals(today)) {
                    day = day.plus(s.paid());
                }
            }
        }
        updateState(CHANNEL_EARNED_TOTAL, Money.toState(total));
        updateState(CHANNEL_EARNED_TODAY, Money.toState(day));
    }

    // ---- payment gate ----

    /**
     * Whether the plug may be switched on now: a paid session is running (or the engine switched it on), or the
     * owner override is on and the gate honours it.
     */
    public boolean allowsPower(boolean honorOwnerOverride) {
        if (honorOwnerOverride && ownerOverride) {
            return true;
        }
        SessionSnapshot s = session;
        return engineWantsOn || (s != null && s.state() == SessionState.RUNNING);
    }

    /** The metered device the engine sees (also for tests). */
    public MeteredDevice device() {
        return device;
    }

    public String deviceId() {
        return deviceId;
    }

    @Override
    public void dispose() {
        DeviceRegistrar.Registration r = registration;
        if (r != null) {
            r.close();
            registration = null;
        }
        sockets.unregister(getThing().getUID(), this);
        super.dispose();
    }

    @Override
    public Collection<Class<? extends ThingHandlerService>> getServices() {
        return List.of(SessionActions.class);
    }

    /** The socket as the engine sees it: switched through the relay channel, read from the input channels. */
    private final class SocketDevice implements MeteredDevice {
        private final List<MeterListener> listeners = new CopyOnWriteArrayList<>();

        @Override
        public String deviceId() {
            return deviceId;
        }

        @Override
        public MeteringUnit unit() {
            return unit;
        }

        @Override
        public void switchOn() {
            engineWantsOn = true;
            relayOn = true;
            postCommand(CHANNEL_RELAY, OnOffType.ON);
        }

        @Override
        public void switchOff() {
            engineWantsOn = false;
            relayOn = false;
            postCommand(CHANNEL_RELAY, OnOffType.OFF);
        }

        @Override
        public boolean isOn() {
            return relayOn;
        }

        @Override
        public MeterReading read() {
            BigInteger c;
            synchronized (PaidSocketHandler.this) {
                c = counter;
            }
            return new MeterReading(deviceId, clock.instant(), powerMilliwatts, c, relayOn);
        }

        @Override
        public void addListener(MeterListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeListener(MeterListener listener) {
            listeners.remove(listener);
        }

        void publish() {
            if (listeners.isEmpty()) {
                return;
            }
            MeterReading reading = read();
            for (MeterListener l : listeners) {
                try {
                    l.onReading(reading);
                } catch (RuntimeException e) {
                    logger.warn("Meter listener failed on {}: {}", reading, e.getMessage());
                }
            }
        }
    }
}
