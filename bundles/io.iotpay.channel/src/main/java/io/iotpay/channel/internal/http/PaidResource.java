package io.iotpay.channel.internal.http;

/**
 * A resource sold per request on {@code /iotpay/paid/<offerId>}: a {@link io.iotpay.api.device.MeteredDevice} with
 * unit {@code request} that also implements this to produce the content once a request is paid.
 */
public interface PaidResource {

    /** Media type of the content. */
    String contentType();

    /** Produces the content of one paid request (and counts it on the device's meter). */
    byte[] serve();
}
