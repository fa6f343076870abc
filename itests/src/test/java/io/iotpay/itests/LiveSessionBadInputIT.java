package io.iotpay.itests;

import static io.iotpay.itests.TwoNodes.ADDRESS;
import static io.iotpay.itests.TwoNodes.DEVICE;
import static io.iotpay.itests.TwoNodes.claimed;
import static io.iotpay.itests.TwoNodes.delivered;
import static io.iotpay.itests.TwoNodes.paid;
import static io.iotpay.itests.TwoNodes.row;
import static io.iotpay.itests.TwoNodes.rowOrNull;
import static io.iotpay.itests.TwoNodes.state;
import static io.iotpay.itests.TwoNodes.units;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * Bad input on a LIVE session between two Karaf runtimes on a real anvil (issue 5: "forged or replayed vouchers,
 * vouchers above the deposit, out-of-order receipts ...: each refused with a clear error and no state change").
 *
 * <p>The provider publishes its offer with a peer endpoint that is a small relay in this test JVM
 * ({@link PeerWire.Proxy}), so the consumer talks to the provider through it: the relay records the consumer's genuine
 * messages and can add one message to an outbox answer as if the provider had sent it. The test derives the payer's
 * and the payee's keys from the mnemonics the wallets printed, with an implementation of its own (web3j), and checks
 * them against {@code iotpay:wallet-address}, its EIP-712 voucher digest against a genuine voucher and its message
 * signing against a genuine message. With the session paused (numbers stand still) it proves, each case against
 * every {@code session-list} and {@code channel-list} row of both runtimes being unchanged:
 * <ol>
 * <li>provider, VOUCHER with the next seq: signed (EIP-712) by a key that is not the channel's payer:
 * {@code BAD_SIGNATURE}; sent in the name of a stranger: {@code BAD_SIGNATURE};</li>
 * <li>a genuine voucher signature with a changed amount (envelope signed by the real payer): {@code BAD_SIGNATURE};</li>
 * <li>a genuine voucher replayed verbatim (old seq) and re-wrapped with the next seq, signed by the real payer:
 * {@code REPLAYED};</li>
 * <li>a voucher above the channel deposit, correctly signed by the real payer: {@code ABOVE_DEPOSIT};</li>
 * <li>consumer, RECEIPT with the next provider seq: tampered (genuine payee signature, changed quantity) and forged
 * (signed by a stranger in the payee's name): refused {@code BAD_SIGNATURE}; validly signed by the payee with a
 * cumulative quantity below the previous receipt: refused {@code OUT_OF_ORDER} (the consumer's refusal is its
 * karaf.log line; it sends nothing and keeps polling from the same seq).</li>
 * </ol>
 * Every refusal is a signed ERROR from the payee's key naming the refused seq. Afterwards the consumer's RESUME is
 * accepted with the very seq the refused vouchers used (no seq consumed), the provider's next receipt is accepted by
 * the consumer, more energy is paid, and after the stop the provider's claim on chain equals what both sides show as
 * paid, which is the metered energy times the price.
 */
class LiveSessionBadInputIT {

    private static final BigInteger PRICE_WEI_PER_KWH = new BigInteger("300000000000000000"); // 0.3 ETH/kWh
    private static final BigInteger MWH_PER_KWH = BigInteger.valueOf(1_000_000);
    private static final long CHAIN = 31337;

    private static PeerWire.Proxy proxy;
    private static TwoNodes nodes;
    private static IotpayRuntime provider;
    private static IotpayRuntime consumer;

    @BeforeAll
    static void start() throws Exception {
        proxy = new PeerWire.Proxy();
        // clock speed 10: 2 kW cost about 0.0017 ETH per real second, far from the budget during the test
        nodes = TwoNodes.start(TwoNodes.ChainHost.PROVIDER, 10, "endpoint=" + proxy.endpoint() + "\n");
        provider = nodes.provider;
        consumer = nodes.consumer;
        proxy.target("http://127.0.0.1:" + provider.httpPort());
    }

    @AfterAll
    static void stop() {
        try {
            if (nodes != null) {
                nodes.close();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    @Test
    void forgedTamperedReplayedAboveDepositVouchersAndBadReceiptsAreRefusedWithoutStateChange() throws Exception {
        // ---- provider: payee account (its mnemonic printed once) and an offer naming the relay as endpoint
        String sellerMnemonic = mnemonic(provider.execute(
                "iotpay:wallet-create --chain eip155:31337 --show-mnemonic seller"));
        nodes.fund(provider, "seller");
        ECKeyPair seller = PeerWire.key(sellerMnemonic, path(provider, "seller"));
        assertEquals(walletAddress(provider, "seller"), PeerWire.address(seller),
                "the test derives the payee's key independently");
        String published = TwoNodes.awaitCommand(provider, "iotpay:offer-publish --credit 0.05 --min-deposit 0.05 "
                + DEVICE + " \"0.3 ETH/kWh\"");
        Matcher url = Pattern.compile("url\\s+(http://\\S+)").matcher(published);
        assertTrue(url.find(), published);
        String offerUrl = url.group(1);
        assertTrue(offerUrl.startsWith(proxy.endpoint() + "/offers/"), "the offer names the relay: " + offerUrl);
        Map<String, Object> offer = PeerWire.parse(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(offerUrl)).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        String sellerFrom = "eip155:31337:" + PeerWire.address(seller);
        assertEquals(sellerFrom, offer.get("from"), "the payee's key signs the provider's messages");
        assertEquals(PeerWire.address(seller), PeerWire.messageSigner(offer), "independent EIP-191 check of the OFFER");
        String contract = ((String) PeerWire.body(offer).get("contract")).substring("eip155:31337:".length());

        // ---- consumer: payer account (mnemonic printed once), a session through the relay
        String buyerMnemonic = mnemonic(consumer.execute(
                "iotpay:wallet-create --chain eip155:31337 --show-mnemonic buyer"));
        nodes.fund(consumer, "buyer");
        ECKeyPair buyer = PeerWire.key(buyerMnemonic, path(consumer, "buyer"));
        assertEquals(walletAddress(consumer, "buyer"), PeerWire.address(buyer),
                "the test derives the payer's key independently");
        String buyerFrom = "eip155:31337:" + PeerWire.address(buyer);
        consumer.execute("iotpay:wallet-policy-set --day 5 --session none --approval-above none buyer");
        String started = consumer.execute("iotpay:session-start --budget 0.2 --max-price \"0.5 ETH/kWh\" --payer buyer "
                + offerUrl);
        Matcher sm = Pattern.compile("Session (\\S+) RUNNING on channel (0x[0-9a-f]{64})").matcher(started);
        assertTrue(sm.find(), started);
        String session = sm.group(1);
        String channel = sm.group(2);
        BigInteger deposit = deposit(provider, channel);
        assertEquals(new BigInteger("200000000000000000"), deposit, "the budget is the deposit");

        // ---- vouchers flow; then the consumer pauses and both sides settle on the same numbers
        provider.await("the provider holds two vouchers", Duration.ofSeconds(90),
                () -> vouchers(session).size() >= 2 && paid(row(provider, session)).signum() > 0);
        consumer.execute("iotpay:session-pause " + session);
        String before = awaitSettled(session);
        List<String> providerRow = row(provider, session);
        List<String> consumerRow = row(consumer, session);
        assertEquals("PAUSED", state(providerRow), before);
        assertEquals(delivered(providerRow), delivered(consumerRow), before);
        BigInteger latest = paid(providerRow);
        assertEquals(latest, paid(consumerRow), before);
        assertTrue(latest.signum() > 0, before);

        // the consumer's genuine traffic, read through the relay, checked with the test's own crypto
        List<TreeMap<String, Object>> genuine = vouchers(session);
        TreeMap<String, Object> last = genuine.get(genuine.size() - 1);
        TreeMap<String, Object> earlier = genuine.get(0);
        assertEquals(latest, amount(last), "the last voucher sent is the one the provider holds");
        assertTrue(amount(earlier).compareTo(latest) < 0, "an earlier, lower voucher: " + genuine);
        assertEquals(PeerWire.address(buyer), PeerWire.messageSigner(last), "independent EIP-191 check");
        assertEquals(PeerWire.address(buyer), PeerWire.voucherSigner(PeerWire.voucherDigest(CHAIN, contract,
                channel, latest), (String) PeerWire.body(last).get("signature")), "independent EIP-712 check");
        long next = consumerSeq(session) + 1;
        long receiptSeq = ((Number) PeerWire.body(last).get("receiptSeq")).longValue();
        BigInteger more = latest.add(new BigInteger("1000000000000")); // within the deposit
        assertTrue(more.compareTo(deposit) < 0);
        ECKeyPair stranger = Keys.createEcKeyPair();
        String strangerFrom = "eip155:31337:" + PeerWire.address(stranger);

        // ---- 1. forged vouchers: payer's name, stranger's EIP-712 signature; a stranger as sender
        TreeMap<String, Object> forged = voucher(buyerFrom, session, next, channel, more, receiptSeq,
                PeerWire.voucherSignature(PeerWire.voucherDigest(CHAIN, contract, channel, more), stranger));
        refused(PeerWire.sign(forged, stranger), next, "BAD_SIGNATURE", "not signed by the channel payer", seller);
        assertEquals(before, snapshot(), "forged voucher: no state change");
        TreeMap<String, Object> fromStranger = voucher(strangerFrom, session, next, channel, more, receiptSeq,
                PeerWire.voucherSignature(PeerWire.voucherDigest(CHAIN, contract, channel, more), stranger));
        refused(PeerWire.sign(fromStranger, stranger), next, "BAD_SIGNATURE", "but the peer is", seller);
        assertEquals(before, snapshot(), "voucher from a stranger: no state change");

        // ---- 2. tampered: the genuine voucher signature over a changed amount, envelope signed by the real payer
        TreeMap<String, Object> tampered = voucher(buyerFrom, session, next, channel, more, receiptSeq,
                (String) PeerWire.body(last).get("signature"));
        refused(PeerWire.sign(tampered, buyer), next, "BAD_SIGNATURE", "not signed by the channel payer", seller);
        assertEquals(before, snapshot(), "tampered voucher: no state change");

        // ---- 3. replayed: verbatim (its old seq), and re-wrapped with the next seq by the real payer
        long lastSeq = ((Number) last.get("seq")).longValue();
        refused(PeerWire.canonical(last), lastSeq, "REPLAYED", "already used", seller);
        assertEquals(before, snapshot(), "voucher replayed verbatim: no state change");
        for (TreeMap<String, Object> old : List.of(last, earlier)) {
            TreeMap<String, Object> rewrapped = PeerWire.message("VOUCHER", buyerFrom, session, next,
                    PeerWire.body(old));
            refused(PeerWire.sign(rewrapped, buyer), next, "REPLAYED", "is not above the latest accepted " + latest,
                    seller);
            assertEquals(before, snapshot(), "voucher of " + amount(old) + " re-wrapped: no state change");
        }

        // ---- 4. above the deposit, validly signed by the real payer
        BigInteger above = deposit.add(BigInteger.ONE);
        TreeMap<String, Object> tooMuch = voucher(buyerFrom, session, next, channel, above, receiptSeq,
                PeerWire.voucherSignature(PeerWire.voucherDigest(CHAIN, contract, channel, above), buyer));
        refused(PeerWire.sign(tooMuch, buyer), next, "ABOVE_DEPOSIT", "is above the channel deposit " + deposit,
                seller);
        assertEquals(before, snapshot(), "voucher above the deposit: no state change");

        // ---- 5. receipts to the consumer with the next provider seq, through the relay's outbox answer
        long peerSeq = proxy.lastAfter();
        assertTrue(peerSeq > 0, "the consumer polls the outbox through the relay");
        BigInteger delivered = delivered(consumerRow);
        TreeMap<String, Object> genuineReceipt = PeerWire.message("RECEIPT", sellerFrom, session, peerSeq + 1,
                Map.of("cumulativeQuantity", delivered.add(BigInteger.valueOf(1000)).toString()));
        TreeMap<String, Object> tamperedReceipt = PeerWire.parse(PeerWire.sign(genuineReceipt, seller));
        PeerWire.body(tamperedReceipt).put("cumulativeQuantity", delivered.add(BigInteger.valueOf(1_000_000))
                .toString());
        consumerRefuses(session, PeerWire.canonical(tamperedReceipt), "BAD_SIGNATURE", peerSeq, before);
        TreeMap<String, Object> forgedReceipt = PeerWire.message("RECEIPT", sellerFrom, session, peerSeq + 1,
                Map.of("cumulativeQuantity", delivered.add(BigInteger.valueOf(1000)).toString()));
        consumerRefuses(session, PeerWire.sign(forgedReceipt, stranger), "BAD_SIGNATURE", peerSeq, before);
        TreeMap<String, Object> lower = PeerWire.message("RECEIPT", sellerFrom, session, peerSeq + 1,
                Map.of("cumulativeQuantity", delivered.subtract(BigInteger.ONE).toString()));
        consumerRefuses(session, PeerWire.sign(lower, seller), "OUT_OF_ORDER", peerSeq, before);

        // ---- the genuine session goes on: RESUME with the seq the refused vouchers used, receipts, vouchers
        consumer.execute("iotpay:session-resume " + session);
        provider.await("the provider accepts the consumer's resume", Duration.ofSeconds(60),
                () -> "RUNNING".equals(state(row(provider, session))));
        TreeMap<String, Object> resume = posted(session).stream().filter(m -> "RESUME".equals(m.get("type")))
                .findFirst().orElseThrow();
        assertEquals(next, ((Number) resume.get("seq")).longValue(), "no refusal consumed a consumer seq");
        provider.await("the consumer accepts the provider's next receipts and pays them", Duration.ofSeconds(90),
                () -> {
                    List<String> p = rowOrNull(provider, session);
                    List<String> c = rowOrNull(consumer, session);
                    return p != null && c != null && proxy.lastAfter() > peerSeq
                            && delivered(c).compareTo(delivered) > 0
                            && paid(p).compareTo(latest.add(new BigInteger("5000000000000000"))) > 0;
                });
        provider.execute("iotpay:session-stop " + session);
        consumer.await("the consumer saw the stop", Duration.ofSeconds(60),
                () -> "STOPPED".equals(state(row(consumer, session))));
        consumer.await("the consumer paid the final receipt", Duration.ofSeconds(30),
                () -> paid(row(consumer, session)).equals(paid(row(provider, session))));
        List<String> p = row(provider, session);
        List<String> c = row(consumer, session);
        BigInteger metered = delivered(p);
        BigInteger expected = PRICE_WEI_PER_KWH.multiply(metered).divide(MWH_PER_KWH);
        assertEquals(metered, delivered(c), "both sides agree on the delivered energy");
        assertEquals(expected, paid(p), "the provider was paid energy x price: " + p);
        assertEquals(expected, paid(c), "the consumer paid energy x price: " + c);
        try {
            provider.await("the provider's claim is mined", Duration.ofSeconds(90),
                    () -> claimed(provider, channel).equals(expected));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "; expected " + expected + " in:\n"
                    + provider.execute("iotpay:channel-list"), e);
        }
        assertEquals(expected, claimed(consumer, channel), "the consumer's node reads the same claim on chain");
    }

    // ------------------------------------------------------------------ cases

    /** POSTs a message straight to the provider and checks the answer is one signed ERROR with the code. */
    private static void refused(String json, long seq, String code, String text, ECKeyPair seller) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + provider.httpPort() + "/iotpay/peer/messages"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        String what = json + "\n -> " + r.statusCode() + " " + r.body();
        assertEquals(200, r.statusCode(), what);
        List<TreeMap<String, Object>> replies = PeerWire.parseList(r.body());
        assertEquals(1, replies.size(), what);
        TreeMap<String, Object> error = replies.get(0);
        assertEquals("ERROR", error.get("type"), what);
        assertEquals(code, PeerWire.body(error).get("code"), what);
        assertTrue(((String) PeerWire.body(error).get("message")).contains(text), what);
        assertEquals(seq, ((Number) PeerWire.body(error).get("refSeq")).longValue(), what);
        assertEquals(PeerWire.address(seller), PeerWire.messageSigner(error), "the ERROR is signed by the payee");
        System.out.println("LiveSessionBadInputIT: provider refused: " + PeerWire.body(error).get("message"));
    }

    /**
     * Adds a message to the consumer's next outbox answer and waits for the consumer's refusal (its log line):
     * nothing changes, nothing is sent, and the consumer keeps polling after the same seq.
     */
    private static void consumerRefuses(String session, String json, String code, long peerSeq, String before)
            throws Exception {
        String line = "Refused provider message RECEIPT of session " + session + ": " + code + ":";
        long seen = logCount(line);
        int sent = proxy.posted().size();
        proxy.injectIntoNextOutbox(json);
        consumer.await("the injected receipt reaches the consumer", Duration.ofSeconds(30), proxy::injected);
        consumer.await("the consumer refuses the receipt (" + code + ")", Duration.ofSeconds(30),
                () -> logCount(line) > seen);
        long polls = proxy.polls();
        consumer.await("the consumer polls again", Duration.ofSeconds(30), () -> proxy.polls() > polls + 1);
        assertEquals(peerSeq, proxy.lastAfter(), "the consumer still waits for provider seq " + (peerSeq + 1));
        assertEquals(sent, proxy.posted().size(), "the consumer sent nothing in answer to " + json);
        assertEquals(before, snapshot(), "refused receipt: no state change: " + json);
        System.out.println("LiveSessionBadInputIT: consumer refused: " + lastLogLine(line));
    }

    // ------------------------------------------------------------------ helpers

    private static TreeMap<String, Object> voucher(String from, String session, long seq, String channel,
            BigInteger amount, long receiptSeq, String signature) {
        return PeerWire.message("VOUCHER", from, session, seq, Map.of("channel", channel, "cumulativeAmount",
                amount.toString(), "receiptSeq", receiptSeq, "signature", signature));
    }

    private static BigInteger amount(Map<String, Object> voucher) {
        return new BigInteger((String) PeerWire.body(voucher).get("cumulativeAmount"));
    }

    /** The consumer's messages of the session as the relay saw them. */
    private static List<TreeMap<String, Object>> posted(String session) {
        return proxy.posted().stream().map(PeerWire::parse).filter(m -> session.equals(m.get("session"))).toList();
    }

    private static List<TreeMap<String, Object>> vouchers(String session) {
        return posted(session).stream().filter(m -> "VOUCHER".equals(m.get("type"))).toList();
    }

    private static long consumerSeq(String session) {
        return posted(session).stream().mapToLong(m -> ((Number) m.get("seq")).longValue()).max().orElseThrow();
    }

    /** Waits until both sides are PAUSED, agree on delivered and paid, and nothing moves for a few ticks. */
    private static String awaitSettled(String session) {
        String[] last = {null};
        long[] since = {0};
        provider.await("both sides settle on the paused session", Duration.ofSeconds(90), () -> {
            List<String> p = rowOrNull(provider, session);
            List<String> c = rowOrNull(consumer, session);
            if (p == null || c == null || !"PAUSED".equals(state(p)) || !"PAUSED".equals(state(c))
                    || !delivered(p).equals(delivered(c)) || !paid(p).equals(paid(c))) {
                last[0] = null;
                return false;
            }
            String now = snapshot();
            if (!now.equals(last[0])) {
                last[0] = now;
                since[0] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - since[0] > Duration.ofSeconds(3).toNanos();
        });
        return last[0];
    }

    /** What both runtimes show: every session and channel row. */
    private static String snapshot() {
        return "provider sessions:\n" + provider.execute("iotpay:session-list") + "consumer sessions:\n"
                + consumer.execute("iotpay:session-list") + "provider channels:\n"
                + provider.execute("iotpay:channel-list") + "consumer channels:\n"
                + consumer.execute("iotpay:channel-list");
    }

    private static BigInteger deposit(IotpayRuntime rt, String channel) {
        for (String line : rt.execute("iotpay:channel-list").split("\\R")) {
            if (line.contains(channel)) {
                return units(line.split("[│|]")[4]);
            }
        }
        throw new IllegalStateException("no channel " + channel);
    }

    private static String mnemonic(String walletCreate) {
        String[] lines = walletCreate.split("\\R");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].contains("New household mnemonic")) {
                return lines[i + 1].trim();
            }
        }
        throw new AssertionError("no mnemonic printed: " + walletCreate);
    }

    /** The derivation path wallet-list shows for an alias. */
    private static String path(IotpayRuntime rt, String alias) {
        for (String line : rt.execute("iotpay:wallet-list").split("\\R")) {
            String[] cells = line.split("[│|]");
            if (cells.length > 3 && cells[0].trim().equals(alias)) {
                return cells[3].trim();
            }
        }
        throw new AssertionError("no account " + alias);
    }

    private static String walletAddress(IotpayRuntime rt, String alias) {
        Matcher m = ADDRESS.matcher(rt.execute("iotpay:wallet-address " + alias));
        assertTrue(m.find(), "an address for " + alias);
        return m.group().toLowerCase(java.util.Locale.ROOT);
    }

    private static String log() {
        try {
            return Files.readString(consumer.home().resolve("data/log/karaf.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static long logCount(String text) {
        return log().lines().filter(l -> l.contains(text)).count();
    }

    private static String lastLogLine(String text) {
        List<String> lines = log().lines().filter(l -> l.contains(text)).toList();
        assertFalse(lines.isEmpty());
        String l = lines.get(lines.size() - 1);
        assertNotNull(l);
        return l.substring(l.indexOf("Refused provider message"));
    }
}
