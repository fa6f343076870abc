package io.iotpay.devnet.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Minimal JSON-RPC client for talking to the local anvil (devnet administration only: unlocked-account transactions,
 * {@code anvil_*} and {@code evm_*} methods). The EVM connector has its own client with retries and typed errors.
 */
public final class SimpleRpc {

    /** The node could not be reached. */
    public static final class RpcIoException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RpcIoException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The node answered with a JSON-RPC error. */
    public static final class RpcErrorException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;

        RpcErrorException(String method, int code, String message) {
            super(method + " failed: " + message + " (code " + code + ")");
            this.code = code;
        }

        /** @return the JSON-RPC error code */
        public int code() {
            return code;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI uri;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();

    /** @param uri the node's HTTP endpoint */
    public SimpleRpc(URI uri) {
        this.uri = uri;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** @return the endpoint */
    public URI uri() {
        return uri;
    }

    /**
     * Calls a method. Parameters are converted with Jackson (String, Number, Boolean, Map, List, JsonNode).
     *
     * @return the {@code result} node (may be a NullNode)
     */
    public JsonNode call(String method, Object... params) {
        ObjectNode req = JSON.createObjectNode();
        req.put("jsonrpc", "2.0");
        req.put("id", ids.incrementAndGet());
        req.put("method", method);
        ArrayNode arr = req.putArray("params");
        for (Object p : params) {
            arr.add(JSON.valueToTree(p));
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(req))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RpcIoException(method + " to " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcIoException(method + " interrupted", e);
        }
        if (resp.statusCode() != 200) {
            throw new RpcIoException(method + " to " + uri + " answered HTTP " + resp.statusCode(), null);
        }
        JsonNode body;
        try {
            body = JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new RpcIoException(method + " returned malformed JSON", e);
        }
        JsonNode err = body.get("error");
        if (err != null && !err.isNull()) {
            throw new RpcErrorException(method, err.path("code").asInt(), err.path("message").asText());
        }
        return body.path("result");
    }
}
