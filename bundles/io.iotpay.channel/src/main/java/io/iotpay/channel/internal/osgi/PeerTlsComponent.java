package io.iotpay.channel.internal.osgi;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.iotpay.api.identity.DeviceIdentity;
import io.iotpay.channel.internal.http.PeerGateway;
import io.iotpay.channel.internal.http.PeerRoutes;

/**
 * Runs the mutual-TLS peer endpoint when {@code peerTlsPort} is set in PID {@code io.iotpay.channel} (docs/protocol.md,
 * "Mutual TLS"). The listener starts as soon as the device PKI has a certificate for {@code certificateDevice} (it may
 * be issued after start-up: the component looks every {@value #CHECK_SECONDS} s, and says once that it waits), and
 * takes a new TLS context when that certificate is re-issued. Nothing runs without a port.
 */
@Component(configurationPid = "io.iotpay.channel", configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
public final class PeerTlsComponent {

    private static final Logger LOG = LoggerFactory.getLogger(PeerTlsComponent.class);
    static final int CHECK_SECONDS = 2;

    private final String host;
    private final int port;
    private final String device;
    private final PeerRoutes routes;
    private final ScheduledExecutorService timer;
    private volatile DeviceIdentity identity;
    private io.iotpay.channel.internal.http.TlsPeerListener listener;
    private final TlsContextCache contexts;
    private SSLContext served;
    private boolean toldWaiting;
    private String lastProblem;

    @Activate
    public PeerTlsComponent(@Reference PeerGateway gateway, ChannelEngineConfig config) {
        this.port = config.peerTlsPort();
        this.host = config.peerTlsHost().isBlank() ? "127.0.0.1" : config.peerTlsHost().trim();
        this.device = config.certificateDevice().trim();
        this.routes = new PeerRoutes(gateway);
        this.contexts = new TlsContextCache(() -> {
            DeviceIdentity id = identity;
            return id == null ? Optional.empty() : id.certificateChain(device);
        }, () -> {
            DeviceIdentity id = identity;
            if (id == null) {
                throw new IllegalStateException("no device PKI (DeviceIdentity) is bound");
            }
            return id.tlsContext(device);
        });
        if (port <= 0) {
            timer = null;
            return;
        }
        requireTlsSettings(config);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "iotpay-peer-tls-setup");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 0, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Refuses a TLS port without the settings it needs.
     *
     * @throws IllegalArgumentException naming the missing setting
     */
    static void requireTlsSettings(ChannelEngineConfig config) {
        if (config.peerTlsPort() <= 0) {
            return;
        }
        if (config.peerTlsPort() > 65535) {
            throw new IllegalArgumentException("peerTlsPort " + config.peerTlsPort() + " is not a port (1..65535)");
        }
        if (PeerTrust.Mode.parse(config.peerTrust()) != PeerTrust.Mode.CERTIFICATE
                || config.certificateDevice().isBlank()) {
            throw new IllegalArgumentException("peerTlsPort=" + config.peerTlsPort() + " needs peerTrust=certificate "
                    + "and certificateDevice (the device whose certificate the TLS endpoint presents)");
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDeviceIdentity(DeviceIdentity id) {
        this.identity = id;
    }

    void unbindDeviceIdentity(DeviceIdentity id) {
        if (identity == id) {
            identity = null;
        }
    }

    private synchronized void check() {
        try {
            Optional<SSLContext> current = contexts.current();
            if (current.isEmpty()) {
                if (!toldWaiting) {
                    LOG.info("Mutual-TLS peer endpoint on {}:{} waits for a certificate of device {} "
                            + "(iotpay:cert-issue {} <account>)", host, port, device, device);
                    toldWaiting = true;
                }
                return;
            }
            SSLContext ctx = current.get();
            if (ctx == served) {
                return;
            }
            if (listener == null) {
                listener = new io.iotpay.channel.internal.http.TlsPeerListener(host, port, ctx, routes);
                LOG.info("Mutual-TLS peer endpoint {} up, presenting device {}'s certificate", listener.endpoint(),
                        device);
            } else {
                listener.reload(ctx);
                LOG.info("Mutual-TLS peer endpoint {} now presents device {}'s re-issued certificate",
                        listener.endpoint(), device);
            }
            served = ctx;
            toldWaiting = false;
            lastProblem = null;
        } catch (RuntimeException | LinkageError e) {
            String problem = e instanceof LinkageError ? "the HTTP whiteboard's Jetty (org.eclipse.jetty.server) is "
                    + "not installed: " + e : e.toString();
            if (!problem.equals(lastProblem)) { // once per distinct problem, not every few seconds
                LOG.warn("Mutual-TLS peer endpoint on {}:{} not ready: {}", host, port, problem);
                lastProblem = problem;
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (listener != null) {
            listener.close();
            listener = null;
        }
    }
}
