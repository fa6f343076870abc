package io.iotpay.api.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.AssetMismatchException;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelTypesTest {

    static final Asset ETH = Asset.DEVNET_ETH;
    static final AccountId CONTRACT = AccountId.of(ChainId.DEVNET, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    static final AccountId PAYER = AccountId.of(ChainId.DEVNET, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    static final AccountId PAYEE = AccountId.of(ChainId.DEVNET, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    static final String HEX = "0x" + "00112233445566778899aabbccddeeff".repeat(2);
    static final ChannelId ID = ChannelId.parse(HEX);

    static Amount eth(String s) {
        return Amount.parse(s, ETH);
    }

    @Test
    void channelIdHexRoundTripAndCopies() {
        assertEquals(HEX, ID.toHex());
        assertEquals(HEX, ID.toString());
        assertEquals(ID, ChannelId.parse(HEX.substring(2).toUpperCase()));
        assertEquals(ID.hashCode(), ChannelId.parse(HEX).hashCode());
        byte[] b = ID.bytes();
        b[0] = 1;
        assertEquals(0, ID.bytes()[0]);
        byte[] in = new byte[32];
        ChannelId c = new ChannelId(in);
        in[0] = 5;
        assertEquals(0, c.bytes()[0]);
        assertNotEquals(ID, c);
    }

    static Stream<String> badHex() {
        return Stream.of(null, "", "0x", "0x00", "0x" + "00112233445566778899aabbccddeeff", "0x0g" + "00".repeat(31),
                "0x" + "00".repeat(33), "0x" + "0".repeat(63), "0y" + "00".repeat(32), " 0x" + "00".repeat(32));
    }

    @ParameterizedTest
    @MethodSource("badHex")
    void channelIdRejectsBadHex(String hex) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChannelId.parse(hex));
        assertTrue(e.getMessage().startsWith("channel id"), e.getMessage());
    }

    @Test
    void channelIdRejectsWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ChannelId(new byte[31]));
        assertEquals("channel id has 31 bytes: expected exactly 32", e.getMessage());
        assertThrows(NullPointerException.class, () -> new ChannelId(null));
    }

    @Test
    void voucherSigning() {
        Voucher v = Voucher.unsigned(ID, CONTRACT, eth("1"));
        assertFalse(v.isSigned());
        Signature sig = new Signature(sigBytes(), SignatureScheme.SECP256K1_RECOVERABLE);
        Voucher s = v.withSignature(sig);
        assertTrue(s.isSigned());
        assertEquals(sig, s.signature());
        assertEquals(v.cumulative(), s.cumulative());
        assertThrows(IllegalArgumentException.class,
                () -> Voucher.unsigned(ID, AccountId.of(ChainId.BSC, CONTRACT.address()), eth("1")));
    }

    static byte[] sigBytes() {
        byte[] b = new byte[65];
        b[31] = 1;
        b[63] = 1;
        b[64] = 27;
        return b;
    }

    @Test
    void sessionId() {
        assertEquals("abcd-123_", new SessionId("abcd-123_").value());
        SessionId r = SessionId.random();
        assertEquals(r, new SessionId(r.toString()));
        assertNotEquals(r, SessionId.random());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", "short", "1234567", "with space1", "slash/12345", "é12345678" })
    void sessionIdRejects(String s) {
        assertThrows(IllegalArgumentException.class, () -> new SessionId(s));
    }

    @Test
    void sessionIdLengthBounds() {
        new SessionId("a".repeat(64));
        assertThrows(IllegalArgumentException.class, () -> new SessionId("a".repeat(65)));
    }

    @Test
    void channelRecord() {
        Channel c = new Channel(ID, "iotpay-channels-v1", CONTRACT, PAYER, PAYEE, ETH, eth("1"), eth("0.25"),
                ChannelState.OPEN, null);
        assertEquals(eth("0.75"), c.remaining());
        assertThrows(IllegalArgumentException.class, () -> new Channel(ID, "s", CONTRACT, PAYER, PAYEE, ETH, eth("1"),
                eth("2"), ChannelState.OPEN, null));
        assertThrows(AssetMismatchException.class, () -> new Channel(ID, "s", CONTRACT, PAYER, PAYEE, ETH,
                Amount.ofUnits(1, Asset.BNB), eth("0"), ChannelState.OPEN, null));
    }

    static Offer offer() {
        return new Offer("offer-1", PAYEE, "iotpay:paidsocket:plug1", Price.parse("0.25 ETH/kWh", ETH), CONTRACT,
                "iotpay-channels-v1", eth("0.1"), eth("0.01"), eth("0.01"), Duration.ofMinutes(10),
                URI.create("http://127.0.0.1:8080/iotpay"), null, 1);
    }

    @Test
    void offerValidation() {
        Offer o = offer();
        assertEquals("iotpay:paidsocket:plug1", o.deviceId());
        assertThrows(AssetMismatchException.class, () -> new Offer("o", PAYEE, "d", o.price(), CONTRACT, "s",
                Amount.ofUnits(1, Asset.BNB), eth("0"), eth("0"), Duration.ofMinutes(1), o.endpoint(), null, 1));
        assertThrows(IllegalArgumentException.class, () -> new Offer("o", PAYEE, "d", o.price(), CONTRACT, "s",
                eth("0"), eth("0"), eth("0"), Duration.ZERO, o.endpoint(), null, 1));
        assertThrows(IllegalArgumentException.class, () -> new Offer("o", PAYEE, "d", o.price(), CONTRACT, "s",
                eth("0"), eth("0"), eth("0"), Duration.ofMinutes(1), o.endpoint(), null, 0));
        assertThrows(IllegalArgumentException.class, () -> new Offer("o o", PAYEE, "d", o.price(), CONTRACT, "s",
                eth("0"), eth("0"), eth("0"), Duration.ofMinutes(1), o.endpoint(), null, 1));
        assertThrows(IllegalArgumentException.class, () -> new Offer("o", PAYEE, "bad device", o.price(), CONTRACT,
                "s", eth("0"), eth("0"), eth("0"), Duration.ofMinutes(1), o.endpoint(), null, 1));
        assertThrows(IllegalArgumentException.class, () -> new Offer("o", AccountId.of(ChainId.BSC, PAYEE.address()),
                "d", o.price(), CONTRACT, "s", eth("0"), eth("0"), eth("0"), Duration.ofMinutes(1), o.endpoint(),
                null, 1));
    }

    @Test
    void receipt() {
        SessionId s = SessionId.random();
        Receipt r = new Receipt(s, 0, BigInteger.TEN, Instant.EPOCH, null);
        Signature sig = new Signature(new byte[64], SignatureScheme.ED25519);
        assertEquals(sig, r.withSignature(sig).signature());
        assertThrows(IllegalArgumentException.class, () -> new Receipt(s, -1, BigInteger.TEN, Instant.EPOCH, null));
        assertThrows(IllegalArgumentException.class,
                () -> new Receipt(s, 0, BigInteger.valueOf(-1), Instant.EPOCH, null));
    }

    @Test
    void sessionSnapshotAndEvent() {
        SessionId s = SessionId.random();
        SessionSnapshot snap = new SessionSnapshot(s, SessionRole.CONSUMER, SessionState.RUNNING, offer(), ID,
                BigInteger.ONE, eth("0"), eth("0"), Instant.EPOCH, null);
        SessionEvent e = new SessionEvent(s, SessionEvent.Type.STARTED, snap);
        assertEquals(snap, e.snapshot());
        assertThrows(IllegalArgumentException.class,
                () -> new SessionEvent(SessionId.random(), SessionEvent.Type.STARTED, snap));
        assertThrows(AssetMismatchException.class, () -> new SessionSnapshot(s, SessionRole.CONSUMER,
                SessionState.RUNNING, offer(), ID, BigInteger.ONE, Amount.zero(Asset.BNB), eth("0"), Instant.EPOCH,
                null));
        assertThrows(IllegalArgumentException.class, () -> new SessionSnapshot(s, SessionRole.CONSUMER,
                SessionState.RUNNING, offer(), ID, BigInteger.valueOf(-1), eth("0"), eth("0"), Instant.EPOCH, null));
    }

    @Test
    void purchaseRequest() {
        URI u = URI.create("http://127.0.0.1:1/x");
        new PurchaseRequest(u, eth("1"), Price.parse("0.3 ETH/kWh", ETH), PAYER);
        assertThrows(AssetMismatchException.class, () -> new PurchaseRequest(u, eth("1"),
                new Price(Amount.ofUnits(1, Asset.BNB), MeteringUnit.KILOWATT_HOUR), PAYER));
        assertThrows(IllegalArgumentException.class, () -> new PurchaseRequest(u, eth("1"),
                Price.parse("0.3 ETH/kWh", ETH), AccountId.of(ChainId.BSC, PAYER.address())));
    }

    @Test
    void protocolException() {
        ProtocolException e = new ProtocolException(ErrorCode.ABOVE_DEPOSIT, "voucher 2 ETH > deposit 1 ETH");
        assertEquals(ErrorCode.ABOVE_DEPOSIT, e.code());
        assertTrue(e.getMessage().startsWith("ABOVE_DEPOSIT: "));
        assertEquals(15, ErrorCode.values().length);
        assertArrayEquals(new ChannelState[] { ChannelState.OPENING, ChannelState.OPEN, ChannelState.CLOSING,
                ChannelState.CLOSED, ChannelState.SETTLED }, ChannelState.values());
    }
}
