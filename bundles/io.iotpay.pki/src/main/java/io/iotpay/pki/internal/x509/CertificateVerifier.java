package io.iotpay.pki.internal.x509;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.api.identity.VerificationResult.Status;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a device certificate chain (device certificate first, optionally followed by its CA) in this order, and
 * stops at the first failure:
 *
 * <ol>
 * <li>profile: the leaf is an IOTPAY device certificate (CN, CAIP-10 SAN URI, device-link extension, not a CA) -
 * otherwise {@link Status#BAD_SIGNATURE} with the reason;</li>
 * <li>issuer: a trusted CA (per {@link TrustPolicy}) with the issuer's name exists - otherwise
 * {@link Status#UNKNOWN_CA}; its key verifies the certificate signature - otherwise {@link Status#BAD_SIGNATURE}
 * (tampered), or {@link Status#UNKNOWN_CA} when the peer presented a different CA under a trusted CA's name;</li>
 * <li>dates of the CA and the leaf against the injected {@link Clock}: {@link Status#NOT_YET_VALID},
 * {@link Status#EXPIRED};</li>
 * <li>payment-key link signature: {@link Status#BAD_SIGNATURE};</li>
 * <li>owner: the owner in the device certificate equals the CA's owner and passes the allow list -
 * {@link Status#OWNER_NOT_TRUSTED};</li>
 * <li>on-chain registry (through {@link RegistryStatusCache}): certificate anchored and not revoked, device owned on
 * chain by the certificate's owner - {@link Status#NOT_ANCHORED}, {@link Status#REVOKED},
 * {@link Status#OWNER_NOT_TRUSTED}. Without a reachable registry the result is {@link Status#NOT_ANCHORED}: the check
 * fails closed.</li>
 * </ol>
 */
public final class CertificateVerifier {

    private final TrustPolicy policy;
    private final RegistryStatusCache registry;
    private final Clock clock;

    /**
     * @param policy trusted CAs and owners
     * @param registry on-chain status, or null if no registry is available (everything is then NOT_ANCHORED)
     * @param clock time source for validity dates
     */
    public CertificateVerifier(TrustPolicy policy, RegistryStatusCache registry, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.registry = registry;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies a PEM chain.
     *
     * @param pemChain PEM text, device certificate first
     * @return the result
     * @throws IllegalArgumentException if the text holds no certificate
     */
    public VerificationResult verify(String pemChain) {
        return verify(Pem.decodeCertificates(pemChain));
    }

    /**
     * Verifies a chain.
     *
     * @param chain device certificate first
     * @return the result, never throws for an invalid certificate
     */
    public VerificationResult verify(List<X509Certificate> chain) {
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("certificate chain is empty");
        }
        Instant now = clock.instant();
        X509Certificate leaf = chain.get(0);
        DeviceProfile.DeviceFacts facts;
        try {
            facts = DeviceProfile.read(leaf);
        } catch (IllegalArgumentException e) {
            return fail(Status.BAD_SIGNATURE, "not an IOTPAY device certificate: " + e.getMessage(), now);
        }
        String who = "device " + facts.deviceId();
        if (leaf.getBasicConstraints() != -1) {
            return fail(Status.BAD_SIGNATURE, who + ": certificate is a CA certificate, not a device certificate", now);
        }

        // 2. issuer and signature
        String issuerName = leaf.getIssuerX500Principal().getName();
        List<X509Certificate> candidates = new ArrayList<>();
        for (X509Certificate a : policy.anchors()) {
            if (a.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                candidates.add(a);
            }
        }
        if (policy.mode() == TrustPolicy.Mode.ANY_ANCHORED) {
            for (X509Certificate c : chain.subList(1, chain.size())) {
                if (c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()) && isSelfSignedCa(c)) {
                    candidates.add(c);
                }
            }
        }
        if (candidates.isEmpty()) {
            return fail(Status.UNKNOWN_CA, who + ": issuer \"" + issuerName + "\" is not a trusted CA (trust mode "
                    + policy.mode() + ")", now);
        }
        X509Certificate ca = null;
        for (X509Certificate c : candidates) {
            if (verifies(leaf, c.getPublicKey())) {
                ca = c;
                break;
            }
        }
        if (ca == null) {
            boolean foreignPresented = chain.subList(1, chain.size()).stream()
                    .filter(c -> c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()))
                    .anyMatch(c -> policy.anchors().stream().noneMatch(
                            a -> Arrays.equals(a.getPublicKey().getEncoded(), c.getPublicKey().getEncoded())));
            if (foreignPresented) {
                return fail(Status.UNKNOWN_CA, who + ": the presented CA \"" + issuerName
                        + "\" is not the trusted CA of that name (different key)", now);
            }
            return fail(Status.BAD_SIGNATURE, who + ": certificate signature does not verify with the key of CA \""
                    + issuerName + "\" (tampered or issued by another CA of the same name)", now);
        }

        // 3. dates
        Optional<VerificationResult> dates = checkDates(ca, "CA \"" + issuerName + "\"", now);
        if (dates.isEmpty()) {
            dates = checkDates(leaf, who + " certificate", now);
        }
        if (dates.isPresent()) {
            return dates.get();
        }

        // 4. payment-key link
        Optional<String> link = PaymentKeyLink.check(facts.deviceId(), facts.paymentAccount(), leaf.getPublicKey(),
                facts.link());
        if (link.isPresent()) {
            return fail(Status.BAD_SIGNATURE, who + ": " + link.get(), now);
        }

        // 5. owner
        AccountId caOwner;
        try {
            caOwner = OwnerCa.ownerOf(ca);
        } catch (IllegalArgumentException e) {
            return fail(Status.OWNER_NOT_TRUSTED, who + ": " + e.getMessage(), now);
        }
        if (!caOwner.equals(facts.owner())) {
            return fail(Status.OWNER_NOT_TRUSTED, who + ": certificate names owner " + facts.owner()
                    + " but its CA belongs to " + caOwner, now);
        }
        if (!policy.ownerAllowed(facts.owner())) {
            return fail(Status.OWNER_NOT_TRUSTED, who + ": owner " + facts.owner() + " is not an allowed owner", now);
        }

        // 6. on-chain registry
        byte[] hash = DeviceProfile.hash(leaf);
        String hashHex = "0x" + HexFormat.of().formatHex(hash);
        if (registry == null) {
            return fail(Status.NOT_ANCHORED, who + ": no on-chain device registry is available, the anchoring and"
                    + " revocation status of " + hashHex + " cannot be checked", now);
        }
        RegistryStatusCache.Status s;
        try {
            s = registry.status(hash, facts.deviceId());
        } catch (RuntimeException e) {
            return fail(Status.NOT_ANCHORED, who + ": on-chain device registry unreachable ("
                    + e.getClass().getSimpleName() + "), status of " + hashHex + " unknown", now);
        }
        String age = " (registry data age " + s.age().toSeconds() + " s, fetched " + s.fetchedAt() + ")";
        if (!s.certificateValid()) {
            if (s.owner().isEmpty()) {
                return VerificationResult.of(Status.NOT_ANCHORED, who + " is not registered on chain; certificate "
                        + hashHex + " is not anchored" + age, now, s.age());
            }
            if (s.certificate().isPresent()) {
                io.iotpay.api.chain.CertificateStatus c = s.certificate().get();
                if (c.state() == io.iotpay.api.chain.CertificateStatus.State.NOT_ANCHORED) {
                    return VerificationResult.of(Status.NOT_ANCHORED, who + " is registered on chain (owner "
                            + s.owner().get() + ") but certificate " + hashHex + " was never anchored for it" + age,
                            now, s.age());
                }
                if (c.state() == io.iotpay.api.chain.CertificateStatus.State.REVOKED) {
                    return VerificationResult.of(Status.REVOKED, who + ": certificate " + hashHex
                            + " was revoked in the on-chain registry at " + c.revokedAt().orElseThrow() + age, now,
                            s.age());
                }
            }
            return VerificationResult.of(Status.REVOKED, who + ": certificate " + hashHex
                    + " is revoked (or was never anchored) in the on-chain registry" + age, now, s.age());
        }
        if (s.owner().isEmpty() || !sameAccount(s.owner().get(), facts.owner())) {
            return VerificationResult.of(Status.OWNER_NOT_TRUSTED, who + " is owned on chain by "
                    + s.owner().map(Object::toString).orElse("nobody") + ", the certificate names " + facts.owner()
                    + " (ownership transferred?)" + age, now, s.age());
        }
        return VerificationResult.of(Status.VALID, who + " valid: payment account " + facts.paymentAccount()
                + ", owner " + facts.owner() + ", issuer \"" + issuerName + "\", serial "
                + leaf.getSerialNumber().toString(16) + ", not after " + leaf.getNotAfter().toInstant() + age, now,
                s.age());
    }

    private static boolean sameAccount(AccountId a, AccountId b) {
        return a.chainId().equals(b.chainId()) && a.address().equalsIgnoreCase(b.address());
    }

    private static Optional<VerificationResult> checkDates(X509Certificate c, String what, Instant now) {
        if (now.isBefore(c.getNotBefore().toInstant())) {
            return Optional.of(fail(Status.NOT_YET_VALID, what + " is not valid before " + c.getNotBefore().toInstant()
                    + " (now " + now + ")", now));
        }
        if (now.isAfter(c.getNotAfter().toInstant())) {
            return Optional.of(fail(Status.EXPIRED, what + " expired at " + c.getNotAfter().toInstant() + " (now "
                    + now + ")", now));
        }
        return Optional.empty();
    }

    private static boolean isSelfSignedCa(X509Certificate c) {
        return c.getBasicConstraints() >= 0 && c.getSubjectX500Principal().equals(c.getIssuerX500Principal())
                && verifies(c, c.getPublicKey());
    }

    private static boolean verifies(X509Certificate c, PublicKey key) {
        try {
            c.verify(key);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static VerificationResult fail(Status status, String detail, Instant now) {
        return VerificationResult.of(status, detail, now, Duration.ZERO);
    }

    /** @return the trust policy */
    public TrustPolicy policy() {
        return policy;
    }
}
