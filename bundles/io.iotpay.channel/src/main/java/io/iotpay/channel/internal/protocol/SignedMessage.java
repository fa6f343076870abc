package io.iotpay.channel.internal.protocol;

import java.util.Objects;

import io.iotpay.api.wallet.Signature;

/** A decoded (or freshly signed) peer message: header, payload and the sender's EIP-191 signature. */
public record SignedMessage(Envelope envelope, Body body, Signature signature) {

    public SignedMessage {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(signature, "signature");
        if (envelope.type() != body.type()) {
            throw new IllegalArgumentException("envelope type " + envelope.type() + " does not match body "
                    + body.type());
        }
    }
}
