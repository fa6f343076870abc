package io.iotpay.channel.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.channel.internal.protocol.MessageCodec;
import io.iotpay.channel.internal.protocol.SignedMessage;

/** A JSON array of signed peer messages, each in canonical form (the HTTP binding's reply body). */
public final class MessageLists {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MessageLists() {
    }

    /** Encodes messages as {@code [m1,m2,...]}, each canonical. */
    public static byte[] encode(MessageCodec codec, List<SignedMessage> messages) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(new String(codec.encode(messages.get(i)), StandardCharsets.UTF_8));
        }
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes a message array; each element goes through {@link MessageCodec#decode} (which re-checks canonical form
     * when the signature is verified later).
     *
     * @throws ProtocolException MALFORMED if the body is not an array of messages
     */
    public static List<SignedMessage> decode(MessageCodec codec, byte[] body) {
        if (body.length > 16 * MessageCodec.MAX_BYTES) {
            throw new ProtocolException(ErrorCode.MALFORMED, "message list of " + body.length + " bytes is too large");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.MALFORMED, "message list is not JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || !root.isArray()) {
            throw new ProtocolException(ErrorCode.MALFORMED, "expected a JSON array of messages");
        }
        List<SignedMessage> out = new ArrayList<>(root.size());
        for (JsonNode n : root) {
            try {
                out.add(codec.decode(MAPPER.writeValueAsBytes(n)));
            } catch (IOException e) {
                throw new ProtocolException(ErrorCode.MALFORMED, "message list element: " + e.getMessage());
            }
        }
        return out;
    }
}
