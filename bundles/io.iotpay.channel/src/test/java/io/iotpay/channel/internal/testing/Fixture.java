package io.iotpay.channel.internal.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;
import io.iotpay.channel.internal.engine.ConsumerSession;
import io.iotpay.channel.internal.engine.ProviderSession;
import io.iotpay.channel.internal.engine.VoucherSigner;
import io.iotpay.channel.internal.engine.VoucherVerifier;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.Envelope;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.sim.PowerProfile;
import io.iotpay.channel.internal.sim.SimulatedPlug;
import io.iotpay.channel.internal.store.ChannelStore;
import io.iotpay.channel.internal.store.JdbcChannelStore;

/**
 * A provider and a consumer node in one JVM: real keys, real codec, real SQLite stores, a simulated 2 kW plug, an
 * in-memory settlement scheme holding one open channel. Every message crosses as canonical JSON bytes.
 */
public final class Fixture implements AutoCloseable {

    public static final ChainId CHAIN = ChainId.DEVNET;
    public static final Asset ETH = Asset.DEVNET_ETH;
    public static final AccountId CONTRACT = AccountId.of(CHAIN, "0x5fbdb2315678afecb367f032d93f642f64180aa3");

    public final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    public final MessageCodec codec = new MessageCodec();
    public final TestKey providerDevice = TestKey.random(CHAIN);
    public final TestKey payee = TestKey.random(CHAIN);
    public final TestKey consumerDevice = TestKey.random(CHAIN);
    public final TestKey payer = TestKey.random(CHAIN);
    public final FakeScheme scheme = new FakeScheme(CONTRACT);
    public final ChannelId channel = new ChannelId(randomBytes());
    public final ChannelStore providerStore;
    public final ChannelStore consumerStore;
    public final SimulatedPlug plug;
    public final Offer offer;
    public final SignedMessage offerMessage;
    public Amount deposit;
    public final Duration meterInterval = Duration.ofSeconds(1);
    /** Vouchers the consumer signed (for replay tests). */
    public final List<SignedMessage> consumerSent = new ArrayList<>();

    public Fixture(Path dir, Price price, Amount creditWindow, Amount prepayWindow, Amount deposit, long milliwatts) {
        providerStore = JdbcChannelStore.sqlite(dir.resolve("provider.db"));
        consumerStore = JdbcChannelStore.sqlite(dir.resolve("consumer.db"));
        plug = new SimulatedPlug("plug-1", MeteringUnit.KILOWATT_HOUR, PowerProfile.constant(milliwatts), clock);
        offer = new Offer("offer-1", payee.account(), "plug-1", price, CONTRACT, scheme.id(), Amount.zero(ETH),
                creditWindow, prepayWindow, Duration.ofHours(1), URI.create("http://127.0.0.1:8181/iotpay/v1"), null,
                MessageCodec.VERSION);
        offerMessage = codec.sign(new Envelope(MessageCodec.VERSION, io.iotpay.channel.internal.protocol.MessageType.OFFER,
                providerDevice.account(), null, 0, clock.instant()), new Body.OfferBody(offer),
                providerDevice.messageSigner());
        this.deposit = deposit;
        scheme.put(channel, payer.account(), payee.account(), deposit);
    }

    public static Price price(String perKwh) {
        return Price.parse(perKwh + " ETH/kWh", ETH);
    }

    public static Amount eth(String decimal) {
        return Amount.parse(decimal, ETH);
    }

    public ProviderSession.Context providerContext() {
        return new ProviderSession.Context(codec, providerDevice.messageSigner(), clock, providerStore,
                VoucherVerifier.of(scheme), scheme::channel, meterInterval, (ch, fin) -> payee.signHash(
                        Eip712Voucher.closeDigest(CONTRACT, ch, fin.units())));
    }

    public VoucherSigner payerSigner() {
        return (intent, voucher, domain) -> payer.signHash(Eip712Voucher.digest(domain.verifyingContract(),
                voucher.channel(), voucher.cumulative().units()));
    }

    public ConsumerSession.Context consumerContext(VoucherSigner signer) {
        return new ConsumerSession.Context(codec, consumerDevice.messageSigner(), clock, consumerStore, signer, "1",
                scheme);
    }

    public ConsumerSession.Terms terms(Amount budget, Amount prepay) {
        return new ConsumerSession.Terms(payer.account(), channel, deposit, budget, offer.price(), prepay);
    }

    /** Sends a message over the "wire": encode to bytes, decode on the other side. */
    public SignedMessage wire(SignedMessage m) {
        byte[] bytes = codec.encode(m);
        return codec.decode(bytes);
    }

    public String json(SignedMessage m) {
        return new String(codec.encode(m), StandardCharsets.UTF_8);
    }

    /** A connected pair, started. */
    public Pair pair(Amount budget, Amount prepay) {
        return pair(budget, prepay, payerSigner());
    }

    public Pair pair(Amount budget, Amount prepay, VoucherSigner signer) {
        ConsumerSession c = ConsumerSession.create(consumerContext(signer), wire(offerMessage), terms(budget, prepay));
        SignedMessage open = wire(c.open("0x" + "ab".repeat(32)));
        ProviderSession p = ProviderSession.accept(providerContext(), offer, json(offerMessage), plug, open);
        Pair pair = new Pair(p, c);
        pair.toConsumer(List.of(p.start()));
        return pair;
    }

    /** Provider and consumer connected through the codec; each delivery forwards the replies back and forth. */
    public final class Pair {
        public ProviderSession provider;
        public ConsumerSession consumer;
        public boolean consumerAlive = true;

        Pair(ProviderSession provider, ConsumerSession consumer) {
            this.provider = provider;
            this.consumer = consumer;
        }

        private final java.util.ArrayDeque<SignedMessage> toC = new java.util.ArrayDeque<>();
        private final java.util.ArrayDeque<SignedMessage> toP = new java.util.ArrayDeque<>();

        /** Queues messages for the consumer and delivers everything pending, in order per direction. */
        public void toConsumer(List<SignedMessage> msgs) {
            toC.addAll(msgs);
            pump();
        }

        public void toProvider(List<SignedMessage> msgs) {
            toP.addAll(msgs);
            pump();
        }

        private boolean pumping;

        private void pump() {
            if (pumping) {
                return;
            }
            pumping = true;
            try {
                while (!toC.isEmpty() || !toP.isEmpty()) {
                    SignedMessage m = toC.poll();
                    if (m != null) {
                        if (consumerAlive) {
                            List<SignedMessage> replies = consumer.onMessage(wire(m));
                            consumerSent.addAll(replies);
                            toP.addAll(replies);
                        }
                        continue;
                    }
                    toC.addAll(provider.onMessage(wire(toP.poll())));
                }
            } finally {
                toC.clear();
                toP.clear();
                pumping = false;
            }
        }

        /** One meter interval of simulated time. */
        public void step() {
            clock.advance(meterInterval);
            toConsumer(provider.tick());
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    public SessionId sessionOf(Pair p) {
        return p.consumer.id();
    }

    @Override
    public void close() {
        providerStore.close();
        consumerStore.close();
    }
}
