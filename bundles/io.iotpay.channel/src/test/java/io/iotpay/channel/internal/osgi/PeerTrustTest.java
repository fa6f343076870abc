package io.iotpay.channel.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.identity.DeviceCertificate;
import io.iotpay.api.identity.DeviceIdentity;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.api.identity.VerificationResult.Status;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;
import io.iotpay.channel.internal.protocol.Body;
import io.iotpay.channel.internal.protocol.Envelope;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.SignedMessage;
import io.iotpay.channel.internal.testing.TestKey;

/**
 * Peer trust with real X.509 certificates (payment account as a CAIP-10 SubjectAltName URI, as the PKI issues them)
 * and a {@link DeviceIdentity} whose verdict per certificate is set by the test (the verification itself is the
 * PKI's, tested in io.iotpay.pki): a valid certificate of the signer passes, REVOKED / UNKNOWN_CA / EXPIRED / a
 * certificate of another account / none are refused with PEER_UNTRUSTED naming the status; off checks nothing.
 */
class PeerTrustTest {

    private static final ChainId CHAIN = ChainId.DEVNET;
    private final MessageCodec codec = new MessageCodec();
    private final TestKey consumer = TestKey.random(CHAIN);
    private final TestKey other = TestKey.random(CHAIN);
    private final TestKey provider = TestKey.random(CHAIN);
    private final Identity pki = new Identity();
    private final MutableClock clock = new MutableClock();
    private final PeerTrust trust = new PeerTrust(PeerTrust.Mode.CERTIFICATE, "node-1",
            () -> Optional.of(pki), Duration.ofSeconds(60), clock);

    @Test
    void aValidCertificateOfTheSignerOpensTheSessionAndItsMessagesPassWithinTheRecheckInterval() throws Exception {
        String pem = certificate(consumer.account());
        pki.verdicts.put(pem, Status.VALID);
        SessionId session = SessionId.random();
        assertDoesNotThrow(() -> trust.admit(open(consumer, session), header(pem), id -> true));
        assertEquals(1, pki.verified.size());
        // later messages of the admitted session need no header until the recheck interval is over
        assertDoesNotThrow(() -> trust.admit(voucher(consumer, session), null, id -> true));
        assertEquals(1, pki.verified.size());
        clock.now = clock.now.plusSeconds(61);
        ProtocolException stale = assertThrows(ProtocolException.class,
                () -> trust.admit(voucher(consumer, session), null, id -> true));
        assertEquals(ErrorCode.PEER_UNTRUSTED, stale.code());
        assertTrue(stale.getMessage().startsWith("PEER_UNTRUSTED: NO_CERTIFICATE:"), stale.getMessage());
        assertDoesNotThrow(() -> trust.admit(voucher(consumer, session), header(pem), id -> true));
        assertEquals(2, pki.verified.size());
    }

    @Test
    void overMutualTlsOnlyTheSessionsConsumerReadsItsOutbox() throws Exception {
        SessionId session = SessionId.random();
        assertDoesNotThrow(() -> PeerTrust.requireReader(header(certificate(consumer.account())), consumer.account(),
                session));
        ProtocolException stranger = assertThrows(ProtocolException.class, () -> PeerTrust.requireReader(
                header(certificate(other.account())), consumer.account(), session));
        assertEquals(ErrorCode.PEER_UNTRUSTED, stranger.code());
        assertTrue(stranger.getMessage().startsWith("PEER_UNTRUSTED: ACCOUNT_MISMATCH: ")
                && stranger.getMessage().contains(other.account().toString()), stranger.getMessage());
        ProtocolException none = assertThrows(ProtocolException.class,
                () -> PeerTrust.requireReader(null, consumer.account(), session));
        assertTrue(none.getMessage().startsWith("PEER_UNTRUSTED: NO_CERTIFICATE: "), none.getMessage());
    }

    @Test
    void aRevokedCertificateIsRefusedNamingTheStatusAndTheDetail() throws Exception {
        String pem = certificate(consumer.account());
        pki.verdicts.put(pem, Status.REVOKED);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> trust.admit(open(consumer, SessionId.random()), header(pem), id -> false));
        assertEquals(ErrorCode.PEER_UNTRUSTED, e.code());
        assertTrue(e.getMessage().startsWith("PEER_UNTRUSTED: REVOKED: "), e.getMessage());
        assertTrue(e.getMessage().contains("verdict REVOKED"), "the PKI's detail is passed on: " + e.getMessage());
    }

    @Test
    void aCertificateOfAForeignCaOrExpiredOrNotAllowedOwnerIsRefused() throws Exception {
        for (Status s : List.of(Status.UNKNOWN_CA, Status.EXPIRED, Status.OWNER_NOT_TRUSTED, Status.NOT_ANCHORED,
                Status.BAD_SIGNATURE)) {
            String pem = certificate(consumer.account());
            pki.verdicts.put(pem, s);
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> trust.admit(open(consumer, SessionId.random()), header(pem), id -> false));
            assertEquals(ErrorCode.PEER_UNTRUSTED, e.code());
            assertTrue(e.getMessage().startsWith("PEER_UNTRUSTED: " + s.name() + ": "), e.getMessage());
        }
    }

    @Test
    void aValidCertificateOfAnotherAccountIsRefused() throws Exception {
        String pem = certificate(other.account());
        pki.verdicts.put(pem, Status.VALID);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> trust.admit(open(consumer, SessionId.random()), header(pem), id -> false));
        assertEquals(ErrorCode.PEER_UNTRUSTED, e.code());
        assertTrue(e.getMessage().startsWith("PEER_UNTRUSTED: ACCOUNT_MISMATCH: "), e.getMessage());
        assertTrue(e.getMessage().contains(other.account().toString())
                && e.getMessage().contains(consumer.account().toString()), e.getMessage());
    }

    @Test
    void aSessionAdmittedForOneSignerDoesNotAdmitAnotherSignersMessages() throws Exception {
        String pem = certificate(consumer.account());
        pki.verdicts.put(pem, Status.VALID);
        SessionId session = SessionId.random();
        trust.admit(open(consumer, session), header(pem), id -> true);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> trust.admit(voucher(other, session), header(pem), id -> true));
        assertTrue(e.getMessage().startsWith("PEER_UNTRUSTED: ACCOUNT_MISMATCH: "), e.getMessage());
    }

    @Test
    void missingOrGarbledHeaderAndMissingPkiAreRefused() throws Exception {
        SessionId session = SessionId.random();
        assertTrue(assertThrows(ProtocolException.class, () -> trust.admit(open(consumer, session), null, id -> false))
                .getMessage().startsWith("PEER_UNTRUSTED: NO_CERTIFICATE: "));
        assertTrue(assertThrows(ProtocolException.class,
                () -> trust.admit(open(consumer, session), "%%%not base64", id -> false)).getMessage().startsWith("PEER_UNTRUSTED: NO_CERTIFICATE: "));
        String pem = certificate(consumer.account());
        PeerTrust noPki = new PeerTrust(PeerTrust.Mode.CERTIFICATE, "node-1", Optional::empty, Duration.ZERO,
                clock);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> noPki.admit(open(consumer, session), header(pem), id -> false));
        assertTrue(e.getMessage().startsWith("PEER_UNTRUSTED: NO_PKI: "), e.getMessage());
    }

    @Test
    void theConsumerChecksTheOffersCertificateAgainstThePayee() throws Exception {
        String pem = certificate(provider.account());
        pki.verdicts.put(pem, Status.VALID);
        assertDoesNotThrow(() -> trust.checkOffer(offer(provider.account(), pem)));
        ProtocolException none = assertThrows(ProtocolException.class,
                () -> trust.checkOffer(offer(provider.account(), null)));
        assertTrue(none.getMessage().startsWith("PEER_UNTRUSTED: NO_CERTIFICATE: "), none.getMessage());
        ProtocolException otherPayee = assertThrows(ProtocolException.class,
                () -> trust.checkOffer(offer(other.account(), pem)));
        assertTrue(otherPayee.getMessage().startsWith("PEER_UNTRUSTED: ACCOUNT_MISMATCH: "), otherPayee.getMessage());
        pki.verdicts.put(pem, Status.REVOKED);
        ProtocolException revoked = assertThrows(ProtocolException.class,
                () -> trust.checkOffer(offer(provider.account(), pem)));
        assertEquals(ErrorCode.PEER_UNTRUSTED, revoked.code());
        assertTrue(revoked.getMessage().startsWith("PEER_UNTRUSTED: REVOKED: "), revoked.getMessage());
    }

    @Test
    void thisNodePresentsItsOwnChainAsHeaderAndInOffersOnlyForItsPayee() throws Exception {
        String pem = certificate(provider.account());
        pki.chains.put("node-1", pem);
        Map<String, String> h = trust.requestHeaders();
        assertEquals(pem, new String(Base64.getDecoder().decode(h.get(PeerTrust.HEADER)), StandardCharsets.UTF_8));
        assertEquals(pem, trust.offerCertificate(provider.account()));
        IllegalStateException wrong = assertThrows(IllegalStateException.class,
                () -> trust.offerCertificate(other.account()));
        assertTrue(wrong.getMessage().contains("is issued for " + provider.account()), wrong.getMessage());
        PeerTrust nothingIssued = new PeerTrust(PeerTrust.Mode.CERTIFICATE, "node-2", () -> Optional.of(pki),
                Duration.ZERO, clock);
        assertTrue(nothingIssued.requestHeaders().isEmpty());
        assertThrows(IllegalStateException.class, () -> nothingIssued.offerCertificate(provider.account()));
        assertThrows(IllegalArgumentException.class, () -> new PeerTrust(PeerTrust.Mode.CERTIFICATE, " ",
                () -> Optional.of(pki), Duration.ZERO, clock));
    }

    @Test
    void offChecksAndSendsNothing() throws Exception {
        pki.chains.put("node-1", certificate(provider.account()));
        PeerTrust off = new PeerTrust(PeerTrust.Mode.parse("off"), "node-1", () -> Optional.of(pki),
                Duration.ZERO, clock);
        assertDoesNotThrow(() -> off.admit(open(consumer, SessionId.random()), null, id -> false));
        assertDoesNotThrow(() -> off.checkOffer(offer(provider.account(), null)));
        assertTrue(off.requestHeaders().isEmpty());
        assertNull(off.offerCertificate(provider.account()));
        assertTrue(pki.verified.isEmpty());
        assertEquals(PeerTrust.Mode.OFF, PeerTrust.Mode.parse(""));
        assertEquals(PeerTrust.Mode.CERTIFICATE, PeerTrust.Mode.parse(" Certificate "));
        assertThrows(IllegalArgumentException.class, () -> PeerTrust.Mode.parse("tls"));
        assertTrue(PeerTrust.OFF.requestHeaders().isEmpty());
    }

    @Test
    void thePaymentAccountIsTheFirstCaip10SubjectAltNameUri() throws Exception {
        assertEquals(Optional.of(consumer.account()), PeerTrust.paymentAccount(certificate(consumer.account())));
        assertEquals(Optional.empty(), PeerTrust.paymentAccount("not a certificate"));
    }

    // ------------------------------------------------------------------ helpers

    private SignedMessage open(TestKey from, SessionId session) {
        ChannelId channel = new ChannelId(new byte[32]);
        return codec.sign(new Envelope(MessageCodec.VERSION, MessageType.OPEN_SESSION, from.account(), session, 1,
                Instant.now()), new Body.OpenSession("offer-1", channel, from.account(), null), from.messageSigner());
    }

    /** A later message of the session (a STOP). */
    private SignedMessage voucher(TestKey from, SessionId session) {
        return codec.sign(new Envelope(MessageCodec.VERSION, MessageType.STOP, from.account(), session, 2,
                Instant.now()), new Body.Stop("test"), from.messageSigner());
    }

    private static Offer offer(AccountId payee, String pem) {
        Asset eth = Asset.DEVNET_ETH;
        Amount one = Amount.ofUnits(BigInteger.ONE, eth);
        return new Offer("offer-1", payee, "plug-1", Price.of(one, MeteringUnit.ofSymbol("kWh")),
                AccountId.of(CHAIN, "0x" + "11".repeat(20)), "iotpay-channels-v1", one, one, one, Duration.ofHours(1),
                URI.create("http://127.0.0.1:1/iotpay/peer"), pem, MessageCodec.VERSION);
    }

    private static String header(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    /** A self-signed P-256 certificate whose SubjectAltName URI is the account (CAIP-10), as the PKI's profile. */
    static String certificate(AccountId account) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=dev-" + account.address().substring(2, 10));
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), name, kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.uniformResourceIdentifier, "https://example.invalid/not-an-account"),
            new GeneralName(GeneralName.uniformResourceIdentifier, account.toString()) }));
        var cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(cert);
        }
        return w.toString();
    }

    /** The PKI as seen by the channel engine: verdicts per PEM set by the test, issued chains per device. */
    static final class Identity implements DeviceIdentity {
        final Map<String, Status> verdicts = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<String, String> chains = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> verified = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public VerificationResult verify(String pemChain) {
            verified.add(pemChain);
            Status s = verdicts.getOrDefault(pemChain, Status.UNKNOWN_CA);
            return VerificationResult.of(s, "verdict " + s, Instant.now(), Duration.ZERO);
        }

        @Override
        public Optional<String> certificateChain(String deviceId) {
            return Optional.ofNullable(chains.get(deviceId));
        }

        @Override
        public DeviceCertificate issue(String deviceId, AccountId paymentAccount, Duration validity) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TxHash revoke(String deviceId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<AccountId> ownerOf(String deviceId) {
            return Optional.empty();
        }

        @Override
        public List<DeviceCertificate> certificates() {
            return List.of();
        }
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
