package io.iotpay.channel.internal.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The peer endpoint over mutual TLS (docs/protocol.md, "Mutual TLS"): an HTTPS listener of its own (the Jetty that
 * the HTTP whiteboard ships, not the whiteboard's connector, whose TLS settings are static key stores) that serves
 * the same routes as {@link PeerServlet} below {@value #PATH} (and pay-per-request resources below {@value #PAID}),
 * requires a client certificate in the TLS handshake and
 * lets the given {@link SSLContext} decide whom to accept (the device PKI's verifying trust manager: trusted CA,
 * dates, owner, on-chain revocation at handshake time). The client's verified certificate chain takes the place of
 * the {@code X-IOTPAY-Certificate} header of plain HTTP, so peer trust binds the TLS identity to the message signer.
 */
public final class TlsPeerListener implements AutoCloseable {

    /** Path prefix of the peer routes. */
    public static final String PATH = "/iotpay/peer";
    /** Path prefix of pay-per-request resources ({@link PaidServlet}), served here too. */
    public static final String PAID = "/iotpay/paid";

    private final Server server;
    private final SslContextFactory.Server tls;
    private final ServerConnector connector;

    /**
     * Starts listening.
     *
     * @param host the address to bind
     * @param port the port (0: any free port)
     * @param context the TLS context (key and trust managers of this node)
     * @param routes the peer routes
     * @throws IllegalStateException if the listener cannot start (port in use, ...)
     */
    public TlsPeerListener(String host, int port, SSLContext context, PeerRoutes routes) {
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("iotpay-peer-tls");
        pool.setDaemon(true);
        this.server = new Server(pool);
        this.tls = new SslContextFactory.Server();
        tls.setSslContext(context);
        tls.setNeedClientAuth(true);
        tls.setIncludeProtocols("TLSv1.3");
        tls.setEndpointIdentificationAlgorithm(null);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // IOTPAY device certificates name accounts, not host names: no SNI host check
        http.addCustomizer(new SecureRequestCustomizer(false));
        this.connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Routes(routes));
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot start the mutual-TLS peer endpoint on " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    /** @return the bound address */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    /** @return {@code https://host:port/iotpay/peer} */
    public URI endpoint() {
        return URI.create("https://" + connector.getHost() + ":" + connector.getLocalPort() + PATH);
    }

    /**
     * Uses a new TLS context for new connections (e.g. after the device's certificate was re-issued).
     *
     * @param context the new context
     */
    public void reload(SSLContext context) {
        try {
            tls.reload(f -> f.setSslContext(context));
        } catch (Exception e) {
            throw new IllegalStateException("cannot reload the TLS context: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: nothing more to do
        }
    }

    /** Base64 of the PEM chain, as the {@code X-IOTPAY-Certificate} header would carry it; null without a chain. */
    static String certificateHeader(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return null;
        }
        StringBuilder pem = new StringBuilder();
        Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (X509Certificate c : chain) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                return null;
            }
        }
        return Base64.getEncoder().encodeToString(pem.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static final class Routes extends AbstractHandler {

        private final PeerRoutes routes;

        Routes(PeerRoutes routes) {
            this.routes = routes;
        }

        @Override
        public void handle(String target, Request base, HttpServletRequest req, HttpServletResponse resp)
                throws IOException {
            base.setHandled(true);
            String path = target == null ? "" : target;
            HttpReply reply;
            Object certs = req.getAttribute("javax.servlet.request.X509Certificate");
            String header = certificateHeader(certs instanceof X509Certificate[] c ? c : null);
            if (path.startsWith(PAID + "/") && "GET".equals(req.getMethod())) {
                reply = routes.paid(path.substring(PAID.length()), req.getHeader("X-IOTPAY-Voucher"), header);
            } else if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
                reply = HttpReply.problem(404, "NOT_FOUND", "no route " + req.getMethod() + " " + path);
            } else {
                byte[] body = "POST".equals(req.getMethod()) ? PeerServlet.readLimited(req, 1024 * 1024)
                        : new byte[0];
                reply = routes.handle(req.getMethod(), path.substring(PATH.length()), req.getQueryString(), body,
                        header, true);
            }
            PeerServlet.write(resp, reply);
        }
    }
}
