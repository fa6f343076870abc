package io.iotpay.channel.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.Price;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;
import io.iotpay.channel.internal.testing.Eip712Voucher;
import io.iotpay.channel.internal.testing.TestKey;

class MessageCodecTest {

    /** anvil / hardhat development account 0 (public test key). */
    static final String ANVIL_KEY0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    static final ChainId CHAIN = ChainId.DEVNET;
    static final AccountId CONTRACT = AccountId.of(CHAIN, "0x5FbDB2315678afecb367f032d93F642f64180aa3");

    final MessageCodec codec = new MessageCodec();
    final TestKey key = TestKey.fromHex(ANVIL_KEY0, CHAIN);
    final SessionId session = new SessionId("3f0c8a5e-7d1b-4c2a-9e6f-1a2b3c4d5e6f");
    final ChannelId channel = ChannelId.parse("0x" + "11".repeat(32));
    final Instant at = Instant.parse("2026-01-01T00:00:00.123Z");

    // ------------------------------------------------------------- vectors from ethers 6.17 (tools/)

    @Test
    void personalMessageHashAndRecoveryMatchEthers() {
        byte[] msg = "IOTPAY-PEER/1\n{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertEquals("dfdb637d427ca885ec4cbc8905779f37ac2a5614bc3034f838153b108a754270",
                Hex.toHexString(Secp256k1.personalMessageHash(msg)));
        Signature ethersSig = Signature.fromHex("0xef09340a94c12a3c751927cf2265e52b8e861ce82bc416e673dba42075cc42571f"
                + "1fc4d5e66aea54dd20aabf2c1d6bb32a4e90161c5ed83cd273f258dc8366c81c",
                SignatureScheme.SECP256K1_RECOVERABLE);
        assertEquals("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
                Secp256k1.recoverAddress(Secp256k1.personalMessageHash(msg), ethersSig));
        assertEquals("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", key.account().address());
        // RFC 6979 deterministic signing gives ethers' exact bytes
        assertEquals(ethersSig, key.messageSigner().signPersonal(msg));
    }

    @Test
    void voucherDigestMatchesEthersTypedDataEncoder() {
        byte[] digest = Eip712Voucher.digest(CONTRACT, channel, BigInteger.valueOf(123456789));
        assertEquals("a3216fcb6ddb3d011f56eafa18860583985a941531b520dea4b6bf104cbc16c0", Hex.toHexString(digest));
        assertEquals("0x36d4323d849f1168f205c74d463b763a6206280386703894626f510e14f50095094ef8a23ec34ecf8fd0a7523bd8"
                + "8566b6f1f9971209e5629a2923361d77fe681b", key.signHash(digest).toHex());
    }

    @Test
    void nativeAndBouncyCastleRecoveryAgree() {
        assertTrue(Secp256k1.implementation().startsWith("libsecp256k1"), Secp256k1.implementation());
        for (int i = 0; i < 50; i++) {
            TestKey k = TestKey.random(CHAIN);
            byte[] hash = Secp256k1.keccak256(new byte[] {(byte) i});
            Signature sig = k.signHash(hash);
            assertEquals(k.account().address(), Secp256k1.recoverAddress(hash, sig));
            assertEquals(k.account().address(), Secp256k1.recoverAddressBouncyCastle(hash, sig));
            byte[] other = Secp256k1.keccak256(new byte[] {(byte) i, 1});
            assertEquals(Secp256k1.recoverAddressBouncyCastle(other, sig), Secp256k1.recoverAddress(other, sig));
        }
    }

    @Test
    void closeIntentDigestMatchesEthersTypedDataEncoder() {
        assertEquals("e0fa2e564ee0709b63b59b46f519c0e21c123fd4221618d553c4c5783c678bcd", Hex.toHexString(
                Eip712Voucher.closeDigest(CONTRACT, channel, BigInteger.valueOf(123456789))));
    }

    @Test
    void highSIsRefused() {
        byte[] hash = Secp256k1.keccak256("x".getBytes(StandardCharsets.UTF_8));
        byte[] sig = key.signHash(hash).bytes();
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
        byte[] high = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, Secp256k1.DOMAIN.getN().subtract(s));
        System.arraycopy(high, 0, sig, 32, 32);
        sig[64] = (byte) (sig[64] == 27 ? 28 : 27);
        Signature malleable = new Signature(sig, SignatureScheme.SECP256K1_RECOVERABLE);
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.recoverAddress(hash, malleable));
    }

    // ------------------------------------------------------------- round trips

    static Offer offer() {
        Asset eth = Asset.DEVNET_ETH;
        return new Offer("offer-1", AccountId.of(CHAIN, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"), "plug-1",
                Price.parse("0.3 ETH/kWh", eth), CONTRACT, "iotpay-channels-v1", Amount.parse("0.01", eth),
                Amount.parse("0.001", eth), Amount.parse("0.0005", eth), Duration.ofMinutes(10),
                URI.create("http://127.0.0.1:8181/iotpay/v1"), null, 1);
    }

    List<Body> allBodies() {
        Signature vsig = key.signHash(Eip712Voucher.digest(CONTRACT, channel, BigInteger.TEN));
        return List.of(new Body.OfferBody(offer()),
                new Body.OpenSession("offer-1", channel, key.account(), "0x" + "ab".repeat(32)),
                new Body.Start(channel, BigInteger.ZERO, new BigInteger("10000000000000000")),
                new Body.ReceiptBody(BigInteger.valueOf(555)),
                new Body.VoucherBody(channel, new BigInteger("166500000000000"), vsig, 2),
                new Body.Pause("CREDIT_EXHAUSTED"), new Body.Resume(), new Body.Stop("REQUESTED"),
                new Body.TopUp(channel, new BigInteger("20000000000000000"), "0x" + "cd".repeat(32)),
                new Body.Close(channel, new BigInteger("166500000000000"), null),
                new Body.Error(ErrorCode.REPLAYED, "voucher cumulative 1 is not above the latest accepted 1", 7));
    }

    SignedMessage sign(Body b) {
        SessionId s = b.type() == MessageType.OFFER ? null : session;
        return codec.sign(new Envelope(1, b.type(), key.account(), s, s == null ? 0 : 3, at), b, key.messageSigner());
    }

    @Test
    void everyMessageTypeRoundTripsAndVerifies() {
        List<Body> bodies = allBodies();
        assertEquals(MessageType.values().length, bodies.size());
        for (Body b : bodies) {
            SignedMessage m = sign(b);
            byte[] bytes = codec.encode(m);
            SignedMessage back = codec.decode(bytes);
            assertEquals(m.envelope(), back.envelope(), b.type().name());
            assertEquals(m.signature(), back.signature());
            assertArrayEquals(bytes, codec.encode(back), "canonical re-encoding of " + b.type());
            codec.verify(back, key.account());
        }
    }

    @Test
    void canonicalFormHasSortedKeysAndNoWhitespace() {
        String json = new String(codec.encode(sign(new Body.ReceiptBody(BigInteger.valueOf(555)))),
                StandardCharsets.UTF_8);
        assertEquals("{\"at\":1767225600123,\"body\":{\"cumulativeQuantity\":\"555\"},\"from\":\"eip155:31337:"
                + "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\",\"seq\":3,\"session\":\"" + session.value()
                + "\",\"sig\":\"" + sign(new Body.ReceiptBody(BigInteger.valueOf(555))).signature().toHex().substring(2)
                        .replaceAll("^", "0x")
                + "\",\"type\":\"RECEIPT\",\"v\":1}", json);
    }

    @Test
    void reorderedOrSpacedInputStillDecodesAndVerifies() {
        SignedMessage m = sign(new Body.ReceiptBody(BigInteger.valueOf(555)));
        String json = new String(codec.encode(m), StandardCharsets.UTF_8);
        // move "v" to the front and add whitespace: the signature covers the canonical form, not the wire bytes
        String reordered = "{ \"v\" : 1, " + json.substring(1).replace(",\"v\":1}", "}");
        codec.verify(codec.decode(reordered.getBytes(StandardCharsets.UTF_8)), key.account());
    }

    @Test
    void signatureCoversEveryFieldAndTheSender() {
        SignedMessage m = sign(new Body.Start(channel, BigInteger.ZERO, BigInteger.TEN));
        String json = new String(codec.encode(m), StandardCharsets.UTF_8);
        for (String[] change : new String[][] {{"\"seq\":3", "\"seq\":4"}, {"\"deposit\":\"10\"", "\"deposit\":\"11\""},
                {"\"type\":\"START\"", "\"type\":\"START\""}, {"\"at\":1767225600123", "\"at\":1767225600124"}}) {
            if (change[0].equals(change[1])) {
                continue;
            }
            String t = json.replace(change[0], change[1]);
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> codec.verify(codec.decode(t.getBytes(StandardCharsets.UTF_8)), key.account()));
            assertEquals(ErrorCode.BAD_SIGNATURE, e.code(), change[1]);
        }
        TestKey other = TestKey.random(CHAIN);
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.verify(m, other.account()));
        assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
    }

    // ------------------------------------------------------------- refusals

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2|UNSUPPORTED_VERSION",
        "0|UNSUPPORTED_VERSION",
        "99999999999999999999999|UNSUPPORTED_VERSION",
        "\"1\"|MALFORMED"})
    void versionIsCheckedFirst(String v, ErrorCode code) {
        String json = new String(codec.encode(sign(new Body.Resume())), StandardCharsets.UTF_8)
                .replace("\"v\":1", "\"v\":" + v);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(code, e.code());
    }

    @Test
    void unknownVersionWinsEvenIfTheRestIsUnreadable() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> codec.decode("{\"v\":2,\"whatever\":[]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, e.code());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"cumulativeQuantity\":\"555\"|\"cumulativeQuantity\":555|body.cumulativeQuantity",
        "\"cumulativeQuantity\":\"555\"|\"cumulativeQuantity\":\"0555\"|body.cumulativeQuantity",
        "\"cumulativeQuantity\":\"555\"|\"cumulativeQuantity\":\"-5\"|body.cumulativeQuantity",
        "\"cumulativeQuantity\":\"555\"|\"cumulativeQuantity\":\"5.5\"|body.cumulativeQuantity",
        "\"cumulativeQuantity\":\"555\"|\"cumulativeQuantity\":\"555\",\"extra\":1|body.extra",
        "\"cumulativeQuantity\":\"555\"|\"quantity\":\"555\"|body.cumulativeQuantity",
        "\"seq\":3|\"seq\":-3|seq",
        "\"seq\":3|\"seq\":\"3\"|seq",
        "\"type\":\"RECEIPT\"|\"type\":\"RECEIPTS\"|type",
        "\"from\":\"eip155:31337:|\"from\":\"eip155:31337:zz|from",
        "\"session\":\"|\"session\":\"#|session",
        "\"sig\":\"0x|\"sig\":\"0xzz|sig",
        "\"at\":1767225600123|\"at\":1767225600123,\"at\":1|(message)",
        "\"v\":1}|\"v\":1}garbage|(message)"})
    void malformedInputNamesTheField(String from, String to, String field) {
        String json = new String(codec.encode(sign(new Body.ReceiptBody(BigInteger.valueOf(555)))),
                StandardCharsets.UTF_8);
        assertTrue(json.contains(from), from);
        String bad = json.replace(from, to);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> codec.decode(bad.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.MALFORMED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("field " + field), e.getMessage());
    }

    @Test
    void notJsonAndNotAnObjectAreMalformed() {
        for (String s : new String[] {"", "not json", "[1,2]", "{\"v\":1", "null"}) {
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> codec.decode(s.getBytes(StandardCharsets.UTF_8)));
            assertEquals(ErrorCode.MALFORMED, e.code(), s);
        }
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> codec.decode(new byte[MessageCodec.MAX_BYTES + 1]));
        assertEquals(ErrorCode.MALFORMED, e.code());
    }

    @Test
    void sessionIsRequiredExceptForOffersAndErrors() {
        String json = new String(codec.encode(sign(new Body.Resume())), StandardCharsets.UTF_8)
                .replace(",\"session\":\"" + session.value() + "\"", "");
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.MALFORMED, e.code());
        assertTrue(e.getMessage().contains("field session"), e.getMessage());
    }
}
