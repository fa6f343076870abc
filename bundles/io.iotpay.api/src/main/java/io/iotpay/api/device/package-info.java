/**
 * Metered devices: the SPI a plug, meter, simulated device or openHAB thing implements to be sold by the unit.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.iotpay.api.device;
