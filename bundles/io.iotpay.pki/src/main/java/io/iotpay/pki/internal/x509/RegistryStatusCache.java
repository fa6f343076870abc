package io.iotpay.pki.internal.x509;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.CertificateStatus;
import io.iotpay.api.chain.DeviceRegistryClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * On-chain certificate status with a local cache. An entry younger than the configured freshness is used as is;
 * older entries are fetched again. A freshness of zero asks the chain every time. The age of the data actually used
 * is returned, so callers can show it ({@code VerificationResult.cacheAge}). Revocations done through this node
 * invalidate the entry at once.
 */
public final class RegistryStatusCache {

    /**
     * What the registry said.
     *
     * @param certificateValid the certificate hash is anchored and not revoked
     * @param owner the device's current owner, empty if the device is unknown
     * @param fetchedAt when the registry was asked
     * @param age how old the data was when it was used
     * @param certificate the registry's record of an invalid certificate (revoked or never anchored, with times), if
     *        the registry client can tell ({@code DeviceRegistryClient.certificateStatus}, API 1.1); empty for valid
     *        certificates and clients that cannot tell
     */
    public record Status(boolean certificateValid, Optional<AccountId> owner, Instant fetchedAt, Duration age,
            Optional<CertificateStatus> certificate) {
    }

    private record Entry(boolean valid, Optional<AccountId> owner, Instant fetchedAt,
            Optional<CertificateStatus> certificate) {
    }

    private final DeviceRegistryClient registry;
    private final Clock clock;
    private final Duration freshness;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param registry the on-chain registry
     * @param clock time source
     * @param freshness maximum age of a cached entry, zero or positive
     */
    public RegistryStatusCache(DeviceRegistryClient registry, Clock clock, Duration freshness) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (freshness.isNegative()) {
            throw new IllegalArgumentException("cache freshness " + freshness + " must not be negative");
        }
        this.freshness = freshness;
    }

    /**
     * Returns the status, from the cache if fresh enough.
     *
     * @param certHash SHA-256 of the certificate
     * @param deviceId the device id in the certificate
     * @return the status
     * @throws io.iotpay.api.chain.ChainException if the registry cannot be reached and no fresh entry exists
     */
    public Status status(byte[] certHash, String deviceId) {
        String key = HexFormat.of().formatHex(certHash) + "/" + deviceId;
        Instant now = clock.instant();
        Entry e = entries.get(key);
        if (e == null || Duration.between(e.fetchedAt(), now).compareTo(freshness) > 0
                || freshness.isZero()) {
            boolean valid = registry.isValid(certHash);
            Optional<AccountId> owner = registry.ownerOf(deviceId);
            Optional<CertificateStatus> record = Optional.empty();
            if (!valid) {
                try {
                    record = Optional.of(registry.certificateStatus(certHash));
                } catch (UnsupportedOperationException older) {
                    // a registry client without certificateStatus: revoked and never anchored look alike
                }
            }
            e = new Entry(valid, owner, now, record);
            entries.put(key, e);
        }
        Duration age = Duration.between(e.fetchedAt(), now);
        return new Status(e.valid(), e.owner(), e.fetchedAt(), age.isNegative() ? Duration.ZERO : age,
                e.certificate());
    }

    /**
     * Forgets every entry of a certificate (after revoking it here).
     *
     * @param certHash SHA-256 of the certificate
     */
    public void invalidate(byte[] certHash) {
        String prefix = HexFormat.of().formatHex(certHash) + "/";
        entries.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** Forgets everything (e.g. after an ownership transfer). */
    public void clear() {
        entries.clear();
    }

    /** @return the configured freshness */
    public Duration freshness() {
        return freshness;
    }
}
