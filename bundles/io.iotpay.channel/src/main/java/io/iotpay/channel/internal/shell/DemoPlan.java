package io.iotpay.channel.internal.shell;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;
import io.iotpay.channel.internal.engine.Credit;

/**
 * The numbers and decisions of {@code iotpay:demo}, without Karaf or OSGi types (unit-tested on their own).
 * <p>
 * One runtime plays both sides on the local devnet: {@value #SELLER} (anvil's development account #1) sells the
 * simulated 2 kW plug {@value #PLUG} at {@value #PRICE}; {@value #BUYER} (account #2) buys over the node's own peer
 * endpoint. The plug's clock runs {@value #CLOCK_SPEED} times faster, and the engine's {@code clockSpeed} must be the
 * same: the provider's credit check projects the next meter interval as {@code tickMs x clockSpeed} of simulated time,
 * so an engine left at 1 would under-project the plug's consumption 60-fold and could deliver past the credit window.
 */
public final class DemoPlan {

    /** The only chain the demo runs on: its keys are public. */
    public static final ChainId CHAIN = ChainId.DEVNET;
    public static final String SELLER = "demo-seller";
    public static final String BUYER = "demo-buyer";
    public static final String PLUG = "demo-plug";
    public static final String PRICE = "0.3 ETH/kWh";
    public static final long POWER_WATTS = 2000;
    /** One simulated minute per real second: 10 simulated minutes take about 10 s. */
    public static final long CLOCK_SPEED = 60;
    /** Factory PID and configuration name of the demo plug ({@code io.iotpay.channel.simplug~demo}). */
    public static final String PLUG_FACTORY_PID = "io.iotpay.channel.simplug";
    public static final String PLUG_CONFIG_NAME = "demo";
    public static final String ENGINE_PID = "io.iotpay.channel";

    /**
     * Anvil's well-known development accounts #1 and #2 of the public mnemonic {@code test test ... junk}
     * (m/44'/60'/0'/0/1 and /2), funded with devnet ETH by anvil at genesis. PUBLIC keys: devnet only.
     */
    static final String SELLER_KEY = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    static final String BUYER_KEY = "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
    public static final String SELLER_ADDRESS = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    public static final String BUYER_ADDRESS = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

    /** How to start a runtime whose wallet can hold the demo keys. */
    public static final String PASSPHRASE_HINT = "the wallet has no passphrase, so it cannot hold the demo accounts."
            + " Type logout, then start IOTPAY with one, e.g.: IOTPAY_WALLET_PASSPHRASE='choose a long one'"
            + " ./iotpay run   (then type iotpay:demo again)";

    private DemoPlan() {
    }

    static byte[] sellerKey() {
        return HexFormat.of().parseHex(SELLER_KEY);
    }

    static byte[] buyerKey() {
        return HexFormat.of().parseHex(BUYER_KEY);
    }

    /**
     * Refuses every chain but the devnet, and the devnet before its connector is registered.
     *
     * @param chain the chain asked for
     * @param devnetRegistered whether the engine has a connector for {@code eip155:31337}
     * @throws IllegalArgumentException on another chain (the demo keys are public)
     * @throws IllegalStateException while the devnet chain is not registered
     */
    static void checkChain(ChainId chain, boolean devnetRegistered) {
        if (!CHAIN.equals(chain)) {
            throw new IllegalArgumentException("iotpay:demo runs on the local devnet " + CHAIN + " only, not on "
                    + chain + ": its two accounts use anvil's PUBLIC development keys, which anybody can spend from");
        }
        if (!devnetRegistered) {
            throw new IllegalStateException("the devnet chain " + CHAIN + " is not registered yet: the devnet starts"
                    + " anvil and deploys the contracts first (a minute at most; /iotpay/api/status lists it under"
                    + " chains when it is ready); if it never comes, check etc/io.iotpay.devnet.cfg"
                    + " (enabled=true) and log:display");
        }
    }

    /**
     * The changes the engine configuration (PID {@code io.iotpay.channel}) needs for the demo: {@code clockSpeed}
     * equal to the plug's, and {@code providerAccount} = {@value #SELLER} when it is empty.
     *
     * @param current the current properties (null: none)
     * @return the properties to set (empty: nothing to change)
     * @throws IllegalStateException when {@code providerAccount} names another account: the provider account is
     *         node-wide and the demo does not take it over
     */
    static Map<String, Object> engineChanges(Map<String, Object> current) {
        Map<String, Object> changes = new LinkedHashMap<>();
        Object speed = current == null ? null : current.get("clockSpeed");
        if (speed == null || !String.valueOf(CLOCK_SPEED).equals(String.valueOf(speed).trim())) {
            changes.put("clockSpeed", CLOCK_SPEED);
        }
        Object provider = current == null ? null : current.get("providerAccount");
        String p = provider == null ? "" : String.valueOf(provider).trim();
        if (p.isEmpty()) {
            changes.put("providerAccount", SELLER);
        } else if (!p.equalsIgnoreCase(SELLER) && !p.equalsIgnoreCase(SELLER_ADDRESS)) {
            throw new IllegalStateException("this node's provider account is \"" + p + "\" (providerAccount in PID "
                    + ENGINE_PID + "); the demo sells as " + SELLER + " and does not take a configured payee over."
                    + " Run the demo in a fresh runtime, or clear it: config:property-delete -p " + ENGINE_PID
                    + " providerAccount");
        }
        return changes;
    }

    /** The engine's meter tick in milliseconds from its configuration (default 1000, at least 10, as the engine). */
    static long tickMs(Map<String, Object> current) {
        Object v = current == null ? null : current.get("tickMs");
        if (v == null) {
            return 1000;
        }
        return Math.max(10, Long.parseLong(String.valueOf(v).trim()));
    }

    static Price price(Asset asset) {
        return Price.parse(PRICE, asset);
    }

    /** Energy the plug delivers in {@code minutes} simulated minutes, in mWh (rounded down). */
    static BigInteger energyMilliWattHours(long minutes) {
        // W x min / 60 = Wh; x 1000 = mWh
        return BigInteger.valueOf(POWER_WATTS).multiply(BigInteger.valueOf(minutes)).multiply(BigInteger.valueOf(1000))
                .divide(BigInteger.valueOf(60));
    }

    /** What {@code minutes} simulated minutes cost (rounded down, as the engine). */
    static Amount cost(Price price, long minutes) {
        return Credit.owed(price, energyMilliWattHours(minutes));
    }

    /**
     * The credit window of the demo offer: three projected meter intervals ({@code tickMs x clockSpeed} of simulated
     * time each) and at least 0.05 ETH. The consumer pays after delivery and polls once per tick, so a voucher lands
     * one or two ticks after the receipt it pays; three intervals keep the session running without pauses while the
     * provider still never delivers more than this window unpaid.
     */
    static Amount creditWindow(Price price, long tickMs) {
        long simulatedMs = Math.multiplyExact(tickMs, CLOCK_SPEED);
        // mWh in three projected intervals: W x ms / 3,600,000 ms/h x 1000 mWh/Wh, rounded up
        BigInteger[] qr = BigInteger.valueOf(POWER_WATTS).multiply(BigInteger.valueOf(simulatedMs))
                .multiply(BigInteger.valueOf(3)).divideAndRemainder(BigInteger.valueOf(3600));
        BigInteger intervals = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        Amount three = price.costOf(intervals, RoundingMode.CEILING);
        return three.max(Amount.parse("0.05", price.asset()));
    }

    /** The purchase budget (and channel deposit): the session's cost plus five minutes and the credit window. */
    static Amount budget(Price price, long minutes, Amount creditWindow) {
        return cost(price, minutes + 5).plus(creditWindow);
    }

    /** Human units and base units, e.g. {@code 0.0999999 ETH (99999900000000000)}. */
    static String amount(Amount a) {
        return a.toDecimalString() + " " + a.asset().symbol() + " (" + a.units() + ")";
    }

    /** mWh as kWh, e.g. {@code 0.333333 kWh (333333 mWh)}. */
    static String energy(BigInteger milliWattHours) {
        return new java.math.BigDecimal(milliWattHours).movePointLeft(6).stripTrailingZeros().toPlainString()
                + " kWh (" + milliWattHours + " " + MeteringUnit.KILOWATT_HOUR.subunitSymbol() + ")";
    }

    /** One live line. */
    static String liveLine(long simulatedSeconds, String state, BigInteger delivered, Amount owed, Amount paid) {
        return String.format("[%2d:%02d sim] %-8s energy %s  owed %s  paid (latest voucher) %s",
                simulatedSeconds / 60, simulatedSeconds % 60, state, energy(delivered), amount(owed), amount(paid));
    }

    /** The outcome of a demo session. */
    record Outcome(BigInteger delivered, Price price, Amount expected, Amount paid, Amount claimedInSession,
            Amount claimedTotal) {

        /** Energy x price (rounded down) was paid by the last voucher and claimed on chain. */
        boolean matches() {
            return expected.equals(paid) && expected.equals(claimedInSession);
        }

        String finalLine() {
            return "Settled: " + energy(delivered) + " x " + price + " = " + amount(expected) + "; claimed on chain "
                    + amount(claimedInSession) + (claimedTotal.equals(claimedInSession) ? ""
                            : " (channel total " + amount(claimedTotal) + ")")
                    + (matches() ? "; MATCH: claimed = energy x price, rounded down to the base unit"
                            + " (docs/protocol.md, Rounding)"
                            : "; MISMATCH: last voucher paid " + amount(paid));
        }
    }

    static Outcome outcome(BigInteger delivered, Price price, Amount paid, Amount claimedBefore, Amount claimedAfter) {
        return new Outcome(delivered, price, Credit.owed(price, delivered), paid, claimedAfter.minus(claimedBefore),
                claimedAfter);
    }
}
