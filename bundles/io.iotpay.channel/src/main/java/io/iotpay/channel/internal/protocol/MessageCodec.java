package io.iotpay.channel.internal.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;

/**
 * Canonical JSON codec, signing and signature verification of peer messages (docs/protocol.md).
 * <p>
 * Canonical form: UTF-8 JSON without insignificant whitespace, object keys sorted by their UTF-16 code units (Java
 * {@link String#compareTo}), absent optional fields omitted (never {@code null}), amounts and quantities as decimal
 * strings, small integers ({@code v}, {@code seq}, {@code at}, ...) as JSON numbers. The signed payload is
 * {@code "IOTPAY-PEER/<v>\n"} followed by the canonical bytes of the message without its {@code sig} field; the
 * signature is EIP-191 ({@code personal_sign}) by the {@code from} account. A receiver re-encodes the decoded message
 * canonically before verifying, so any encoding the sender chose that differs from the canonical one fails.
 */
public final class MessageCodec {

    /** The only protocol version this engine speaks. */
    public static final int VERSION = 1;
    /** Largest accepted message. */
    public static final int MAX_BYTES = 64 * 1024;

    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,77}");
    private static final Pattern TX = Pattern.compile("0x[0-9a-fA-F]{1,128}|[A-Za-z0-9]{1,128}");

    private final ObjectMapper mapper;
    private final JsonFactory factory;

    public MessageCodec() {
        JsonFactory f = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16)
                        .maxNumberLength(80).maxStringLength(MAX_BYTES).build())
                .build();
        this.mapper = JsonMapper.builder(f)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.factory = f;
    }

    // ------------------------------------------------------------------ signing

    /** Builds, signs and returns a message. */
    public SignedMessage sign(Envelope envelope, Body body, MessageSigner signer) {
        if (!envelope.from().equals(signer.account())) {
            throw new IllegalArgumentException("envelope from " + envelope.from() + " is not the signer "
                    + signer.account());
        }
        byte[] payload = signingPayload(envelope, body);
        return new SignedMessage(envelope, body, signer.signPersonal(payload));
    }

    /** Domain tag + canonical bytes of the message without {@code sig}. */
    public byte[] signingPayload(Envelope envelope, Body body) {
        byte[] tag = ("IOTPAY-PEER/" + envelope.version() + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] canonical = canonical(toJson(envelope, body, null));
        byte[] out = new byte[tag.length + canonical.length];
        System.arraycopy(tag, 0, out, 0, tag.length);
        System.arraycopy(canonical, 0, out, tag.length, canonical.length);
        return out;
    }

    /**
     * Checks the message signature against the expected sender (null = the sender named in {@code from}).
     *
     * @throws ProtocolException BAD_SIGNATURE if it does not recover to {@code from}, or {@code from} is not
     *             {@code expected}
     */
    public void verify(SignedMessage m, AccountId expected) {
        checkSender(m, expected);
        AccountId from = m.envelope().from();
        String recovered;
        try {
            recovered = Secp256k1.recoverAddress(Secp256k1.personalMessageHash(signingPayload(m.envelope(),
                    m.body())), m.signature());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "message signature is invalid: " + e.getMessage());
        }
        if (!recovered.equals(from.address())) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "message signature does not match sender " + from);
        }
    }

    /**
     * The sender checks of {@link #verify} without the signature recovery: {@code from} must be {@code expected}
     * (when not null) and an EVM account. For VOUCHER messages, which the provider authenticates by the payer's
     * EIP-712 voucher signature (docs/protocol.md, "VOUCHER authentication").
     *
     * @throws ProtocolException BAD_SIGNATURE if {@code from} is not {@code expected} or not an EVM account
     */
    public void checkSender(SignedMessage m, AccountId expected) {
        AccountId from = m.envelope().from();
        if (expected != null && !expected.equals(from)) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "message from " + from + " but the peer is "
                    + expected);
        }
        if (!from.chainId().isEvm()) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "sender " + from + " is not an EVM account");
        }
    }

    // ------------------------------------------------------------------ encoding

    /** Canonical bytes of a signed message, {@code sig} included. */
    public byte[] encode(SignedMessage m) {
        return canonical(toJson(m.envelope(), m.body(), m.signature()));
    }

    /** Pretty (indented) form for documentation; same content as {@link #encode}. */
    public String encodePretty(SignedMessage m) {
        try {
            return mapper.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(mapper.readTree(encode(m)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode toJson(Envelope e, Body body, Signature sig) {
        JsonNodeFactory nf = JsonNodeFactory.instance;
        ObjectNode o = nf.objectNode();
        o.put("v", e.version());
        o.put("type", e.type().name());
        o.put("from", e.from().toString());
        if (e.session() != null) {
            o.put("session", e.session().value());
        }
        o.put("seq", e.seq());
        o.put("at", e.at().toEpochMilli());
        o.set("body", bodyJson(body));
        if (sig != null) {
            o.put("sig", sig.toHex());
        }
        return o;
    }

    private static ObjectNode bodyJson(Body body) {
        ObjectNode b = JsonNodeFactory.instance.objectNode();
        if (body instanceof Body.OfferBody ob) {
            Offer x = ob.offer();
            b.put("offerId", x.offerId());
            b.put("payee", x.payee().toString());
            b.put("deviceId", x.deviceId());
            ObjectNode asset = b.putObject("asset");
            Asset a = x.price().asset();
            asset.put("caip19", a.toCaip19());
            asset.put("decimals", a.decimals());
            asset.put("symbol", a.symbol());
            ObjectNode price = b.putObject("price");
            price.put("amount", x.price().amount().units().toString());
            price.put("unit", x.price().unit().symbol());
            b.put("contract", x.contract().toString());
            b.put("scheme", x.scheme());
            b.put("minimumDeposit", x.minimumDeposit().units().toString());
            b.put("creditWindow", x.creditWindow().units().toString());
            b.put("prepayWindow", x.prepayWindow().units().toString());
            b.put("validityMs", x.validity().toMillis());
            b.put("endpoint", x.endpoint().toString());
            if (x.certificatePem() != null) {
                b.put("certificatePem", x.certificatePem());
            }
            b.put("protocolVersion", x.protocolVersion());
        } else if (body instanceof Body.OpenSession os) {
            b.put("offerId", os.offerId());
            b.put("channel", os.channel().toHex());
            b.put("payer", os.payer().toString());
            if (os.depositTx() != null) {
                b.put("depositTx", os.depositTx());
            }
        } else if (body instanceof Body.Start s) {
            b.put("channel", s.channel().toHex());
            b.put("channelCumulative", s.channelCumulative().toString());
            b.put("deposit", s.deposit().toString());
        } else if (body instanceof Body.ReceiptBody r) {
            b.put("cumulativeQuantity", r.cumulativeQuantity().toString());
        } else if (body instanceof Body.VoucherBody v) {
            b.put("channel", v.channel().toHex());
            b.put("cumulativeAmount", v.cumulativeAmount().toString());
            b.put("signature", v.signature().toHex());
            b.put("receiptSeq", v.receiptSeq());
        } else if (body instanceof Body.Pause p) {
            b.put("reason", p.reason());
        } else if (body instanceof Body.Resume) {
            // empty body
        } else if (body instanceof Body.Stop s) {
            b.put("reason", s.reason());
        } else if (body instanceof Body.TopUp t) {
            b.put("channel", t.channel().toHex());
            b.put("newDeposit", t.newDeposit().toString());
            b.put("txHash", t.txHash());
        } else if (body instanceof Body.Close c) {
            b.put("channel", c.channel().toHex());
            b.put("finalCumulative", c.finalCumulative().toString());
            if (c.closeSignature() != null) {
                b.put("closeSignature", c.closeSignature().toHex());
            }
        } else if (body instanceof Body.Error err) {
            b.put("code", err.code().name());
            b.put("message", err.message());
            b.put("refSeq", err.refSeq());
        }
        return b;
    }

    private byte[] canonical(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            writeSorted(g, node);
        } catch (IOException e) {
            throw new IllegalStateException("canonical encoding failed", e);
        }
        return out.toByteArray();
    }

    private static void writeSorted(JsonGenerator g, JsonNode n) throws IOException {
        if (n.isObject()) {
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            g.writeStartObject();
            for (String name : names) {
                g.writeFieldName(name);
                writeSorted(g, n.get(name));
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (JsonNode c : n) {
                writeSorted(g, c);
            }
            g.writeEndArray();
        } else {
            g.writeTree(n);
        }
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Decodes a message strictly: every required field present with the right type, no unknown field, no duplicate
     * key. Does not verify the signature (see {@link #verify}).
     *
     * @throws ProtocolException UNSUPPORTED_VERSION if {@code v} is not {@value #VERSION}; MALFORMED naming the field
     *             otherwise
     */
    public SignedMessage decode(byte[] json) {
        if (json == null || json.length == 0) {
            throw malformed("(message)", "empty");
        }
        if (json.length > MAX_BYTES) {
            throw malformed("(message)", "larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try (JsonParser p = factory.createParser(json)) {
            root = mapper.readTree(p);
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException(ErrorCode.MALFORMED, "field (message): not valid JSON: "
                    + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw malformed("(message)", "expected a JSON object");
        }
        Fields top = new Fields((ObjectNode) root, "");
        JsonNode vNode = root.get("v");
        if (vNode == null) {
            throw malformed("v", "missing");
        }
        if (!vNode.isIntegralNumber()) {
            throw malformed("v", "expected an integer");
        }
        if (!vNode.bigIntegerValue().equals(BigInteger.valueOf(VERSION))) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + vNode.asText()
                    + " is not supported: this node speaks version " + VERSION);
        }
        top.used.add("v");
        MessageType type = top.enumValue("type", MessageType.class);
        AccountId from = top.account("from");
        SessionId session = top.has("session") ? top.sessionId("session") : null;
        long seq = top.longValue("seq");
        Instant at = Instant.ofEpochMilli(top.longValue("at"));
        if (session == null && type != MessageType.OFFER && type != MessageType.ERROR) {
            throw malformed("session", "missing (required for " + type + ")");
        }
        Fields b = top.object("body");
        Body body = decodeBody(type, b);
        b.finish();
        Signature sig = top.signature("sig");
        top.finish();
        try {
            return new SignedMessage(new Envelope(VERSION, type, from, session, seq, at), body, sig);
        } catch (IllegalArgumentException e) {
            throw malformed("(message)", e.getMessage());
        }
    }

    private static Body decodeBody(MessageType type, Fields b) {
        return switch (type) {
            case OFFER -> {
                Fields af = b.object("asset");
                String caip19 = af.text("caip19");
                int decimals = (int) af.longValue("decimals");
                String symbol = af.text("symbol");
                af.finish();
                Asset asset = b.wrap("asset", () -> Asset.parseCaip19(caip19, decimals, symbol));
                Fields pf = b.object("price");
                BigInteger priceUnits = pf.decimal("amount");
                String unit = pf.text("unit");
                pf.finish();
                Price price = b.wrap("price", () -> Price.of(Amount.ofUnits(priceUnits, asset),
                        MeteringUnit.ofSymbol(unit)));
                String offerId = b.text("offerId");
                AccountId payee = b.account("payee");
                String deviceId = b.text("deviceId");
                AccountId contract = b.account("contract");
                String scheme = b.text("scheme");
                Amount minDeposit = b.amount("minimumDeposit", asset);
                Amount credit = b.amount("creditWindow", asset);
                Amount prepay = b.amount("prepayWindow", asset);
                long validityMs = b.longValue("validityMs");
                String endpoint = b.text("endpoint");
                String pem = b.has("certificatePem") ? b.text("certificatePem") : null;
                int pv = (int) b.longValue("protocolVersion");
                URI uri = b.wrap("endpoint", () -> URI.create(endpoint));
                yield b.wrap("(offer)", () -> new Body.OfferBody(new Offer(offerId, payee, deviceId, price,
                        contract, scheme, minDeposit, credit, prepay, Duration.ofMillis(validityMs), uri, pem, pv)));
            }
            case OPEN_SESSION -> {
                String offerId = b.text("offerId");
                ChannelId ch = b.channel("channel");
                AccountId payer = b.account("payer");
                String tx = b.has("depositTx") ? b.tx("depositTx") : null;
                yield new Body.OpenSession(offerId, ch, payer, tx);
            }
            case START -> new Body.Start(b.channel("channel"), b.decimal("channelCumulative"), b.decimal("deposit"));
            case RECEIPT -> new Body.ReceiptBody(b.decimal("cumulativeQuantity"));
            case VOUCHER -> new Body.VoucherBody(b.channel("channel"), b.decimal("cumulativeAmount"),
                    b.signature("signature"), b.longValue("receiptSeq"));
            case PAUSE -> new Body.Pause(b.text("reason"));
            case RESUME -> new Body.Resume();
            case STOP -> new Body.Stop(b.text("reason"));
            case TOP_UP -> new Body.TopUp(b.channel("channel"), b.decimal("newDeposit"), b.tx("txHash"));
            case CLOSE -> new Body.Close(b.channel("channel"), b.decimal("finalCumulative"),
                    b.has("closeSignature") ? b.signature("closeSignature") : null);
            case ERROR -> new Body.Error(b.enumValue("code", ErrorCode.class), b.text("message"),
                    b.longValue("refSeq"));
        };
    }

    static ProtocolException malformed(String field, String what) {
        return new ProtocolException(ErrorCode.MALFORMED, "field " + field + ": " + what);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    /** Strict field reader that remembers which fields were read and refuses the rest. */
    private static final class Fields {
        private final ObjectNode node;
        private final String prefix;
        final Set<String> used = new HashSet<>();

        Fields(ObjectNode node, String prefix) {
            this.node = node;
            this.prefix = prefix;
        }

        String path(String name) {
            return prefix + name;
        }

        boolean has(String name) {
            return node.has(name);
        }

        JsonNode get(String name) {
            JsonNode n = node.get(name);
            if (n == null || n.isNull()) {
                throw malformed(path(name), "missing");
            }
            used.add(name);
            return n;
        }

        String text(String name) {
            JsonNode n = get(name);
            if (!n.isTextual()) {
                throw malformed(path(name), "expected a string");
            }
            return n.textValue();
        }

        long longValue(String name) {
            JsonNode n = get(name);
            if (!n.isIntegralNumber() || n.bigIntegerValue().bitLength() > 62 || n.bigIntegerValue().signum() < 0) {
                throw malformed(path(name), "expected a non-negative integer");
            }
            return n.longValue();
        }

        BigInteger decimal(String name) {
            String s = text(name);
            if (!DECIMAL.matcher(s).matches()) {
                throw malformed(path(name), "expected a decimal string of base units without leading zeros");
            }
            return new BigInteger(s);
        }

        Amount amount(String name, Asset asset) {
            BigInteger units = decimal(name);
            return wrap(name, () -> Amount.ofUnits(units, asset));
        }

        <E extends Enum<E>> E enumValue(String name, Class<E> type) {
            String s = text(name);
            try {
                return Enum.valueOf(type, s);
            } catch (IllegalArgumentException e) {
                throw malformed(path(name), "unknown value \"" + (s.length() > 40 ? s.substring(0, 40) : s) + "\"");
            }
        }

        AccountId account(String name) {
            String s = text(name);
            return wrap(name, () -> AccountId.parse(s));
        }

        SessionId sessionId(String name) {
            String s = text(name);
            return wrap(name, () -> new SessionId(s));
        }

        ChannelId channel(String name) {
            String s = text(name);
            return wrap(name, () -> ChannelId.parse(s));
        }

        Signature signature(String name) {
            String s = text(name);
            return wrap(name, () -> Signature.fromHex(s, SignatureScheme.SECP256K1_RECOVERABLE));
        }

        String tx(String name) {
            String s = text(name);
            if (!TX.matcher(s).matches()) {
                throw malformed(path(name), "expected a transaction hash");
            }
            return s;
        }

        Fields object(String name) {
            JsonNode n = get(name);
            if (!n.isObject()) {
                throw malformed(path(name), "expected an object");
            }
            return new Fields((ObjectNode) n, path(name) + ".");
        }

        <T> T wrap(String name, java.util.function.Supplier<T> s) {
            try {
                return s.get();
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw malformed(path(name), firstLine(e.getMessage()));
            }
        }

        void finish() {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String n = it.next();
                if (!used.contains(n)) {
                    throw malformed(path(n.length() > 40 ? n.substring(0, 40) : n), "unknown field");
                }
            }
        }
    }
}
