package io.iotpay.channel.internal.http;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;

/**
 * The {@value #NAME} request header of a paid retry: base64url (no padding) of
 * {@code {"channel":"0x…","cumulative":"<base units>","payer":"<CAIP-10>","signature":"0x…"}}, the payer's EIP-712
 * voucher for the channel's new cumulative amount (docs/protocol.md, "Pay per request").
 */
public record PaidVoucherHeader(ChannelId channel, BigInteger cumulative, AccountId payer, Signature signature) {

    /** Header name. */
    public static final String NAME = "X-IOTPAY-Voucher";
    /** Response header with the cumulative amount the provider accepted. */
    public static final String PAID = "X-IOTPAY-Paid";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public String encode() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("channel", channel.toHex());
        o.put("cumulative", cumulative.toString());
        o.put("payer", payer.toString());
        o.put("signature", signature.toHex());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(o.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ProtocolException MALFORMED naming what is wrong */
    public static PaidVoucherHeader decode(String header) {
        if (header == null || header.length() > 2048) {
            throw new ProtocolException(ErrorCode.MALFORMED, NAME + " header is missing or too long");
        }
        try {
            JsonNode n = MAPPER.readTree(Base64.getUrlDecoder().decode(header.trim()));
            String cumulative = n.path("cumulative").asText("");
            if (!cumulative.matches("0|[1-9][0-9]{0,77}")) {
                throw new IllegalArgumentException("cumulative is not a decimal integer");
            }
            return new PaidVoucherHeader(ChannelId.parse(n.path("channel").asText("")), new BigInteger(cumulative),
                    AccountId.parse(n.path("payer").asText("")),
                    Signature.fromHex(n.path("signature").asText(""), SignatureScheme.SECP256K1_RECOVERABLE));
        } catch (IOException | IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.MALFORMED, NAME + " header is invalid: " + e.getMessage());
        }
    }
}
