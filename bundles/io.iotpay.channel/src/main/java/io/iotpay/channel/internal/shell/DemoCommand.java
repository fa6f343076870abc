package io.iotpay.channel.internal.shell;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.Channel;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.PurchaseRequest;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.Price;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.channel.internal.engine.Credit;
import io.iotpay.channel.internal.osgi.ChannelEngineComponent;
import io.iotpay.channel.internal.store.StoredVoucher;

/**
 * {@code iotpay:demo}: a paid session between two identities of this runtime on the local devnet, over the node's
 * own peer endpoint (loopback HTTP), settled on chain. See {@link DemoPlan} for the numbers.
 */
@Service
@Command(scope = "iotpay", name = "demo", description = "Devnet only: seller demo-seller sells a simulated 2 kW plug"
        + " (demo-plug, 60x clock) at 0.3 ETH/kWh, buyer demo-buyer buys N simulated minutes over this node's own"
        + " peer endpoint, then the seller claims on chain. The two accounts are imported from anvil's PUBLIC"
        + " development keys (mnemonic 'test test ... junk', accounts #1 and #2): the command refuses any chain but"
        + " the devnet eip155:31337. It sets clockSpeed=60 (and providerAccount=demo-seller if empty) in PID"
        + " io.iotpay.channel, which restarts the channel engine once.")
public class DemoCommand extends ChannelCommand {

    @Option(name = "--minutes", description = "simulated minutes to buy (default 10; 60x clock: about 1 s each)")
    long minutes = 10;

    @Option(name = "--chain", description = "must be the devnet, eip155:31337 (the demo keys are public)")
    String chain = DemoPlan.CHAIN.toString();

    @Reference
    ConfigurationAdmin configAdmin;

    @Reference
    BundleContext bundleContext;

    @Override
    public Object execute() throws Exception {
        if (minutes < 1 || minutes > 600) {
            throw new IllegalArgumentException("--minutes must be between 1 and 600");
        }
        ChainId chainId = ChainId.parse(chain.trim());
        DemoPlan.checkChain(chainId, true); // the devnet, or nothing (its keys are public)

        // 1. the two identities (first: a wallet without passphrase needs a restart, say so before anything else)
        AccountId seller = demoAccount(DemoPlan.SELLER, DemoPlan.sellerKey(), DemoPlan.SELLER_ADDRESS);
        AccountId buyer = demoAccount(DemoPlan.BUYER, DemoPlan.buyerKey(), DemoPlan.BUYER_ADDRESS);
        DemoPlan.checkChain(chainId, engine.chains().contains(DemoPlan.CHAIN));
        say("Seller " + DemoPlan.SELLER + " " + seller.address() + ", buyer " + DemoPlan.BUYER + " "
                + buyer.address() + " (anvil's public development accounts #1 and #2, devnet ETH)");

        // 2. the plug, and the engine's clock speed / provider account to match it
        ensurePlug();
        ChannelEngineComponent eng = ensureEngineConfig();
        await("the channel engine sees the devnet chain and " + DemoPlan.PLUG, Duration.ofSeconds(60),
                () -> currentEngine().chains().contains(DemoPlan.CHAIN)
                        && currentEngine().deviceIds().contains(DemoPlan.PLUG));
        eng = currentEngine();

        // 3. the seller's offer
        Asset asset = eng.nativeAsset(DemoPlan.CHAIN);
        Price price = DemoPlan.price(asset);
        long tickMs = DemoPlan.tickMs(engineProperties());
        Amount credit = DemoPlan.creditWindow(price, tickMs);
        Offer offer = eng.publishOffer(DemoPlan.PLUG, price, credit, credit);
        if (!offer.payee().address().equalsIgnoreCase(seller.address())) {
            throw new IllegalStateException("the offer's payee is " + offer.payee() + ", not " + DemoPlan.SELLER
                    + ": the channel engine resolved another provider account; restart the runtime and run the demo"
                    + " again");
        }
        URI url = URI.create(offer.endpoint() + "/offers/" + offer.offerId());
        say("Offer " + offer.offerId() + ": " + DemoPlan.PLUG + " at " + offer.price() + ", credit window "
                + DemoPlan.amount(credit) + ", payee " + DemoPlan.SELLER);
        say("  url " + url);

        // 4. the buyer's policy and purchase
        Amount budget = DemoPlan.budget(price, minutes, credit);
        allowDemo(buyer, price, budget);
        try {
            eng.node().settle(); // vouchers of an earlier, interrupted demo: claimed first, so this one counts alone
        } catch (RuntimeException e) {
            say("(earlier vouchers not claimed yet: " + e.getMessage() + ")");
        }
        SessionSnapshot s = eng.startPurchase(new PurchaseRequest(url, budget, price, buyer));
        SessionId id = s.id();
        ChannelId channel = s.channel();
        Amount claimedBefore = claimedOnChain(eng, channel, asset);
        say("Session " + id + " " + s.state() + " on channel " + channel.toHex() + " (budget "
                + DemoPlan.amount(budget) + ")");

        // 5. live lines until the simulated minutes are delivered
        BigInteger target = DemoPlan.energyMilliWattHours(minutes);
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(minutes * 60 / DemoPlan.CLOCK_SPEED * 3 + 60).toNanos();
        boolean interrupted = false;
        long nextLine = started;
        try {
            while (true) {
                s = eng.session(id).orElseThrow();
                boolean done = s.deliveredQuantity().compareTo(target) >= 0;
                if (System.nanoTime() >= nextLine || done) {
                    say(DemoPlan.liveLine(simulatedSeconds(started), s.state().name(), s.deliveredQuantity(),
                            Credit.owed(price, s.deliveredQuantity()), s.paid()));
                    nextLine += 1_000_000_000L;
                }
                if (s.state() == SessionState.FAILED || s.state() == SessionState.STOPPED) {
                    throw new IllegalStateException("session " + id + " " + s.state() + ": " + s.detail());
                }
                if (done) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    say("(time is up before " + minutes + " simulated minutes were delivered; stopping)");
                    break;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            interrupted = true; // Ctrl-C: stop and settle what was delivered
            say("Interrupted: stopping the session and settling what was delivered");
        }

        // 6. stop, claim, read back from the chain
        eng.stop(id);
        ChannelEngineComponent e2 = eng;
        await("the session stopped and the seller holds the final voucher", Duration.ofSeconds(60), () -> {
            SessionSnapshot now = e2.session(id).orElseThrow();
            Optional<StoredVoucher> sold = e2.node().latestVoucher(channel, SessionRole.PROVIDER);
            Optional<StoredVoucher> bought = e2.node().latestVoucher(channel, SessionRole.CONSUMER);
            return now.state() == SessionState.STOPPED && bought.isPresent() && sold.isPresent()
                    && sold.get().cumulative().equals(bought.get().cumulative());
        });
        s = eng.session(id).orElseThrow();
        BigInteger held = eng.node().latestVoucher(channel, SessionRole.PROVIDER).orElseThrow().cumulative();
        await("the seller's claim is mined", Duration.ofSeconds(90), () -> {
            if (claimedOnChain(e2, channel, asset).units().compareTo(held) >= 0) {
                return true;
            }
            e2.node().settle();
            return claimedOnChain(e2, channel, asset).units().compareTo(held) >= 0;
        });
        Amount claimedAfter = claimedOnChain(eng, channel, asset);
        say(DemoPlan.liveLine(simulatedSeconds(started), s.state().name(), s.deliveredQuantity(),
                Credit.owed(price, s.deliveredQuantity()), s.paid()));
        DemoPlan.Outcome outcome = DemoPlan.outcome(s.deliveredQuantity(), price, s.paid(), claimedBefore,
                claimedAfter);
        say(outcome.finalLine());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!outcome.matches()) {
            throw new IllegalStateException("the claimed amount does not match energy x price: " + outcome.finalLine());
        }
        return null;
    }

    /** Simulated seconds since {@code started} (System.nanoTime()) at the plug's clock speed. */
    private static long simulatedSeconds(long started) {
        return (System.nanoTime() - started) / 1_000_000L * DemoPlan.CLOCK_SPEED / 1000;
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    /** The wallet account of a demo identity, imported from its public devnet key if missing. */
    private AccountId demoAccount(String alias, byte[] key, String address) {
        try {
            Optional<AccountInfo> existing = wallet.account(alias);
            if (existing.isPresent() && !existing.get().account().address().equalsIgnoreCase(address)) {
                throw new IllegalStateException("the wallet account \"" + alias + "\" is "
                        + existing.get().account().address() + ", not the demo's " + address
                        + "; rename or remove it to run the demo");
            }
            AccountInfo info = existing.or(() -> wallet.account(address)).orElse(null);
            if (info == null) {
                try {
                    info = wallet.importPrivateKey(alias, DemoPlan.CHAIN, key);
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(DemoPlan.PASSPHRASE_HINT, e);
                }
            }
            AccountId id = AccountId.of(DemoPlan.CHAIN, info.account().address());
            if (info.locked()) {
                try {
                    wallet.unlock(info.account());
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(DemoPlan.PASSPHRASE_HINT, e);
                }
            }
            return id;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The buyer may pay the demo: devnet play money, price capped at the demo price, no approval step. */
    private void allowDemo(AccountId buyer, Price price, Amount budget) {
        SpendingPolicy p = wallet.policy(buyer);
        Amount day = Amount.parse("100", price.asset()).max(budget);
        wallet.setPolicy(buyer, new SpendingPolicy(null, day, Map.of(), price, Set.of(), null,
                p == null ? ZoneId.of("UTC") : p.dayZone()));
    }

    private void ensurePlug() throws IOException {
        Configuration c = configAdmin.getFactoryConfiguration(DemoPlan.PLUG_FACTORY_PID, DemoPlan.PLUG_CONFIG_NAME,
                "?");
        Hashtable<String, Object> want = new Hashtable<>();
        want.put("deviceId", DemoPlan.PLUG);
        want.put("powerWatts", DemoPlan.POWER_WATTS);
        want.put("unit", "kWh");
        want.put("clockSpeed", DemoPlan.CLOCK_SPEED);
        Map<String, Object> now = map(c.getProperties());
        boolean same = want.entrySet().stream()
                .allMatch(e -> now.get(e.getKey()) != null && String.valueOf(now.get(e.getKey())).trim()
                        .equals(String.valueOf(e.getValue())));
        if (!same) {
            c.update(want);
            say("Registered " + DemoPlan.PLUG + ": simulated " + DemoPlan.POWER_WATTS + " W plug, clock x"
                    + DemoPlan.CLOCK_SPEED + " (PID " + c.getPid() + ")");
        }
    }

    private Map<String, Object> engineProperties() throws IOException {
        return map(configAdmin.getConfiguration(DemoPlan.ENGINE_PID, null).getProperties());
    }

    /** Sets what the engine needs and waits for it to come back when it had to restart. */
    private ChannelEngineComponent ensureEngineConfig() throws IOException, InterruptedException {
        Configuration c = configAdmin.getConfiguration(DemoPlan.ENGINE_PID, null);
        Map<String, Object> changes = DemoPlan.engineChanges(map(c.getProperties()));
        if (changes.isEmpty()) {
            return currentEngine();
        }
        long before = serviceId();
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        changes.forEach(props::put);
        c.update(props);
        say("Set " + changes + " in PID " + DemoPlan.ENGINE_PID + " (the credit window projects tickMs x clockSpeed"
                + " of simulated time, so the engine's clock speed must equal the plug's); the channel engine"
                + " restarts");
        await("the channel engine restarts with the new configuration", Duration.ofSeconds(60),
                () -> serviceId() != before && serviceId() != -1);
        return currentEngine();
    }

    private long serviceId() {
        ServiceReference<ChannelEngineComponent> ref = bundleContext.getServiceReference(ChannelEngineComponent.class);
        return ref == null ? -1 : (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    /** The engine registered now (the injected one is gone after a configuration change). */
    private ChannelEngineComponent currentEngine() {
        ServiceReference<ChannelEngineComponent> ref = bundleContext.getServiceReference(ChannelEngineComponent.class);
        if (ref == null) {
            throw new IllegalStateException("the channel engine is not running");
        }
        ChannelEngineComponent c = bundleContext.getService(ref);
        bundleContext.ungetService(ref); // DS keeps it (immediate component); the command only borrows it
        if (c == null) {
            throw new IllegalStateException("the channel engine is not running");
        }
        return c;
    }

    private static Amount claimedOnChain(ChannelEngineComponent eng, ChannelId channel, Asset asset) {
        for (Channel c : eng.channels()) {
            if (c.id().equals(channel)) {
                return c.claimed() == null ? Amount.zero(asset) : c.claimed();
            }
        }
        return Amount.zero(asset);
    }

    private static Map<String, Object> map(Dictionary<String, Object> d) {
        Map<String, Object> m = new HashMap<>();
        if (d != null) {
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                m.put(k, d.get(k));
            }
        }
        return m;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("timed out waiting until " + what
                + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
    }
}
