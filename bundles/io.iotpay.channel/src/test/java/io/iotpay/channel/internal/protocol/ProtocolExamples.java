package io.iotpay.channel.internal.protocol;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.money.Amount;
import io.iotpay.channel.internal.engine.Credit;
import io.iotpay.channel.internal.testing.Fixture;

/**
 * Prints a real message exchange (offer, open, start, receipts, vouchers, pause, resume, stop) between two in-memory
 * nodes, as used in docs/protocol.md. Run by hand: {@code java -cp ... ProtocolExamples <tmpdir>}.
 */
public final class ProtocolExamples {

    public static void main(String[] args) {
        try (Fixture f = new Fixture(Path.of(args[0]), Fixture.price("0.3"), Fixture.eth("0.001"), Fixture.eth("0"),
                Fixture.eth("0.01"), 2_000_000)) {
            MessageCodec c = f.codec;
            print("OFFER (provider)", c.encodePretty(f.offerMessage));
            var cs = io.iotpay.channel.internal.engine.ConsumerSession.create(f.consumerContext(f.payerSigner()),
                    f.offerMessage, f.terms(Fixture.eth("0.005"), Fixture.eth("0")));
            SignedMessage open = cs.open("0x" + "ab".repeat(32));
            print("OPEN_SESSION (consumer)", c.encodePretty(open));
            var ps = io.iotpay.channel.internal.engine.ProviderSession.accept(f.providerContext(), f.offer,
                    f.json(f.offerMessage), f.plug, c.decode(c.encode(open)));
            SignedMessage start = ps.start();
            print("START (provider)", c.encodePretty(start));
            cs.onMessage(c.decode(c.encode(start)));
            f.clock.advance(f.meterInterval);
            List<SignedMessage> receipts = ps.tick();
            print("RECEIPT (provider)", c.encodePretty(receipts.get(0)));
            List<SignedMessage> vouchers = cs.onMessage(c.decode(c.encode(receipts.get(0))));
            print("VOUCHER (consumer)", c.encodePretty(vouchers.get(0)));
            ps.onMessage(c.decode(c.encode(vouchers.get(0))));
            SignedMessage pause = cs.pause();
            print("PAUSE (consumer)", c.encodePretty(pause));
            ps.onMessage(c.decode(c.encode(pause)));
            SignedMessage resume = cs.resume();
            print("RESUME (consumer)", c.encodePretty(resume));
            ps.onMessage(c.decode(c.encode(resume)));
            SignedMessage stop = cs.stop();
            print("STOP (consumer)", c.encodePretty(stop));
            try {
                ps.onMessage(c.decode(c.encode(vouchers.get(0))));
            } catch (io.iotpay.api.channel.ProtocolException e) {
                SignedMessage err = c.sign(new Envelope(1, MessageType.ERROR, f.providerDevice.account(), cs.id(),
                        0, f.clock.instant()), new Body.Error(e.code(), e.getMessage(),
                                vouchers.get(0).envelope().seq()), f.providerDevice.messageSigner());
                print("ERROR (provider refusing the replayed voucher)", c.encodePretty(err));
            }
            SignedMessage topUp = c.sign(new Envelope(1, MessageType.TOP_UP, f.consumerDevice.account(), cs.id(), 6,
                    f.clock.instant()), new Body.TopUp(f.channel, new BigInteger("20000000000000000"),
                            "0x" + "cd".repeat(32)), f.consumerDevice.messageSigner());
            print("TOP_UP (consumer)", c.encodePretty(topUp));
            List<SignedMessage> afterStop = ps.onMessage(c.decode(c.encode(stop)));
            for (SignedMessage m : afterStop) {
                for (SignedMessage r : cs.onMessage(c.decode(c.encode(m)))) {
                    ps.onMessage(c.decode(c.encode(r)));
                }
            }
            SignedMessage close = cs.close();
            print("CLOSE (consumer asks)", c.encodePretty(close));
            SignedMessage closeAnswer = ps.onMessage(c.decode(c.encode(close))).get(0);
            print("CLOSE (provider answers)", c.encodePretty(closeAnswer));
            cs.onMessage(c.decode(c.encode(closeAnswer)));
            print("canonical bytes of the RECEIPT (what is signed, after the tag \"IOTPAY-PEER/1\\n\", without sig)",
                    new String(c.signingPayload(receipts.get(0).envelope(), receipts.get(0).body()),
                            java.nio.charset.StandardCharsets.UTF_8));
            Amount owed = Credit.owed(f.offer.price(), ps.delivered());
            System.out.println("delivered " + ps.delivered() + " mWh, owed " + owed + " " + ErrorCode.values().length);
        }
    }

    private static void print(String title, String json) {
        System.out.println("### " + title);
        System.out.println(json);
    }
}
