package io.iotpay.itests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Peer trust by device certificate between two runtimes on one devnet chain (docs/protocol.md, "Peer trust"): both
 * run {@code peerTrust=certificate} with the PKI in {@code ANY_ANCHORED} mode (each accepts the other's owner CA
 * because the certificates are anchored in the shared DeviceRegistry). Each node creates its owner CA and issues the
 * certificate of its account through the shell; a session starts; then the consumer's certificate is revoked on chain
 * and the provider refuses the next session with PEER_UNTRUSTED naming REVOKED.
 */
class PeerTrustIT {

    private static final int FRESHNESS_SECONDS = 2;
    private static TwoNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = TwoNodes.startCertified(FRESHNESS_SECONDS, "");
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void aRevokedConsumerIsRefusedByTheProviderWithAClearError() throws Exception {
        IotpayRuntime provider = nodes.provider;
        IotpayRuntime consumer = nodes.consumer;
        nodes.certify(provider, "seller", "provider-node");
        String published = TwoNodes.awaitCommand(provider, "iotpay:offer-publish --credit 0.05 --min-deposit 0.05 "
                + TwoNodes.DEVICE + " \"0.3 ETH/kWh\"");
        Matcher url = Pattern.compile("url\\s+(http://\\S+)").matcher(published);
        assertTrue(url.find(), published);
        String offerUrl = url.group(1);

        nodes.certify(consumer, "buyer", "consumer-node");
        consumer.execute("iotpay:wallet-policy-set --day 5 --session none --approval-above none buyer");
        String start = "iotpay:session-start --budget 0.1 --max-price \"0.5 ETH/kWh\" --payer buyer " + offerUrl;
        String started = consumer.execute(start);
        Matcher sm = Pattern.compile("Session (\\S+) RUNNING on channel (0x[0-9a-f]{64})").matcher(started);
        assertTrue(sm.find(), "a certified consumer starts a session: " + started);
        String session = sm.group(1);
        provider.await("the provider runs the session", Duration.ofSeconds(30),
                () -> "RUNNING".equals(TwoNodes.state(TwoNodes.row(provider, session))));

        // revoked on chain by the consumer's owner; the provider's cached VALID ages out after the freshness
        consumer.execute("iotpay:cert-revoke consumer-node");
        Thread.sleep((FRESHNESS_SECONDS + 1) * 1000L);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> consumer.execute(start));
        String message = refused.getMessage();
        assertTrue(message.contains("PEER_UNTRUSTED") && message.contains("REVOKED"), message);
        assertTrue(message.contains("refused the session"), "the provider's refusal is named: " + message);
    }
}
