/**
 * Money: assets, exact amounts in base units, metering units and prices.
 * <p>
 * Money never touches floating point: an {@link io.iotpay.api.money.Amount} is a {@link java.math.BigInteger} number of
 * base units (always within the uint256 range) tied to an {@link io.iotpay.api.money.Asset}; every operation that could
 * lose precision takes an explicit {@link java.math.RoundingMode}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.iotpay.api.money;
