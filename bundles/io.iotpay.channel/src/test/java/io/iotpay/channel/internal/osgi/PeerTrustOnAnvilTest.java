package io.iotpay.channel.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.PurchaseRequest;
import io.iotpay.api.channel.SessionSnapshot;
import io.iotpay.api.channel.SessionState;
import io.iotpay.api.identity.VerificationResult.Status;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.Price;

/**
 * Peer trust between two channel nodes over real loopback HTTP on a real anvil ({@link TwoNodes}): the provider
 * publishes its certificate in the offer, the consumer sends its own in {@value PeerTrust#HEADER}; both verdicts come
 * from a {@link PeerTrustTest.Identity} per node. A trusted consumer runs a session; once its certificate is REVOKED
 * the provider answers the next OPEN_SESSION with a signed PEER_UNTRUSTED error and starts nothing; a consumer that
 * does not trust the provider's certificate opens no channel.
 */
class PeerTrustOnAnvilTest {

    private static final Asset ETH = Asset.DEVNET_ETH;

    @TempDir
    Path dir;

    TwoNodes n;
    final PeerTrustTest.Identity providerPki = new PeerTrustTest.Identity();
    final PeerTrustTest.Identity consumerPki = new PeerTrustTest.Identity();
    String payeeCert;
    String payerCert;

    @BeforeEach
    void start() throws Exception {
        n = new TwoNodes(dir, 2000, Duration.ofSeconds(1));
        payeeCert = PeerTrustTest.certificate(n.payee);
        payerCert = PeerTrustTest.certificate(n.payer);
        providerPki.chains.put("provider-dev", payeeCert);
        consumerPki.chains.put("consumer-dev", payerCert);
        providerPki.verdicts.put(payerCert, Status.VALID);
        consumerPki.verdicts.put(payeeCert, Status.VALID);
        n.provider.peerTrust(new PeerTrust(PeerTrust.Mode.CERTIFICATE, "provider-dev", () -> Optional.of(providerPki),
                Duration.ofSeconds(60), Clock.systemUTC()));
        PeerTrust consumerTrust = new PeerTrust(PeerTrust.Mode.CERTIFICATE, "consumer-dev",
                () -> Optional.of(consumerPki), Duration.ofSeconds(60), Clock.systemUTC());
        n.consumer.peerTrust(consumerTrust);
        n.consumerTrust = consumerTrust;
    }

    @AfterEach
    void stop() {
        n.close();
    }

    private Offer publish() {
        return n.provider.publishOffer("plug-1", Price.parse("0.3 ETH/kWh", ETH), Amount.parse("0.02", ETH),
                Amount.parse("0.05", ETH));
    }

    private SessionSnapshot buy(Offer o) {
        return n.consumer.startPurchase(new PurchaseRequest(URI.create(n.endpoint + "/offers/" + o.offerId()),
                Amount.parse("0.05", ETH), Price.parse("0.5 ETH/kWh", ETH), n.payer));
    }

    @Test
    void aTrustedConsumerRunsASessionARevokedOneIsRefusedByTheProviderWithoutStateChange() {
        Offer offer = publish();
        assertEquals(payeeCert, offer.certificatePem(), "the offer carries the provider's certificate");
        SessionSnapshot first = buy(offer);
        assertEquals(SessionState.RUNNING, first.state());
        assertTrue(providerPki.verified.contains(payerCert), "the provider verified the consumer's certificate");
        assertTrue(consumerPki.verified.contains(payeeCert), "the consumer verified the provider's certificate");
        n.step(Duration.ofSeconds(1));
        assertEquals(SessionState.RUNNING, n.provider.session(first.id()).orElseThrow().state());

        providerPki.verdicts.put(payerCert, Status.REVOKED);
        int providerSessions = n.provider.sessions().size();
        ProtocolException e = assertThrows(ProtocolException.class, () -> buy(offer));
        assertEquals(ErrorCode.PEER_UNTRUSTED, e.code());
        assertTrue(e.getMessage().contains("REVOKED") && e.getMessage().contains("refused the session"),
                e.getMessage());
        assertEquals(providerSessions, n.provider.sessions().size(), "the provider started nothing");
        // the admitted session is not re-checked before its recheck interval: it keeps running
        n.step(Duration.ofSeconds(1));
        assertEquals(SessionState.RUNNING, n.provider.session(first.id()).orElseThrow().state());
    }

    @Test
    void aConsumerThatDoesNotTrustTheProvidersCertificateOpensNoChannel() {
        Offer offer = publish();
        consumerPki.verdicts.put(payeeCert, Status.UNKNOWN_CA);
        ProtocolException e = assertThrows(ProtocolException.class, () -> buy(offer));
        assertEquals(ErrorCode.PEER_UNTRUSTED, e.code());
        assertTrue(e.getMessage().contains("UNKNOWN_CA"), e.getMessage());
        assertTrue(n.consumer.channels().isEmpty(), "no channel was opened");
    }

    @Test
    void aConsumerWithoutPeerTrustIsRefusedByAProviderThatRequiresIt() {
        Offer offer = publish();
        n.consumer.peerTrust(PeerTrust.OFF);
        n.consumerTrust = PeerTrust.OFF;
        ProtocolException e = assertThrows(ProtocolException.class, () -> buy(offer));
        assertEquals(ErrorCode.PEER_UNTRUSTED, e.code());
        assertTrue(e.getMessage().contains("NO_CERTIFICATE"), e.getMessage());
        assertTrue(n.provider.sessions().isEmpty(), "the provider started nothing");
    }

    @Test
    void payPerRequestServesATrustedConsumerAndRefusesARevokedOneWithoutServing() {
        Offer forecast = n.provider.publishOffer("forecast", Price.parse("0.001 ETH/request", ETH),
                Amount.parse("0", ETH), Amount.parse("0.01", ETH));
        assertEquals(payeeCert, forecast.certificatePem(), "the 402 offer carries the provider's certificate");
        URI resource = URI.create(n.endpoint.toString().replace("/iotpay/peer", "/iotpay/paid/") + forecast.offerId());
        ChannelNode.PaidResponse ok = n.consumer.buyRequest(resource, n.payer, Amount.parse("0.01", ETH),
                Price.parse("0.002 ETH/request", ETH));
        assertEquals(200, ok.status(), new String(ok.body(), java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(providerPki.verified.contains(payerCert), "the provider verified the consumer's certificate");
        assertEquals(java.math.BigInteger.ONE, n.forecast.read().cumulativeSubunits(), "one request served");

        providerPki.verdicts.put(payerCert, Status.REVOKED);
        ChannelNode.PaidResponse refused = n.consumer.buyRequest(resource, n.payer, Amount.parse("0.01", ETH),
                Price.parse("0.002 ETH/request", ETH));
        String body = new String(refused.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(403, refused.status(), body);
        assertTrue(body.contains("PEER_UNTRUSTED") && body.contains("REVOKED"), body);
        assertEquals(java.math.BigInteger.ONE, n.forecast.read().cumulativeSubunits(), "nothing more served");

        // without peer trust on the consumer, no certificate is sent: refused too
        providerPki.verdicts.put(payerCert, Status.VALID);
        n.consumer.peerTrust(PeerTrust.OFF);
        ChannelNode.PaidResponse none = n.consumer.buyRequest(resource, n.payer, Amount.parse("0.01", ETH),
                Price.parse("0.002 ETH/request", ETH));
        String noneBody = new String(none.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(403, none.status(), noneBody);
        assertTrue(noneBody.contains("NO_CERTIFICATE"), noneBody);
        assertEquals(java.math.BigInteger.ONE, n.forecast.read().cumulativeSubunits(), "nothing more served");
    }
}
