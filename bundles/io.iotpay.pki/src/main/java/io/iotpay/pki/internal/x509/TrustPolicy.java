package io.iotpay.pki.internal.x509;

import io.iotpay.api.chain.AccountId;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which peers' certificates are accepted.
 *
 * @param mode which issuing CAs are trusted
 * @param anchors the trusted CA certificates: in {@link Mode#OWN_CA_ONLY} just the node's own CA, in
 *        {@link Mode#LISTED_CAS} the own CA plus the listed ones; in {@link Mode#ANY_ANCHORED} they are trusted as well
 *        but a chain may also end in a CA the peer presents
 * @param allowedOwners owners whose devices are accepted; empty means any owner the mode lets through
 */
public record TrustPolicy(Mode mode, List<X509Certificate> anchors, Set<AccountId> allowedOwners) {

    /** Trust modes. */
    public enum Mode {
        /** Only certificates issued by this node's own owner CA. */
        OWN_CA_ONLY,
        /** Certificates issued by the own CA or any listed CA (files in the {@code trusted/} folder). */
        LISTED_CAS,
        /**
         * Any owner CA, as long as the device certificate is anchored and valid in the on-chain registry, the chain
         * ends in a self-signed CA certificate the peer presents, and the owner named by that CA, by the device
         * certificate and by the registry are the same account.
         */
        ANY_ANCHORED
    }

    /**
     * Validates and copies.
     */
    public TrustPolicy {
        Objects.requireNonNull(mode, "trust mode");
        anchors = List.copyOf(anchors);
        allowedOwners = Set.copyOf(allowedOwners);
        // empty anchors are allowed (no CA created yet): every chain is then UNKNOWN_CA, except in ANY_ANCHORED.
    }

    /**
     * Tells whether an owner passes the allow list.
     *
     * @param owner an owner
     * @return true if the list is empty or holds the owner
     */
    public boolean ownerAllowed(AccountId owner) {
        return allowedOwners.isEmpty() || allowedOwners.contains(owner);
    }
}
