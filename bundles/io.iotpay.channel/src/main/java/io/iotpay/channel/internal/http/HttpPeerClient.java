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

    public HttpPeerClient(MessageCodec codec, Duration timeout) {
        this(codec, timeout, java.util.Map::of);
    }

    /**
     * @param peerHeaders extra headers of every request to a provider's peer endpoint (offers, messages, outbox),
     *        e.g. the certificate header of peer trust
     */
    public HttpPeerClient(MessageCodec codec, Duration timeout,
            java.util.function.Supplier<java.util.Map<String, String>> peerHeaders) {
        this.codec = codec;
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
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("resource unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted"));
        }
        java.util.Map<String, String> h = new java.util.HashMap<>();
        r.headers().firstValue("X-IOTPAY-Credit").ifPresent(v -> h.put("X-IOTPAY-Credit", v));
        return new HttpReply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), h);
    }

    static URI resolve(URI endpoint, String rest) {
        String base = endpoint.toString();
        return URI.create(base.endsWith("/") ? base + rest : base + "/" + rest);
    }

    private byte[] exchange(HttpRequest.Builder b, int expected) {
        HttpResponse<byte[]> r;
        try {
            peerHeaders.get().forEach(b::header);
            r = http.send(b.timeout(timeout).header("Accept", JSON).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("provider unreachable: " + e.getMessage(), e);
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
