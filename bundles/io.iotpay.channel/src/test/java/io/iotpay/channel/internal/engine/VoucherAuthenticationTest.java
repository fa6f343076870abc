package io.iotpay.channel.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionRole;
import io.iotpay.api.money.Amount;
import io.iotpay.api.wallet.Signature;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.Envelope;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.testing.Eip712Voucher;
import io.iotpay.channel.internal.testing.Fixture;
import io.iotpay.channel.internal.testing.TestKey;

/**
 * The provider authenticates a VOUCHER by the payer's EIP-712 voucher signature alone (one recovery, docs/protocol.md
 * "VOUCHER authentication"); every other message still needs the sender's message signature.
 */
class VoucherAuthenticationTest {

    @TempDir
    Path dir;
    Fixture f;
    ExecutorService pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (f != null) {
            f.close();
        }
    }

    private Fixture.Pair started() {
        f = new Fixture(dir, Fixture.price("0.3"), Fixture.eth("0.001"), Fixture.eth("0"), Fixture.eth("0.01"),
                2_000_000L);
        Fixture.Pair p = f.pair(Fixture.eth("1"), Fixture.eth("0"));
        for (int i = 0; i < 3; i++) {
            p.step();
        }
        return p;
    }

    private Body.VoucherBody voucher(TestKey signer, Amount amount) {
        Signature sig = signer.signHash(Eip712Voucher.digest(Fixture.CONTRACT, f.channel, amount.units()));
        return new Body.VoucherBody(f.channel, amount.units(), sig, 0);
    }

    /** A message naming the session's consumer as sender but signed by {@code key}. */
    private SignedMessage claimingConsumer(Fixture.Pair p, Body body, TestKey key, long seq) {
        Envelope env = new Envelope(MessageCodec.VERSION, body.type(), f.consumerDevice.account(), p.consumer.id(), seq,
                f.clock.instant());
        Signature sig = key.signHash(io.iotpay.channel.internal.protocol.Secp256k1.personalMessageHash(
                f.codec.signingPayload(env, body)));
        return f.wire(new SignedMessage(env, body, sig));
    }

    private static void refused(ErrorCode code, Runnable r) {
        ProtocolException e = assertThrows(ProtocolException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void aPayerSignedVoucherIsAcceptedWhateverKeySignedItsEnvelopeOtherMessagesAreNot() {
        Fixture.Pair p = started();
        long seq = p.provider.peerSeq();
        Amount next = p.provider.lastVoucher().plus(Fixture.eth("0.0001"));
        TestKey relay = TestKey.random(Fixture.CHAIN);

        // a PAUSE under the consumer's name but not signed by its device key is refused, nothing changes
        SignedMessage pause = claimingConsumer(p, new Body.Pause("REQUESTED"), relay, p.consumer.ourSeq() + 1);
        refused(ErrorCode.BAD_SIGNATURE, () -> p.provider.onMessage(pause));
        assertEquals(seq, p.provider.peerSeq());

        // the same envelope forgery around a voucher the payer signed is accepted: the payer's signature is the
        // authentication, and the provider holds nothing the payer did not sign
        SignedMessage relayed = claimingConsumer(p, voucher(f.payer, next), relay, p.consumer.ourSeq() + 1);
        assertTrue(p.provider.onMessage(relayed).isEmpty());
        assertEquals(next, p.provider.lastVoucher());
        assertEquals(seq + 1, p.provider.peerSeq());
        assertEquals(next.units(), f.providerStore.latestVoucher(f.channel, SessionRole.PROVIDER).orElseThrow()
                .cumulative());
        // replaying it changes nothing (sequence number and cumulative amount)
        refused(ErrorCode.REPLAYED, () -> p.provider.onMessage(f.wire(relayed)));
    }

    @Test
    void withTheEnvelopeCheckOnARelayedVoucherIsRefusedAndTheConsumersOwnIsAccepted() {
        f = new Fixture(dir, Fixture.price("0.3"), Fixture.eth("0.001"), Fixture.eth("0"), Fixture.eth("0.01"),
                2_000_000L);
        ProviderSession.Context strict = f.providerContext().withVoucherEnvelopeCheck(true);
        ConsumerSession c = ConsumerSession.create(f.consumerContext(f.payerSigner()), f.wire(f.offerMessage),
                f.terms(Fixture.eth("1"), Fixture.eth("0")));
        ProviderSession provider = ProviderSession.accept(strict, f.offer, f.json(f.offerMessage), f.plug,
                f.wire(c.open(null)));
        c.onMessage(f.wire(provider.start()));
        long seq = provider.peerSeq();
        Amount next = provider.lastVoucher().plus(Fixture.eth("0.0001"));
        Body.VoucherBody vb = voucher(f.payer, next);
        Envelope env = new Envelope(MessageCodec.VERSION, vb.type(), f.consumerDevice.account(), c.id(), seq + 1,
                f.clock.instant());
        SignedMessage relayed = f.wire(new SignedMessage(env, vb, TestKey.random(Fixture.CHAIN).signHash(
                io.iotpay.channel.internal.protocol.Secp256k1.personalMessageHash(f.codec.signingPayload(env, vb)))));
        refused(ErrorCode.BAD_SIGNATURE, () -> provider.onMessage(relayed));
        assertEquals(seq, provider.peerSeq());
        assertTrue(provider.onMessage(f.wire(f.codec.sign(env, vb, f.consumerDevice.messageSigner()))).isEmpty());
        assertEquals(next, provider.lastVoucher());
        assertEquals(seq + 1, provider.peerSeq());
    }

    @Test
    void aVoucherSignedByTheConsumersDeviceKeyInsteadOfThePayerIsRefused() {
        Fixture.Pair p = started();
        Amount last = p.provider.lastVoucher();
        long seq = p.provider.peerSeq();
        // correct message signature by the session's consumer, but the voucher is not the payer's
        SignedMessage m = claimingConsumer(p, voucher(f.consumerDevice, last.plus(Fixture.eth("0.0001"))),
                f.consumerDevice, p.consumer.ourSeq() + 1);
        f.codec.verify(m, f.consumerDevice.account()); // the envelope really is valid
        refused(ErrorCode.BAD_SIGNATURE, () -> p.provider.onMessage(m));
        assertEquals(last, p.provider.lastVoucher());
        assertEquals(seq, p.provider.peerSeq());
        assertEquals(last.units(), f.providerStore.latestVoucher(f.channel, SessionRole.PROVIDER).orElseThrow()
                .cumulative());
    }

    @Test
    void aValidVoucherFromAnotherSenderThanTheSessionsConsumerIsRefused() {
        Fixture.Pair p = started();
        Amount last = p.provider.lastVoucher();
        TestKey stranger = TestKey.random(Fixture.CHAIN);
        Body.VoucherBody vb = voucher(f.payer, last.plus(Fixture.eth("0.0001")));
        SignedMessage m = f.wire(f.codec.sign(new Envelope(MessageCodec.VERSION, vb.type(), stranger.account(),
                p.consumer.id(), p.consumer.ourSeq() + 1, f.clock.instant()), vb, stranger.messageSigner()));
        refused(ErrorCode.BAD_SIGNATURE, () -> p.provider.onMessage(m));
        assertEquals(last, p.provider.lastVoucher());
    }

    @Test
    void throughTheNodeAVoucherIsAnsweredOnlyAfterItsCommitAndRefusalsBecomeErrors() throws Exception {
        f = new Fixture(dir, Fixture.price("0.3"), Fixture.eth("0.001"), Fixture.eth("0"), Fixture.eth("0.01"),
                2_000_000L);
        pool = Executors.newFixedThreadPool(1); // one worker: commits must not hold it
        ProviderNode node = new ProviderNode(f.providerContext(), pool, (s, m) -> { });
        SignedMessage offer = node.publish(f.offer, f.plug);
        ConsumerSession c = ConsumerSession.create(f.consumerContext(f.payerSigner()), f.wire(offer),
                f.terms(Fixture.eth("1"), Fixture.eth("0")));
        List<SignedMessage> start = node.handle(f.codec.encode(c.open(null))).get(30, TimeUnit.SECONDS);
        c.onMessage(f.wire(start.get(0)));
        io.iotpay.api.channel.SessionId sid = c.id();
        // 200 vouchers of one channel in flight at once: applied strictly in order, each durable when answered
        List<java.util.concurrent.CompletableFuture<List<SignedMessage>>> replies = new java.util.ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            Body.VoucherBody vb = voucher(f.payer, Amount.ofUnits(BigInteger.valueOf(1_000_000L * i), Fixture.ETH));
            SignedMessage m = f.codec.sign(new Envelope(MessageCodec.VERSION, vb.type(), f.consumerDevice.account(),
                    sid, 1 + i, f.clock.instant()), vb, f.consumerDevice.messageSigner());
            byte[] bytes = f.codec.encode(m);
            int n = i;
            replies.add(node.handle(bytes).thenApply(r -> {
                // answered only once committed: the store already holds at least this voucher
                BigInteger stored = f.providerStore.latestVoucher(f.channel, SessionRole.PROVIDER).orElseThrow()
                        .cumulative();
                assertTrue(stored.compareTo(BigInteger.valueOf(1_000_000L * n)) >= 0, "answered before commit");
                return r;
            }));
        }
        for (var r : replies) {
            assertEquals(List.of(), r.get(30, TimeUnit.SECONDS));
        }
        ProviderSession s = node.session(sid).orElseThrow();
        assertEquals(BigInteger.valueOf(200_000_000L), s.lastVoucher().units());
        assertEquals(201, s.peerSeq());
        // a forged voucher (not the payer's) comes back as a signed ERROR and changes nothing
        Body.VoucherBody forged = voucher(TestKey.random(Fixture.CHAIN), Amount.ofUnits(BigInteger.valueOf(
                300_000_000L), Fixture.ETH));
        List<SignedMessage> err = node.handle(f.codec.encode(f.codec.sign(new Envelope(MessageCodec.VERSION,
                forged.type(), f.consumerDevice.account(), sid, 202, f.clock.instant()), forged,
                f.consumerDevice.messageSigner()))).get(30, TimeUnit.SECONDS);
        assertEquals(1, err.size());
        f.codec.verify(err.get(0), f.providerDevice.account());
        assertEquals(ErrorCode.BAD_SIGNATURE, ((Body.Error) err.get(0).body()).code());
        assertEquals(201, s.peerSeq());
        assertEquals(BigInteger.valueOf(200_000_000L), f.providerStore.latestVoucher(f.channel,
                SessionRole.PROVIDER).orElseThrow().cumulative());
    }
}
