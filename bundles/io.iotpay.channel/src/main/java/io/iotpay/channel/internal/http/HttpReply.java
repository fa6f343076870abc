package io.iotpay.channel.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A transport-neutral HTTP answer (the servlet and the tests' JDK server both write it out). */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static HttpReply json(int status, byte[] body) {
        return new HttpReply(status, "application/json", body, Map.of());
    }

    /** {@code {"code": ..., "message": ...}} for failures that cannot be a signed ERROR message. */
    public static HttpReply problem(int status, String code, String message) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("code", code);
        o.put("message", message == null ? "" : message);
        return new HttpReply(status, "application/json", o.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
