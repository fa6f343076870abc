package io.iotpay.channel.internal.osgi;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.Offer;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionId;
import io.iotpay.api.identity.DeviceIdentity;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.channel.internal.protocol.MessageType;
import io.iotpay.channel.internal.protocol.SignedMessage;

/**
 * Peer trust by device certificate (docs/protocol.md, "Peer trust"): with mode {@link Mode#CERTIFICATE} a node
 * presents the certificate chain of its {@code certificateDevice} (consumer: header {@value #HEADER} on every peer
 * request; provider: the offer's {@code certificatePem}), and accepts a peer only if the {@link DeviceIdentity}
 * verifies the peer's chain as {@code VALID} (trust mode, allowed owners, expiry, on-chain revocation) and the
 * certificate's payment account (CAIP-10 in the SubjectAltName) is the account that signs the peer's messages (the
 * consumer's {@code from}, the offer's payee). Any failure is a {@link ProtocolException} with code
 * {@link ErrorCode#PEER_UNTRUSTED} and the message {@code "<STATUS>: <detail>"}. With {@link Mode#OFF} nothing is
 * checked or sent.
 * <p>
 * The certificate is public: the header proves nothing by itself. What binds it to the peer is the message signature
 * by the payment key, which the engine checks as always; a peer without a valid certificate for its signing account
 * is refused.
 */
public final class PeerTrust {

    private static final Logger LOG = LoggerFactory.getLogger(PeerTrust.class);

    /** Request header carrying the consumer's certificate chain: base64 (RFC 4648, standard) of the PEM chain. */
    public static final String HEADER = "X-IOTPAY-Certificate";
    /** Largest accepted header value (a device certificate and its CA are about 2 KiB in base64). */
    static final int MAX_HEADER = 16 * 1024;
    private static final Duration OWN_CHAIN_CACHE = Duration.ofSeconds(10);
    private static final int ADMITTED_LIMIT = 10_000;

    /** Configuration {@code peerTrust}. */
    public enum Mode {
        /** No certificates are sent or checked (default). */
        OFF,
        /** Peers must present a valid certificate for their account. */
        CERTIFICATE;

        /**
         * Parses the configuration value (case-insensitive).
         *
         * @throws IllegalArgumentException for anything else than off / certificate
         */
        public static Mode parse(String value) {
            String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
            if (v.isEmpty()) {
                return OFF;
            }
            try {
                return valueOf(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("peerTrust \"" + value + "\" is not one of off, certificate", e);
            }
        }
    }

    /** Trust nobody's certificates, send none (today's behaviour). */
    public static final PeerTrust OFF = new PeerTrust(Mode.OFF, "", () -> Optional.empty(), Duration.ZERO,
            Clock.systemUTC());

    private record Admission(AccountId signer, Instant checkedAt) {
    }

    private record OwnChain(String pem, String header, Instant readAt) {
    }

    private final Mode mode;
    private final String certificateDevice;
    private final Supplier<Optional<DeviceIdentity>> identity;
    private final Duration recheck;
    private final Clock clock;
    private final Map<SessionId, Admission> admitted = new ConcurrentHashMap<>();
    private volatile OwnChain own;

    /**
     * @param mode off or certificate
     * @param certificateDevice the device id whose certificate this node presents (required with CERTIFICATE)
     * @param identity the device PKI, when bound (looked up at each use: it may come and go)
     * @param recheck how long a running session's admission holds before its certificate is verified again
     * @param clock time source
     * @throws IllegalArgumentException if CERTIFICATE is asked for without a device id
     */
    public PeerTrust(Mode mode, String certificateDevice, Supplier<Optional<DeviceIdentity>> identity,
            Duration recheck, Clock clock) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.certificateDevice = certificateDevice == null ? "" : certificateDevice.trim();
        this.identity = Objects.requireNonNull(identity, "identity");
        this.recheck = Objects.requireNonNull(recheck, "recheck");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (mode == Mode.CERTIFICATE && this.certificateDevice.isEmpty()) {
            throw new IllegalArgumentException("peerTrust=certificate needs certificateDevice: the device id whose "
                    + "certificate (iotpay:cert-issue) this node presents");
        }
    }

    /** @return true if certificates are sent and checked */
    public boolean enabled() {
        return mode == Mode.CERTIFICATE;
    }

    /** @return the configured mode */
    public Mode mode() {
        return mode;
    }

    // ------------------------------------------------------------------ own certificate

    private Optional<OwnChain> ownChain() {
        OwnChain c = own;
        Instant now = clock.instant();
        if (c != null && now.isBefore(c.readAt().plus(OWN_CHAIN_CACHE))) {
            return Optional.of(c);
        }
        Optional<String> pem = identity.get().flatMap(id -> id.certificateChain(certificateDevice));
        if (pem.isEmpty()) {
            own = null;
            return Optional.empty();
        }
        c = new OwnChain(pem.get(), Base64.getEncoder().encodeToString(pem.get().getBytes(StandardCharsets.UTF_8)),
                now);
        own = c;
        return Optional.of(c);
    }

    /**
     * This node's certificate chain (PEM) as presented to peers (looked up again at most every 10 s), empty when off
     * or when no certificate was issued here for {@code certificateDevice}.
     */
    public Optional<String> ownChainPem() {
        return enabled() ? ownChain().map(OwnChain::pem) : Optional.empty();
    }

    /**
     * Consumer: the headers for every request to a provider ({@value #HEADER} with this node's chain), empty when off
     * or when there is no certificate to present (the provider then refuses with a message saying so).
     */
    public Map<String, String> requestHeaders() {
        if (!enabled()) {
            return Map.of();
        }
        try {
            return ownChain().map(c -> Map.of(HEADER, c.header())).orElseGet(() -> {
                LOG.warn("peerTrust=certificate but no certificate for device {} was issued here (iotpay:cert-issue)",
                        certificateDevice);
                return Map.of();
            });
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the certificate of device {}: {}", certificateDevice, e.toString());
            return Map.of();
        }
    }

    /**
     * Provider: the PEM chain to publish in an offer paid to {@code payee} (null when off).
     *
     * @throws IllegalStateException if there is no certificate, or it names another payment account
     */
    public String offerCertificate(AccountId payee) {
        if (!enabled()) {
            return null;
        }
        String pem = ownChain().map(OwnChain::pem).orElseThrow(() -> new IllegalStateException(
                "peerTrust=certificate: no certificate was issued here for certificateDevice " + certificateDevice
                        + " (iotpay:cert-issue " + certificateDevice + " <payee account>)"));
        AccountId certified = paymentAccount(pem).orElseThrow(() -> new IllegalStateException(
                "the certificate of " + certificateDevice + " names no CAIP-10 payment account"));
        if (!sameAccount(certified, payee)) {
            throw new IllegalStateException("the certificate of " + certificateDevice + " is issued for " + certified
                    + " but offers are paid to " + payee);
        }
        return pem;
    }

    // ------------------------------------------------------------------ checking peers

    /**
     * Consumer: checks a provider's offer before a channel is opened to it.
     *
     * @throws ProtocolException PEER_UNTRUSTED
     */
    public void checkOffer(Offer offer) {
        if (!enabled()) {
            return;
        }
        if (offer.certificatePem() == null || offer.certificatePem().isBlank()) {
            throw untrusted("NO_CERTIFICATE", "offer " + offer.offerId() + " carries no certificate");
        }
        check(offer.certificatePem(), offer.payee(), "provider");
    }

    /**
     * Provider: admits a consumer message. An OPEN_SESSION, a message of a session that was not admitted, and any
     * message of an admitted session once its last check is older than the recheck interval need the certificate
     * header; a session that was admitted recently passes without one.
     *
     * @param m the decoded (not yet verified) message
     * @param header the {@value #HEADER} header or null
     * @param sessionExists whether the provider has the message's session
     * @throws ProtocolException PEER_UNTRUSTED
     */
    public void admit(SignedMessage m, String header, Predicate<SessionId> sessionExists) {
        if (!enabled()) {
            return;
        }
        SessionId session = m.envelope().session();
        AccountId from = m.envelope().from();
        boolean open = m.body().type() == MessageType.OPEN_SESSION;
        Instant now = clock.instant();
        if (!open && session != null) {
            Admission a = admitted.get(session);
            if (a != null && sameAccount(a.signer(), from) && now.isBefore(a.checkedAt().plus(recheck))
                    && sessionExists.test(session)) {
                return;
            }
        }
        checkHeader(header, from);
        if (session != null) {
            if (admitted.size() >= ADMITTED_LIMIT) {
                admitted.keySet().removeIf(id -> !sessionExists.test(id));
            }
            admitted.put(session, new Admission(from, now));
        }
    }

    /**
     * Provider, pay-per-request: admits one paid request (its VOUCHER message, signature already verified) by the
     * consumer's certificate header, every time (a request is not a session; the PKI's status cache keeps it cheap).
     *
     * @param m the request's verified VOUCHER message
     * @param header the {@value #HEADER} header or null
     * @throws ProtocolException PEER_UNTRUSTED
     */
    public void admitRequest(SignedMessage m, String header) {
        if (enabled()) {
            checkHeader(header, m.envelope().from());
        }
    }

    private void checkHeader(String header, AccountId from) {
        if (header == null || header.isBlank()) {
            throw untrusted("NO_CERTIFICATE", "the request carries no " + HEADER + " header (the consumer needs "
                    + "peerTrust=certificate and a certificate for " + from + ")");
        }
        check(decodeHeader(header), from, "consumer");
    }

    /** The PEM chain of a certificate header (base64 of PEM, at most {@value #MAX_HEADER} characters). */
    private static String decodeHeader(String header) {
        if (header.length() > MAX_HEADER) {
            throw untrusted("NO_CERTIFICATE", HEADER + " is larger than " + MAX_HEADER + " characters");
        }
        try {
            return new String(Base64.getDecoder().decode(header.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw untrusted("NO_CERTIFICATE", HEADER + " is not base64");
        }
    }

    private void check(String pem, AccountId signer, String role) {
        DeviceIdentity id = identity.get().orElseThrow(() -> untrusted("NO_PKI",
                "no device PKI (DeviceIdentity) is available on this node to verify the " + role + "'s certificate"));
        VerificationResult r;
        try {
            r = id.verify(pem);
        } catch (IllegalArgumentException e) {
            throw untrusted("BAD_SIGNATURE", "the " + role + "'s certificate is not a PEM chain");
        } catch (RuntimeException e) {
            throw untrusted("NOT_ANCHORED", "the " + role + "'s certificate could not be verified: " + e.getMessage());
        }
        if (!r.valid()) {
            throw untrusted(r.status().name(), "the " + role + "'s certificate is not accepted: " + r.detail());
        }
        AccountId certified = paymentAccount(pem).orElseThrow(() -> untrusted("BAD_SIGNATURE",
                "the " + role + "'s certificate names no CAIP-10 payment account"));
        if (!sameAccount(certified, signer)) {
            throw untrusted("ACCOUNT_MISMATCH", "the " + role + "'s certificate is issued for " + certified
                    + " but its messages are signed by " + signer);
        }
    }

    /**
     * Provider, over mutual TLS: only the session's consumer reads (and acknowledges) the session's outbox.
     *
     * @param tlsChain the reader's verified TLS chain, base64 of PEM (null: no client certificate)
     * @param consumer the session's consumer
     * @param session the session
     * @throws ProtocolException PEER_UNTRUSTED ({@code NO_CERTIFICATE} or {@code ACCOUNT_MISMATCH})
     */
    static void requireReader(String tlsChain, AccountId consumer, SessionId session) {
        if (tlsChain == null || tlsChain.isBlank()) {
            throw untrusted("NO_CERTIFICATE", "the outbox of session " + session + " is read with the consumer's "
                    + "TLS certificate only");
        }
        String pem = decodeHeader(tlsChain);
        AccountId reader = paymentAccount(pem).orElseThrow(() -> untrusted("ACCOUNT_MISMATCH",
                "the reader's TLS certificate names no CAIP-10 payment account"));
        if (!sameAccount(reader, consumer)) {
            throw untrusted("ACCOUNT_MISMATCH", "the outbox of session " + session + " belongs to its consumer "
                    + consumer + ", not to " + reader);
        }
    }

    private static ProtocolException untrusted(String status, String detail) {
        return new ProtocolException(ErrorCode.PEER_UNTRUSTED, status + ": " + detail);
    }

    private static boolean sameAccount(AccountId a, AccountId b) {
        return a.chainId().equals(b.chainId()) && a.address().equalsIgnoreCase(b.address());
    }

    /**
     * The payment account of the first certificate of a PEM chain: the first SubjectAltName URI that parses as
     * CAIP-10 (docs/pki.md, "Certificate profile").
     */
    static Optional<AccountId> paymentAccount(String pem) {
        X509Certificate leaf;
        try {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
            if (all.isEmpty()) {
                return Optional.empty();
            }
            leaf = (X509Certificate) all.iterator().next();
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (sans == null) {
            return Optional.empty();
        }
        for (List<?> san : sans) {
            if (san.size() >= 2 && Integer.valueOf(6).equals(san.get(0)) && san.get(1) instanceof String uri) {
                try {
                    return Optional.of(AccountId.parse(uri));
                } catch (IllegalArgumentException e) {
                    // another URI: ignored
                }
            }
        }
        return Optional.empty();
    }
}
