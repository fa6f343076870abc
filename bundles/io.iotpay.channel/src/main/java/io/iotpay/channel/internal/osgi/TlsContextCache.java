package io.iotpay.channel.internal.osgi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import io.iotpay.api.identity.DeviceIdentity;

/**
 * The consumer's mutual-TLS context for {@code https} peers: built by the device PKI for this node's
 * {@code certificateDevice}, kept while that device's certificate chain stays the same (looked up again at most every
 * {@link #RECHECK}), so that the HTTP client and its TLS sessions are reused. Empty when peer trust is off, when no
 * PKI is bound, or when no certificate was issued for the device yet.
 */
final class TlsContextCache {

    static final Duration RECHECK = Duration.ofSeconds(5);

    private record Entry(String chain, SSLContext context, Instant checkedAt) {
    }

    private final String device;
    private final Supplier<Optional<DeviceIdentity>> identity;
    private final boolean enabled;
    private final Clock clock;
    private Entry entry;

    TlsContextCache(String device, Supplier<Optional<DeviceIdentity>> identity, boolean enabled) {
        this(device, identity, enabled, Clock.systemUTC());
    }

    TlsContextCache(String device, Supplier<Optional<DeviceIdentity>> identity, boolean enabled, Clock clock) {
        this.device = device == null ? "" : device.trim();
        this.identity = Objects.requireNonNull(identity, "identity");
        this.enabled = enabled;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @return the context for this node's certificate, the same instance while the certificate is unchanged
     * @throws IllegalStateException if the PKI cannot build it (e.g. the device keys are locked)
     */
    synchronized Optional<SSLContext> current() {
        if (!enabled || device.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (entry != null && now.isBefore(entry.checkedAt().plus(RECHECK))) {
            return Optional.of(entry.context());
        }
        Optional<DeviceIdentity> id = identity.get();
        Optional<String> chain = id.flatMap(i -> i.certificateChain(device));
        if (chain.isEmpty()) {
            entry = null;
            return Optional.empty();
        }
        if (entry != null && entry.chain().equals(chain.get())) {
            entry = new Entry(entry.chain(), entry.context(), now);
        } else {
            entry = new Entry(chain.get(), id.get().tlsContext(device), now);
        }
        return Optional.of(entry.context());
    }
}
