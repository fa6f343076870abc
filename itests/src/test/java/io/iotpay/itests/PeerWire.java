package io.iotpay.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.MnemonicUtils;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The IOTPAY peer wire as docs/protocol.md specifies it, written independently of the channel bundle (web3j crypto
 * for BIP-39/BIP-32, keccak and secp256k1; Jackson for canonical JSON), so that an itest can sign messages and
 * vouchers as a peer (or an attacker) would. Also {@link Proxy}: a loopback HTTP relay in front of a provider's peer
 * endpoint that records the consumer's traffic and can add one message to an outbox answer.
 */
final class PeerWire {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private PeerWire() {
    }

    /** The account key at a BIP-32 path such as {@code m/44'/60'/0'/0/0} of a BIP-39 mnemonic (no passphrase). */
    static ECKeyPair key(String mnemonic, String path) {
        Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(mnemonic, ""));
        String[] steps = path.split("/");
        if (!steps[0].equals("m")) {
            throw new IllegalArgumentException("not a BIP-32 path: " + path);
        }
        int[] indices = new int[steps.length - 1];
        for (int i = 1; i < steps.length; i++) {
            String s = steps[i];
            boolean hardened = s.endsWith("'") || s.endsWith("h") || s.endsWith("H");
            int n = Integer.parseInt(hardened ? s.substring(0, s.length() - 1) : s);
            indices[i - 1] = hardened ? n | Bip32ECKeyPair.HARDENED_BIT : n;
        }
        return Bip32ECKeyPair.deriveKeyPair(master, indices);
    }

    /** Lower-case {@code 0x} address of a key. */
    static String address(ECKeyPair key) {
        return "0x" + Keys.getAddress(key).toLowerCase(java.util.Locale.ROOT);
    }

    /** Canonical JSON (keys sorted, no whitespace) of a message given as nested maps. */
    static String canonical(Map<String, ?> message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses one JSON object into nested maps (numbers stay integral). */
    static TreeMap<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, Object>>() {
            });
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Parses a message list (JSON array of messages). */
    static List<TreeMap<String, Object>> parseList(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<TreeMap<String, Object>>>() {
            });
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> body(Map<String, Object> message) {
        return (Map<String, Object>) message.get("body");
    }

    /** A message without signature: envelope fields and body. */
    static TreeMap<String, Object> message(String type, String from, String session, long seq,
            Map<String, Object> body) {
        TreeMap<String, Object> m = new TreeMap<>();
        m.put("v", 1);
        m.put("type", type);
        m.put("from", from);
        m.put("session", session);
        m.put("seq", seq);
        m.put("at", System.currentTimeMillis());
        m.put("body", new TreeMap<>(body));
        return m;
    }

    /** The EIP-191 payload a message signature covers: the domain tag and the canonical message without sig. */
    private static byte[] signedPayload(Map<String, Object> message) {
        TreeMap<String, Object> unsigned = new TreeMap<>(message);
        unsigned.remove("sig");
        return ("IOTPAY-PEER/1\n" + canonical(unsigned)).getBytes(StandardCharsets.UTF_8);
    }

    /** Signs a message (EIP-191 personal_sign over the signed payload) and returns its canonical JSON. */
    static String sign(Map<String, Object> message, ECKeyPair key) {
        TreeMap<String, Object> signed = new TreeMap<>(message);
        signed.remove("sig");
        signed.put("sig", hex(Sign.signPrefixedMessage(signedPayload(signed), key)));
        return canonical(signed);
    }

    /** The address a message's {@code sig} recovers to over its canonical payload. */
    static String messageSigner(Map<String, Object> message) {
        try {
            BigInteger pub = Sign.signedPrefixedMessageToKey(signedPayload(message),
                    signatureData((String) message.get("sig")));
            return "0x" + Keys.getAddress(pub);
        } catch (java.security.SignatureException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * EIP-712 digest of {@code Voucher(bytes32 channelId,uint256 cumulativeAmount)} in the domain {@code {name:
     * "IOTPAY", version: "1", chainId, verifyingContract}}.
     */
    static byte[] voucherDigest(long chainId, String contract, String channelHex, BigInteger amount) {
        byte[] domainType = Hash.sha3("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                .getBytes(StandardCharsets.US_ASCII));
        byte[] domain = Hash.sha3(concat(domainType, Hash.sha3("IOTPAY".getBytes(StandardCharsets.US_ASCII)),
                Hash.sha3("1".getBytes(StandardCharsets.US_ASCII)), word(BigInteger.valueOf(chainId)),
                word(Numeric.toBigInt(contract))));
        byte[] voucherType = Hash.sha3("Voucher(bytes32 channelId,uint256 cumulativeAmount)"
                .getBytes(StandardCharsets.US_ASCII));
        byte[] struct = Hash.sha3(concat(voucherType, word(Numeric.toBigInt(channelHex)), word(amount)));
        return Hash.sha3(concat(new byte[] {0x19, 0x01}, domain, struct));
    }

    /** The payer's voucher signature ({@code 0x} r‖s‖v, v 27/28). */
    static String voucherSignature(byte[] digest, ECKeyPair key) {
        return hex(Sign.signMessage(digest, key, false));
    }

    /** The address a voucher signature recovers to. */
    static String voucherSigner(byte[] digest, String signature) {
        try {
            return "0x" + Keys.getAddress(Sign.signedMessageHashToKey(digest, signatureData(signature)));
        } catch (java.security.SignatureException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String hex(Sign.SignatureData s) {
        return Numeric.toHexString(concat(s.getR(), s.getS(), s.getV()));
    }

    private static Sign.SignatureData signatureData(String hex) {
        byte[] b = Numeric.hexStringToByteArray(hex);
        if (b.length != 65) {
            throw new IllegalArgumentException("not a 65-byte signature: " + hex);
        }
        return new Sign.SignatureData(b[64], Arrays.copyOfRange(b, 0, 32), Arrays.copyOfRange(b, 32, 64));
    }

    private static byte[] word(BigInteger v) {
        return Numeric.toBytesPadded(v, 32);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    /**
     * A loopback HTTP relay to a provider's peer endpoint, published as the provider's endpoint so that the consumer
     * talks to the provider through it. Records every message the consumer POSTs and the {@code after} of every
     * outbox poll; {@link #injectIntoNextOutbox} adds one message to the next outbox answer, as if the provider had
     * sent it.
     */
    static final class Proxy implements AutoCloseable {
        private static final Pattern OUTBOX = Pattern.compile("/outbox/([^/?]+)\\?after=(\\d+)");

        private final HttpServer server;
        private final ExecutorService executor = Executors.newFixedThreadPool(4);
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private volatile String target;
        private final List<String> posted = new ArrayList<>();
        private final AtomicLong lastAfter = new AtomicLong(-1);
        private final AtomicLong polls = new AtomicLong();
        private final AtomicReference<String> injection = new AtomicReference<>();

        Proxy() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", this::relay);
            server.setExecutor(executor);
            server.start();
        }

        /** The endpoint to publish: {@code http://127.0.0.1:<port>/iotpay/peer}. */
        String endpoint() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/iotpay/peer";
        }

        /** Where requests go: the real server's base ({@code http://127.0.0.1:<port>}). */
        void target(String base) {
            this.target = base;
        }

        /** Every message the consumer POSTed so far, in order. */
        synchronized List<String> posted() {
            return List.copyOf(posted);
        }

        /** The {@code after} of the latest outbox poll: the consumer's last accepted provider seq. */
        long lastAfter() {
            return lastAfter.get();
        }

        /** How many outbox polls were answered so far. */
        long polls() {
            return polls.get();
        }

        /** Adds {@code messageJson} to the next successful outbox answer (once). */
        void injectIntoNextOutbox(String messageJson) {
            if (!injection.compareAndSet(null, messageJson)) {
                throw new IllegalStateException("an injection is still pending");
            }
        }

        /** Whether the last injection reached the consumer. */
        boolean injected() {
            return injection.get() == null;
        }

        private void relay(HttpExchange ex) throws IOException {
            try (ex) {
                String base = target;
                if (base == null) {
                    ex.sendResponseHeaders(503, -1);
                    return;
                }
                byte[] in;
                try (InputStream is = ex.getRequestBody()) {
                    in = is.readAllBytes();
                }
                String pathAndQuery = ex.getRequestURI().getRawPath()
                        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
                HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                        .timeout(Duration.ofSeconds(60));
                for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                    String name = h.getKey();
                    if (name.equalsIgnoreCase("Content-Type") || name.toLowerCase(java.util.Locale.ROOT)
                            .startsWith("x-iotpay-")) {
                        for (String v : h.getValue()) {
                            rb.header(name, v);
                        }
                    }
                }
                if (ex.getRequestMethod().equals("POST")) {
                    rb.POST(HttpRequest.BodyPublishers.ofByteArray(in));
                    if (pathAndQuery.endsWith("/messages")) {
                        synchronized (this) {
                            posted.add(new String(in, StandardCharsets.UTF_8));
                        }
                    }
                } else {
                    rb.GET();
                }
                HttpResponse<byte[]> r;
                try {
                    r = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ex.sendResponseHeaders(503, -1);
                    return;
                } catch (IOException e) {
                    ex.sendResponseHeaders(502, -1);
                    return;
                }
                byte[] out = r.body();
                Matcher outbox = OUTBOX.matcher(pathAndQuery);
                if (outbox.find() && r.statusCode() == 200) {
                    lastAfter.set(Long.parseLong(outbox.group(2)));
                    polls.incrementAndGet();
                    String extra = injection.getAndSet(null);
                    if (extra != null) {
                        String list = new String(out, StandardCharsets.UTF_8).trim();
                        String inner = list.substring(1, list.length() - 1).trim();
                        out = ("[" + inner + (inner.isEmpty() ? "" : ",") + extra + "]")
                                .getBytes(StandardCharsets.UTF_8);
                    }
                }
                r.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().set("Content-Type", v));
                ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(out);
                    }
                }
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
