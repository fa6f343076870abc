package io.iotpay.channel.internal.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.channel.SessionId;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.SignedMessage;

/** {@link PeerTransport} over HTTP with the JDK client (docs/protocol.md, "HTTP binding"). */
public final class HttpPeerClient implements PeerTransport {

    /** Media type of peer messages. */
    public static final String JSON = "application/json";

    private final MessageCodec codec;
    private final HttpClient http;
    private final Duration timeout;
    private final java.util.function.Supplier<java.util.Map<String, String>> peerHeaders;
    private final java.util.function.Supplier<java.util.Optional<javax.net.ssl.SSLContext>> tls;
    private volatile TlsClient tlsClient;

    /** The client for https peers, built for one TLS context. */
    private record TlsClient(javax.net.ssl.SSLContext context, HttpClient http) {
    }

    public HttpPeerClient(MessageCodec codec, Duration timeout) {
        this(codec, timeout, java.util.Map::of);
    }

    /**
     * @param peerHeaders extra headers of every request to a provider's peer endpoint (offers, messages, outbox),
     *        e.g. the certificate header of peer trust
     */
    public HttpPeerClient(MessageCodec codec, Duration timeout,
            java.util.function.Supplier<java.util.Map<String, String>> peerHeaders) {
        this(codec, timeout, peerHeaders, java.util.Optional::empty);
    }

    /**
     * @param peerHeaders extra headers of every request to a provider's peer endpoint (offers, messages, outbox),
     *        e.g. the certificate header of peer trust
     * @param tls the mutual-TLS context for {@code https} peers (this node's device certificate and the device PKI's
     *        verifying trust manager), asked at each request and expected to return the same instance until the
     *        certificate changes; empty: {@code https} peers are reached with the JVM's default trust and no client
     *        certificate
     */
    public HttpPeerClient(MessageCodec codec, Duration timeout,
            java.util.function.Supplier<java.util.Map<String, String>> peerHeaders,
            java.util.function.Supplier<java.util.Optional<javax.net.ssl.SSLContext>> tls) {
        this.codec = codec;
        this.tls = java.util.Objects.requireNonNull(tls, "tls");
        this.timeout = timeout;
        this.peerHeaders = java.util.Objects.requireNonNull(peerHeaders, "peerHeaders");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public SignedMessage fetchOffer(URI offer) {
        byte[] body = exchange(HttpRequest.newBuilder(offer).GET(), 200);
        return codec.decode(body);
    }

    @Override
    public List<SignedMessage> send(URI endpoint, SignedMessage message) {
        URI uri = resolve(endpoint, "messages");
        byte[] body = exchange(HttpRequest.newBuilder(uri).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(message))), 200);
        return MessageLists.decode(codec, body);
    }

    @Override
    public List<SignedMessage> poll(URI endpoint, SessionId session, long after) {
        URI uri = resolve(endpoint, "outbox/" + session.value() + "?after=" + after);
        return MessageLists.decode(codec, exchange(HttpRequest.newBuilder(uri).GET(), 200));
    }

    @Override
    public HttpReply get(URI resource, java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(resource).timeout(timeout).GET();
        headers.forEach(b::header);
        HttpResponse<byte[]> r;
        try {
            r = client(resource).send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("resource unreachable: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted"));
        }
        java.util.Map<String, String> h = new java.util.HashMap<>();
        r.headers().firstValue("X-IOTPAY-Credit").ifPresent(v -> h.put("X-IOTPAY-Credit", v));
        return new HttpReply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), h);
    }

    /** The plain client, or for https the client of the current mutual-TLS context. */
    private HttpClient client(URI uri) {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return http;
        }
        java.util.Optional<javax.net.ssl.SSLContext> ctx;
        try {
            ctx = tls.get();
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("no TLS context for " + uri.getHost() + ":" + uri.getPort()
                    + ": " + e.getMessage(), e));
        }
        if (ctx.isEmpty()) {
            return http;
        }
        TlsClient c = tlsClient;
        if (c == null || c.context() != ctx.get()) {
            javax.net.ssl.SSLParameters params = ctx.get().getDefaultSSLParameters();
            params.setProtocols(new String[] {"TLSv1.3"});
            c = new TlsClient(ctx.get(), HttpClient.newBuilder().connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1)
                    .sslContext(ctx.get()).sslParameters(params).build());
            tlsClient = c;
        }
        return c.http();
    }

    /** An I/O failure in words; a TLS failure says which side refused what, as far as the alert tells. */
    static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                String m = String.valueOf(t.getMessage());
                String who = m.contains("certificate_unknown") || m.contains("bad_certificate")
                        || m.contains("certificate_revoked") || m.contains("certificate_required")
                        ? " (the peer refused this node's certificate: revoked, expired, from a CA it does not trust, "
                                + "or none presented; see iotpay:cert-verify)"
                        : m.contains("IOTPAY peer certificate") ? " (this node refused the peer's certificate)" : "";
                return "mutual TLS failed: " + m + who;
            }
        }
        return String.valueOf(e.getMessage());
    }

    static URI resolve(URI endpoint, String rest) {
        String base = endpoint.toString();
        return URI.create(base.endsWith("/") ? base + rest : base + "/" + rest);
    }

    private byte[] exchange(HttpRequest.Builder b, int expected) {
        HttpResponse<byte[]> r;
        try {
            peerHeaders.get().forEach(b::header);
            HttpRequest request = b.timeout(timeout).header("Accept", JSON).build();
            r = client(request.uri()).send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("provider unreachable: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted"));
        }
        if (r.statusCode() >= 500) {
            // the provider is down, restarting or overloaded: a transport condition, worth trying again later
            throw new UncheckedIOException(new IOException("provider unavailable: HTTP " + r.statusCode() + " for "
                    + r.uri().getPath()));
        }
        if (r.statusCode() == 404) {
            throw new ProtocolException(ErrorCode.UNKNOWN_SESSION, "provider answered 404 for " + r.uri().getPath());
        }
        if (r.statusCode() != expected) {
            throw new ProtocolException(ErrorCode.MALFORMED, "provider answered HTTP " + r.statusCode() + " for "
                    + r.uri().getPath());
        }
        return r.body();
    }
}
