package io.iotpay.chain.evm.internal.rpc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.ChainUnavailableException;

/**
 * JSON-RPC 2.0 over HTTP with the JDK client and Jackson.
 *
 * <p>Transient failures (I/O errors, timeouts, HTTP 429 and 5xx, JSON-RPC -32005 "limit exceeded" and rate-limit
 * messages) are retried with exponential backoff; after {@link RetryPolicy#maxAttempts()} the call fails with
 * {@link ChainUnavailableException}. Any other JSON-RPC error fails at once with {@link RpcErrorException}. Request
 * bodies are never logged (raw signed transactions are not secret, but nothing here needs to log them either), and the
 * endpoint is logged without its path or query, which often carry API keys.
 */
public final class JsonRpcClient {

    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChainId chain;
    private final URI endpoint;
    private final String safeEndpoint;
    private final RetryPolicy retry;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();

    /**
     * @param chain the chain this endpoint serves (for errors)
     * @param endpoint the HTTP(S) JSON-RPC endpoint
     * @param retry retry policy
     */
    public JsonRpcClient(ChainId chain, URI endpoint, RetryPolicy retry) {
        this.chain = chain;
        this.endpoint = endpoint;
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("RPC URL scheme " + scheme + " is not supported: expected http or https");
        }
        this.safeEndpoint = scheme + "://" + endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
        this.retry = retry;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** @return the chain */
    public ChainId chain() {
        return chain;
    }

    /** @return scheme, host and port of the endpoint (no path or query, they may hold credentials) */
    public String safeEndpoint() {
        return safeEndpoint;
    }

    /**
     * Calls a method and returns its {@code result} (a NullNode when the node answers null).
     *
     * @param method the JSON-RPC method
     * @param params positional parameters, converted by Jackson
     * @throws ChainUnavailableException after all attempts failed transiently
     * @throws RpcErrorException when the node answers with a non-transient error
     */
    public JsonNode call(String method, Object... params) {
        ObjectNode req = JSON.createObjectNode();
        req.put("jsonrpc", "2.0");
        req.put("id", ids.incrementAndGet());
        req.put("method", method);
        ArrayNode arr = req.putArray("params");
        for (Object p : params) {
            arr.add(p instanceof JsonNode j ? j : JSON.valueToTree(p));
        }
        String body;
        try {
            body = JSON.writeValueAsString(req);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize parameters of " + method, e);
        }
        String lastProblem = "no attempt";
        Throwable lastCause = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            Duration delay = retry.delayBefore(attempt);
            if (!delay.isZero()) {
                LOG.debug("{} on {}: attempt {} after {} ms ({})", method, safeEndpoint, attempt, delay.toMillis(),
                        lastProblem);
                sleep(delay, method);
            }
            HttpResponse<String> resp;
            try {
                resp = http.send(HttpRequest.newBuilder(endpoint).timeout(retry.requestTimeout())
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                lastCause = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainUnavailableException(chain, method + " on " + safeEndpoint + " was interrupted", e);
            }
            int status = resp.statusCode();
            if (status == 429 || status >= 500) {
                lastProblem = "HTTP " + status;
                lastCause = null;
                continue;
            }
            if (status != 200) {
                throw new ChainUnavailableException(chain, method + " on " + safeEndpoint + " answered HTTP " + status);
            }
            JsonNode answer;
            try {
                answer = JSON.readTree(resp.body());
            } catch (IOException e) {
                lastProblem = "malformed JSON answer";
                lastCause = e;
                continue;
            }
            JsonNode err = answer.get("error");
            if (err != null && !err.isNull()) {
                int code = err.path("code").asInt();
                String msg = err.path("message").asText("");
                if (isTransient(code, msg)) {
                    lastProblem = "JSON-RPC " + code + " " + msg;
                    lastCause = null;
                    continue;
                }
                JsonNode data = err.get("data");
                String dataHex = null;
                if (data != null && data.isTextual()) {
                    dataHex = data.asText();
                } else if (data != null && data.has("data") && data.get("data").isTextual()) {
                    dataHex = data.get("data").asText();
                }
                throw new RpcErrorException(chain, method, code, msg, dataHex);
            }
            return answer.path("result");
        }
        LOG.warn("{} on {} failed after {} attempts: {}", method, safeEndpoint, retry.maxAttempts(), lastProblem);
        throw new ChainUnavailableException(chain, method + " on " + safeEndpoint + " failed after "
                + retry.maxAttempts() + " attempts: " + lastProblem, lastCause);
    }

    static boolean isTransient(int code, String message) {
        if (code == -32005 || code == 429) {
            return true;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("rate limit") || m.contains("too many requests") || m.contains("header not found")
                || m.contains("timeout") || m.contains("temporarily unavailable");
    }

    private void sleep(Duration d, String method) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainUnavailableException(chain, method + " on " + safeEndpoint + " was interrupted", e);
        }
    }

    /** @return a {@code 0x}-prefixed hex quantity as long */
    public static long quantity(JsonNode n) {
        return bigQuantity(n).longValueExact();
    }

    /** @return a {@code 0x}-prefixed hex quantity as BigInteger */
    public static java.math.BigInteger bigQuantity(JsonNode n) {
        String s = n.asText();
        if (!s.startsWith("0x")) {
            throw new IllegalArgumentException("expected a 0x hex quantity, got \"" + s + "\"");
        }
        return s.length() == 2 ? java.math.BigInteger.ZERO : new java.math.BigInteger(s.substring(2), 16);
    }

    /** @return the JSON-RPC hex encoding of a quantity */
    public static String hex(java.math.BigInteger v) {
        return "0x" + v.toString(16);
    }

    /** @return the JSON-RPC hex encoding of a quantity */
    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
