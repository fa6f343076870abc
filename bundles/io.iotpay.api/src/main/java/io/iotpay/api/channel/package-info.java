/**
 * Payment channels, vouchers, offers, metering sessions and the channel engine service.
 * <p>
 * A provider publishes an {@link io.iotpay.api.channel.Offer}; a consumer opens a unidirectional payment channel and pays
 * for delivered units with cumulative {@link io.iotpay.api.channel.Voucher}s, answering signed
 * {@link io.iotpay.api.channel.Receipt}s. The {@link io.iotpay.api.channel.ChannelEngine} service runs both sides.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.iotpay.api.channel;
