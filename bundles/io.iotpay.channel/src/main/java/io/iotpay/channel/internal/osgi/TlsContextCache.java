package io.iotpay.channel.internal.osgi;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

/**
 * This node's mutual-TLS context, built by the device PKI for its {@code certificateDevice} and kept (the same
 * instance, so that HTTP clients and TLS listeners are reused) while that device's certificate chain stays the same;
 * built again when the chain changes (re-issued). Empty while there is no certificate.
 */
final class TlsContextCache {

    private final Supplier<Optional<String>> chain;
    private final Supplier<SSLContext> build;
    private String builtFor;
    private SSLContext context;

    /**
     * @param chain this node's current certificate chain (PEM), empty when none was issued (or no PKI is bound)
     * @param build builds the context for the current chain ({@code DeviceIdentity.tlsContext(device)})
     */
    TlsContextCache(Supplier<Optional<String>> chain, Supplier<SSLContext> build) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.build = Objects.requireNonNull(build, "build");
    }

    /**
     * @return the context for this node's current certificate, the same instance while the certificate is unchanged
     * @throws IllegalStateException if the PKI cannot build it (e.g. the device keys are locked)
     */
    synchronized Optional<SSLContext> current() {
        Optional<String> pem = chain.get();
        if (pem.isEmpty()) {
            builtFor = null;
            context = null;
            return Optional.empty();
        }
        if (!pem.get().equals(builtFor)) {
            context = build.get();
            builtFor = pem.get();
        }
        return Optional.of(context);
    }
}
