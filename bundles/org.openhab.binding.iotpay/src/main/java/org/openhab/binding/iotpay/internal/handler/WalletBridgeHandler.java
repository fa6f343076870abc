package org.openhab.binding.iotpay.internal.handler;

import static org.openhab.binding.iotpay.internal.IotpayBindingConstants.*;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;
import org.openhab.binding.iotpay.internal.ChainConnectors;
import org.openhab.binding.iotpay.internal.Money;
import org.openhab.binding.iotpay.internal.OptionalServices;
import org.openhab.binding.iotpay.internal.action.WalletActions;
import org.openhab.binding.iotpay.internal.config.WalletConfiguration;
import org.openhab.core.thing.Bridge;
import org.openhab.core.thing.ChannelUID;
import org.openhab.core.thing.ThingStatus;
import org.openhab.core.thing.ThingStatusDetail;
import org.openhab.core.thing.binding.BaseBridgeHandler;
import org.openhab.core.thing.binding.ThingHandlerService;
import org.openhab.core.types.Command;
import org.openhab.core.types.RefreshType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.identity.DeviceIdentity;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.api.notary.LeafRef;
import io.iotpay.api.notary.Notary;
import io.iotpay.api.chain.ChainConnector;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.ChainStatus;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelEngine;
import io.iotpay.api.channel.ChannelState;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.api.wallet.Wallet;

/**
 * The {@code iotpay:wallet} bridge: one account of the IOTPAY wallet on one chain. ONLINE while the chain connector
 * for that chain is registered and reachable; OFFLINE with the reason otherwise, and back ONLINE by itself when the
 * connector returns (connectors are dynamic OSGi services). Children use it for the payer/payee account and asset.
 */
@NonNullByDefault
public class WalletBridgeHandler extends BaseBridgeHandler implements ChainConnectors.Listener {

    private final Logger logger = LoggerFactory.getLogger(WalletBridgeHandler.class);
    private final Wallet wallet;
    private final ChannelEngine engine;
    private final ChainConnectors connectors;
    private final OptionalServices optional;
    private Clock clock = Clock.systemDefaultZone();

    private volatile @Nullable ChainId chain;
    private volatile @Nullable AccountId account;
    private volatile @Nullable Asset policyAsset;
    private volatile @Nullable ZoneId dayZone;
    private @Nullable ScheduledFuture<?> refreshJob;

    public WalletBridgeHandler(Bridge bridge, Wallet wallet, ChannelEngine engine, ChainConnectors connectors,
            OptionalServices optional) {
        super(bridge);
        this.optional = optional;
        this.wallet = wallet;
        this.engine = engine;
        this.connectors = connectors;
    }

    /** For tests: the clock deciding what "today" is. */
    void setClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void initialize() {
        WalletConfiguration config = getConfigAs(WalletConfiguration.class);
        ChainId network;
        try {
            network = ChainId.parse(config.network.trim());
        } catch (IllegalArgumentException e) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.CONFIGURATION_ERROR,
                    StatusText.text("offline.conf-error.bad-network", config.network, e.getMessage()));
            return;
        }
        if (config.account.isBlank()) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.CONFIGURATION_ERROR,
                    StatusText.text("offline.conf-error.no-account"));
            return;
        }
        Optional<AccountInfo> info;
        try {
            info = wallet.account(config.account.trim());
        } catch (RuntimeException e) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.COMMUNICATION_ERROR,
                    StatusText.text("offline.comm-error.wallet-lookup", config.account, e.getMessage()));
            return;
        }
        if (info.isEmpty()) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.CONFIGURATION_ERROR,
                    StatusText.text("offline.conf-error.unknown-account", config.account));
            return;
        }
        AccountId id = info.get().account();
        if (!id.chainId().equals(network)) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.CONFIGURATION_ERROR,
                    StatusText.text("offline.conf-error.account-network", config.account, id.chainId(), network));
            return;
        }
        try {
            applyPolicy(config, id, network);
        } catch (IllegalArgumentException e) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.CONFIGURATION_ERROR,
                    StatusText.text("offline.conf-error.policy", e.getMessage()));
            return;
        }
        chain = network;
        account = id;
        updateStatus(ThingStatus.UNKNOWN);
        connectors.addListener(this);
        int interval = Math.max(5, config.refreshInterval);
        refreshJob = scheduler.scheduleWithFixedDelay(this::refresh, 0, interval, TimeUnit.SECONDS);
    }

    private void applyPolicy(WalletConfiguration config, AccountId id, ChainId network) {
        SpendingPolicy current = wallet.policy(id);
        Asset asset = current.asset();
        policyAsset = asset;
        dayZone = current.dayZone();
        boolean anySet = !config.perDayLimit.isBlank() || !config.perSessionLimit.isBlank()
                || !config.maxUnitPrice.isBlank() || !config.allowedPayees.isBlank()
                || !config.approvalThreshold.isBlank();
        if (!anySet) {
            return;
        }
        Amount perDay = config.perDayLimit.isBlank() ? current.perDayLimit()
                : Money.parse(config.perDayLimit, asset, "per-day limit");
        Amount perSession = config.perSessionLimit.isBlank() ? current.perSessionLimit()
                : Money.parse(config.perSessionLimit, asset, "per-session limit");
        Amount approval = config.approvalThreshold.isBlank() ? current.approvalThreshold()
                : Money.parse(config.approvalThreshold, asset, "approval threshold");
        io.iotpay.api.money.Price maxPrice = config.maxUnitPrice.isBlank() ? current.maxUnitPrice()
                : io.iotpay.api.money.Price.of(Money.parse(config.maxUnitPrice, asset, "max unit price"),
                        io.iotpay.api.money.MeteringUnit.KILOWATT_HOUR);
        Set<AccountId> payees = config.allowedPayees.isBlank() ? current.allowedPayees()
                : parsePayees(config.allowedPayees, network);
        SpendingPolicy policy = new SpendingPolicy(perSession, perDay, current.perPayeeDailyLimit(), maxPrice, payees,
                approval, current.dayZone());
        if (!policy.equals(current)) {
            wallet.setPolicy(id, policy);
            logger.debug("Spending policy of {} set from the bridge configuration", id);
        }
    }

    private static Set<AccountId> parsePayees(String list, ChainId network) {
        Set<AccountId> payees = new HashSet<>();
        for (String part : list.split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                payees.add(toAccount(p, network));
            }
        }
        return payees;
    }

    /**
     * Reads an account given as CAIP-10 ({@code eip155:56:0xab..}) or as a bare address on the given network.
     *
     * @throws IllegalArgumentException naming the input when it is neither
     */
    public static AccountId toAccount(String text, ChainId network) {
        String t = text.trim();
        AccountId id = t.chars().filter(c -> c == ':').count() >= 2 ? AccountId.parse(t) : AccountId.of(network, t);
        if (!id.chainId().equals(network)) {
            throw new IllegalArgumentException("account " + t + " is on " + id.chainId() + ", not on " + network);
        }
        return id;
    }

    /** Polls the connector; public for the scheduler and for tests. */
    public synchronized void refresh() {
        ChainId c = chain;
        AccountId a = account;
        if (c == null || a == null) {
            return;
        }
        ChainConnector connector = connectors.get(c);
        if (connector == null) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.COMMUNICATION_ERROR,
                    StatusText.text("offline.comm-error.no-connector", c));
            return;
        }
        ChainStatus status;
        try {
            status = connector.status();
        } catch (RuntimeException e) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.COMMUNICATION_ERROR,
                    StatusText.text("offline.comm-error.connector-failed", c, e.getMessage()));
            return;
        }
        if (!status.reachable()) {
            updateStatus(ThingStatus.OFFLINE, ThingStatusDetail.COMMUNICATION_ERROR,
                    StatusText.text("offline.comm-error.unreachable", c, status.detail()));
            return;
        }
        updateStatus(ThingStatus.ONLINE);
        updateChannels(connector, a);
    }

    private void updateChannels(ChainConnector connector, AccountId a) {
        Asset asset = connector.nativeAsset();
        try {
            updateState(CHANNEL_BALANCE, Money.toState(connector.balance(a, asset)));
        } catch (RuntimeException e) {
            logger.debug("Balance of {} not available: {}", a, e.getMessage());
        }
        try {
            List<Channel> channels = engine.channels();
            Amount locked = Amount.zero(asset);
            for (Channel ch : channels) {
                if (ch.payer().equals(a) && ch.asset().equals(asset) && ch.state() != ChannelState.CLOSED
                        && ch.state() != ChannelState.SETTLED) {
                    locked = locked.plus(ch.remaining());
                }
            }
            updateState(CHANNEL_LOCKED, Money.toState(locked));
            updateState(CHANNEL_SPENT_TODAY, Money.toState(spentToday(a, asset, channels)));
        } catch (RuntimeException e) {
            logger.debug("Channel totals of {} not available: {}", a, e.getMessage());
        }
    }

    /**
     * What this account paid in sessions active today (the sessions' latest vouchers; a session running over
     * midnight counts on the day of its last update).
     */
    private Amount spentToday(AccountId a, Asset asset, List<Channel> channels) {
        ZoneId zone = dayZone != null ? dayZone : clock.getZone();
        LocalDate today = LocalDate.now(clock.withZone(zone));
        Set<io.iotpay.api.channel.ChannelId> mine = new HashSet<>();
        for (Channel ch : channels) {
            if (ch.payer().equals(a)) {
                mine.add(ch.id());
            }
        }
        Amount total = Amount.zero(asset);
        for (SessionSnapshot s : engine.sessions()) {
            if (s.role() == SessionRole.CONSUMER && s.channel() != null && mine.contains(s.channel())
                    && s.paid().asset().equals(asset) && s.updatedAt().atZone(zone).toLocalDate().equals(today)) {
                total = total.plus(s.paid());
            }
        }
        return total;
    }

    @Override
    public void connectorChanged(ChainId changed) {
        if (changed.equals(chain)) {
            scheduler.execute(this::refresh);
        }
    }

    @Override
    public void handleCommand(ChannelUID channelUID, Command command) {
        if (command instanceof RefreshType) {
            scheduler.execute(this::refresh);
        }
    }

    @Override
    public void dispose() {
        connectors.removeListener(this);
        ScheduledFuture<?> job = refreshJob;
        if (job != null) {
            job.cancel(true);
            refreshJob = null;
        }
        super.dispose();
    }

    @Override
    public Collection<Class<? extends ThingHandlerService>> getServices() {
        return List.of(WalletActions.class);
    }

    // ---- used by child handlers and actions ----

    public Wallet wallet() {
        return wallet;
    }

    public ChannelEngine engine() {
        return engine;
    }

    public @Nullable AccountId account() {
        return account;
    }

    public @Nullable ChainId chain() {
        return chain;
    }

    /** The running connector of this bridge's chain, or null. */
    public @Nullable ChainConnector connector() {
        ChainId c = chain;
        return c == null ? null : connectors.get(c);
    }

    /** The asset payments are made in: the connector's native asset, or the policy's asset while it is away. */
    public @Nullable Asset asset() {
        ChainConnector connector = connector();
        if (connector != null) {
            try {
                return connector.nativeAsset();
            } catch (RuntimeException e) {
                logger.debug("Native asset not available: {}", e.getMessage());
            }
        }
        return policyAsset;
    }

    /**
     * Transfers money on chain from this bridge's account; the wallet's spending policy applies.
     *
     * @throws IllegalArgumentException for bad input, IllegalStateException when the bridge cannot pay now
     */
    public TxHash pay(String payee, String amount) {
        ChainId c = chain;
        AccountId a = account;
        if (c == null || a == null || getThing().getStatus() != ThingStatus.ONLINE) {
            throw new IllegalStateException("wallet " + getThing().getUID() + " is not ONLINE ("
                    + getThing().getStatusInfo() + ")");
        }
        ChainConnector connector = connector();
        if (connector == null) {
            throw new IllegalStateException("no chain connector for " + c + " is running");
        }
        AccountId to = toAccount(payee, c);
        Amount value = Money.parse(amount, connector.nativeAsset(), "amount");
        if (value.isZero()) {
            throw new IllegalArgumentException("amount must be greater than zero");
        }
        TxHash tx = connector.transfer(a, to, value);
        scheduler.execute(this::refresh);
        return tx;
    }

    /** The native balance of this bridge's account, in whole units. */
    public BigDecimal balance() {
        AccountId a = account;
        ChainConnector connector = connector();
        if (a == null || connector == null) {
            throw new IllegalStateException("wallet " + getThing().getUID() + " has no running chain connector");
        }
        return connector.balance(a, connector.nativeAsset()).toBigDecimal();
    }

    /**
     * Records data with the IOTPAY notary (Merkle batch, anchored on chain later).
     *
     * @throws IllegalStateException when no notary service is installed
     */
    public LeafRef notarize(String stream, byte[] data) {
        Notary notary = optional.notary();
        if (notary == null) {
            throw new IllegalStateException("the IOTPAY notary service is not running");
        }
        return notary.record(stream, data);
    }

    /**
     * Verifies a device certificate chain with the IOTPAY device identity service.
     *
     * @throws IllegalStateException when no identity service is installed
     */
    public VerificationResult verifyCertificate(String pemChain) {
        DeviceIdentity identity = optional.identity();
        if (identity == null) {
            throw new IllegalStateException("the IOTPAY device identity service is not running");
        }
        return identity.verify(pemChain);
    }
}
