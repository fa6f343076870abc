package io.iotpay.channel.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.Envelope;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.testing.Eip712Voucher;
import io.iotpay.channel.internal.testing.Fixture;

/**
 * Security review H1: the consumer's voucher base comes from its own store and the chain, never from the provider's
 * START alone.
 */
class ConsumerBaseTest {

    @TempDir
    Path dir;
    Fixture f;
    final AtomicInteger signed = new AtomicInteger();

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private Fixture fixture(long depositUnits) {
        // 1 ETH/kWh: one mWh costs 1e12 wei, so even a 1 mWh receipt makes the consumer sign the full capped target
        f = new Fixture(dir, Fixture.price("1"), Fixture.eth("0.001"), Fixture.eth("0"),
                Amount.ofUnits(BigInteger.valueOf(depositUnits), Fixture.ETH), 2_000_000L);
        return f;
    }

    private ConsumerSession consumer() {
        VoucherSigner real = f.payerSigner();
        VoucherSigner counting = (intent, voucher, domain) -> {
            signed.incrementAndGet();
            return real.sign(intent, voucher, domain);
        };
        ConsumerSession c = ConsumerSession.create(f.consumerContext(counting), f.wire(f.offerMessage),
                f.terms(Fixture.eth("1"), Fixture.eth("0")));
        c.open("0x" + "ab".repeat(32));
        return c;
    }

    /** A message from the provider's device key, as a malicious provider would build it. */
    private SignedMessage fromProvider(ConsumerSession c, long seq, Body body) {
        return f.wire(f.codec.sign(new Envelope(MessageCodec.VERSION, body.type(), f.providerDevice.account(), c.id(),
                seq, f.clock.instant()), body, f.providerDevice.messageSigner()));
    }

    @Test
    void startClaimingAHigherChannelCumulativeThanTheConsumerSignedIsRefusedAndNothingIsSigned() {
        fixture(100);
        ConsumerSession c = consumer();
        SignedMessage start = fromProvider(c, 1, new Body.Start(f.channel, BigInteger.valueOf(99),
                BigInteger.valueOf(100)));
        ProtocolException e = assertThrows(ProtocolException.class, () -> c.onMessage(start));
        assertEquals(ErrorCode.INVALID_STATE, e.code());
        assertTrue(e.getMessage().contains("99"), e.getMessage());
        assertEquals(SessionState.FAILED, c.state());
        // a receipt for one unit afterwards is refused as well: the consumer never signs
        SignedMessage receipt = fromProvider(c, 2, new Body.ReceiptBody(BigInteger.ONE));
        assertThrows(ProtocolException.class, () -> c.onMessage(receipt));
        assertEquals(0, signed.get());
        assertTrue(f.consumerStore.latestVoucher(f.channel, SessionRole.CONSUMER).isEmpty());
        assertEquals(BigInteger.ZERO, c.lastSigned().units());
        // the refusal is durable
        assertEquals(SessionState.FAILED, f.consumerStore.session(c.id(), SessionRole.CONSUMER).orElseThrow().state());
    }

    @Test
    void honestStartAtTheConsumersOwnBaseRunsAndVouchersBuildOnIt() {
        fixture(1_000_000_000_000_000L);
        ConsumerSession c = consumer();
        List<SignedMessage> out = c.onMessage(fromProvider(c, 1, new Body.Start(f.channel, BigInteger.ZERO,
                BigInteger.valueOf(1_000_000_000_000_000L))));
        assertTrue(out.isEmpty());
        assertEquals(SessionState.RUNNING, c.state());
        c.onMessage(fromProvider(c, 2, new Body.ReceiptBody(BigInteger.ONE)));
        assertEquals(BigInteger.valueOf(1_000_000_000_000L), c.lastSigned().units());
        assertEquals(1, signed.get());
    }

    @Test
    void aHigherBaseIsAcceptedWhenTheChainShowsItClaimedWithOurVoucher() {
        long deposit = 1_000_000_000_000_000L;
        fixture(deposit);
        Amount claimed = Amount.ofUnits(BigInteger.valueOf(400_000_000_000_000L), Fixture.ETH);
        // the payee claimed a voucher this payer signed (e.g. on another node of the same payer); the contract
        // checked the payer's signature, so the chain's claimed amount is proof
        f.scheme.claim(f.payee.account(), new Voucher(f.channel, Fixture.CONTRACT, claimed,
                f.payer.signHash(Eip712Voucher.digest(Fixture.CONTRACT, f.channel, claimed.units()))));
        ConsumerSession c = consumer();
        c.onMessage(fromProvider(c, 1, new Body.Start(f.channel, claimed.units(), BigInteger.valueOf(deposit))));
        assertEquals(SessionState.RUNNING, c.state());
        assertEquals(claimed, c.base());
        c.onMessage(fromProvider(c, 2, new Body.ReceiptBody(BigInteger.ONE)));
        assertEquals(claimed.units().add(BigInteger.valueOf(1_000_000_000_000L)), c.lastSigned().units());

        // one unit above what the chain shows is still refused
        ConsumerSession other = consumer();
        assertThrows(ProtocolException.class, () -> other.onMessage(fromProvider(other, 1, new Body.Start(f.channel,
                claimed.units().add(BigInteger.valueOf(1_000_000_000_000L)).add(BigInteger.ONE),
                BigInteger.valueOf(deposit)))));
    }
}
