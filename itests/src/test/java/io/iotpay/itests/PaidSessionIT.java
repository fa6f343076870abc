package io.iotpay.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static io.iotpay.itests.TwoNodes.claimed;
import static io.iotpay.itests.TwoNodes.delivered;
import static io.iotpay.itests.TwoNodes.row;
import static io.iotpay.itests.TwoNodes.units;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two IOTPAY runtimes on loopback sharing one chain: the provider runs the devnet (anvil, contracts) and sells a
 * simulated 2 kW plug whose clock runs 60 times faster; the consumer has the devnet disabled and its EVM connector
 * pointed at the provider's anvil. The consumer buys 10 simulated minutes through the shell commands, pauses and
 * resumes, the provider pauses and resumes, then stops the session and claims; the on-chain claimed amount equals the metered energy times the price, rounded down
 * (docs/protocol.md, "Rounding").
 */
class PaidSessionIT {

    private static final BigInteger PRICE_WEI_PER_KWH = new BigInteger("300000000000000000"); // 0.3 ETH/kWh
    private static final BigInteger MWH_PER_KWH = BigInteger.valueOf(1_000_000);

    private static TwoNodes nodes;
    private static IotpayRuntime provider;
    private static IotpayRuntime consumer;

    @BeforeAll
    static void start() throws Exception {
        nodes = TwoNodes.start(TwoNodes.ChainHost.PROVIDER, 60, "");
        provider = nodes.provider;
        consumer = nodes.consumer;
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void tenSimulatedMinutesOfATwoKilowattPlugAreClaimedOnChainAsEnergyTimesPrice() throws Exception {
        // provider: payee account and the offer (naming the runtime's own HTTP address)
        String offerUrl = nodes.publishOffer("0.3 ETH/kWh", "0.05", "0.05");
        assertTrue(offerUrl.startsWith("http://127.0.0.1:" + provider.httpPort() + "/iotpay/peer/offers/"), offerUrl);

        // consumer: a funded payer with a policy that allows the purchase
        String[] started = nodes.startSession(offerUrl, "0.2", "0.5 ETH/kWh");
        String session = started[0];
        String channel = started[1];

        // pause and resume from both sides through the shell
        provider.await("some energy is delivered", Duration.ofSeconds(60),
                () -> delivered(row(provider, session)).signum() > 0);
        consumer.execute("iotpay:session-pause " + session);
        provider.await("the provider follows the consumer's pause", Duration.ofSeconds(30),
                () -> row(provider, session).get(2).equals("PAUSED"));
        assertEquals("PAUSED", row(consumer, session).get(2));
        BigInteger paused = delivered(row(provider, session));
        consumer.execute("iotpay:session-resume " + session);
        provider.await("the provider follows the consumer's resume", Duration.ofSeconds(30),
                () -> row(provider, session).get(2).equals("RUNNING"));
        provider.execute("iotpay:session-pause " + session);
        consumer.await("the consumer follows the provider's pause", Duration.ofSeconds(30),
                () -> row(consumer, session).get(2).equals("PAUSED"));
        provider.execute("iotpay:session-resume " + session);
        consumer.await("the consumer follows the provider's resume", Duration.ofSeconds(30),
                () -> row(consumer, session).get(2).equals("RUNNING"));
        assertTrue(delivered(row(provider, session)).compareTo(paused) >= 0);

        // 10 simulated minutes at 60x take about 10 s
        provider.await("10 simulated minutes are delivered", Duration.ofSeconds(60),
                () -> delivered(row(provider, session)).compareTo(BigInteger.valueOf(333_000)) >= 0);
        provider.execute("iotpay:session-stop " + session);
        consumer.await("the consumer saw the stop", Duration.ofSeconds(30),
                () -> row(consumer, session).get(2).equals("STOPPED"));

        List<String> p = row(provider, session);
        List<String> c = row(consumer, session);
        BigInteger metered = delivered(p);
        BigInteger expected = PRICE_WEI_PER_KWH.multiply(metered).divide(MWH_PER_KWH); // floor
        assertTrue(metered.compareTo(BigInteger.valueOf(333_000)) >= 0, "metered " + metered + " mWh");
        assertEquals(metered, delivered(c), "both sides agree on the delivered energy");
        assertEquals(expected, units(p.get(6)), "the provider was paid energy x price: " + p);
        assertEquals(expected, units(c.get(6)), "the consumer paid energy x price: " + c);

        // stopping triggers the provider's claim; channel-list reads the channel on chain
        try {
            provider.await("the provider's claim is mined", Duration.ofSeconds(60),
                    () -> claimed(provider, channel).equals(expected));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "; expected " + expected + " in:\n"
                    + provider.execute("iotpay:channel-list"), e);
        }
        assertEquals(expected, claimed(consumer, channel), "the consumer's node reads the same claim on chain");

        // a second session on the same offer reuses the channel (no second deposit transaction)
        String again = consumer.execute("iotpay:session-start --budget 0.02 --max-price \"0.5 ETH/kWh\" --payer buyer "
                + offerUrl);
        Matcher sm2 = Pattern.compile("Session (\\S+) RUNNING on channel (0x[0-9a-f]{64})").matcher(again);
        assertTrue(sm2.find(), again);
        assertEquals(channel, sm2.group(2), "the second session reuses the channel");
        String second = sm2.group(1);
        provider.await("the second session is paid on the reused channel", Duration.ofSeconds(60),
                () -> units(row(provider, second).get(6)).signum() > 0);
        consumer.execute("iotpay:session-stop " + second);
        provider.await("the provider saw the second stop", Duration.ofSeconds(30),
                () -> row(provider, second).get(2).equals("STOPPED"));
        // the consumer pays the final receipt that answers its STOP after the provider is already STOPPED
        // (docs/protocol.md: after STOP one final RECEIPT and one final VOUCHER may still be exchanged)
        try {
            provider.await("both sides agree on what the second session paid", Duration.ofSeconds(30),
                    () -> units(row(provider, second).get(6)).equals(units(row(consumer, second).get(6))));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + ": provider " + row(provider, second) + ", consumer "
                    + row(consumer, second), e);
        }
        List<String> p2 = row(provider, second);
        assertEquals(delivered(p2), delivered(row(consumer, second)), "both sides agree on the energy");
        assertEquals(PRICE_WEI_PER_KWH.multiply(delivered(p2)).divide(MWH_PER_KWH), units(p2.get(6)),
                "the second session paid energy x price, rounded down: " + p2);
    }

    @Test
    void badInputToTheProvidersPeerEndpointIsRefusedWithAClearErrorAndNoStateChange() throws Exception {
        String before = provider.execute("iotpay:session-list");
        String[][] cases = {
            {"{not json", "MALFORMED"},
            {"{\"v\":99,\"type\":\"STOP\"}", "UNSUPPORTED_VERSION"},
            {"[]", "MALFORMED"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + provider.httpPort() + "/iotpay/peer/messages"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(c[0])).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(r.body().contains(c[1]), c[0] + " -> " + r.statusCode() + " " + r.body());
        }
        // a well-formed VOUCHER with garbage signatures (message and voucher) for a session nobody opened
        String garbageSig = "0x" + "11".repeat(64) + "1b";
        String session = java.util.UUID.randomUUID().toString();
        String voucher = "{\"at\":" + System.currentTimeMillis() + ",\"body\":{\"channel\":\"0x" + "ab".repeat(32)
                + "\",\"cumulativeAmount\":\"1000000000000000000\",\"receiptSeq\":1,\"signature\":\""
                + garbageSig + "\"},\"from\":\"eip155:31337:0x47a0dfa9480fe844699a8f38093e65ea72d14e4b\",\"seq\":2,"
                + "\"session\":\"" + session + "\",\"sig\":\"" + garbageSig + "\",\"type\":\"VOUCHER\",\"v\":1}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + provider.httpPort() + "/iotpay/peer/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(voucher)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.body().contains("UNKNOWN_SESSION") || r.body().contains("BAD_SIGNATURE"),
                "forged voucher -> " + r.statusCode() + " " + r.body());
        assertFalse(r.body().contains("MALFORMED"), "the forged voucher is well-formed: " + r.body());
        assertFalse(provider.execute("iotpay:session-list").contains(session), "no session created");
        assertEquals(before, provider.execute("iotpay:session-list"), "no state change");
    }
}
