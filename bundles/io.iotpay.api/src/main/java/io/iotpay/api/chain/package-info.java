/**
 * Chain identifiers (CAIP-2, CAIP-10), transaction hashes and receipts, and the chain connector SPI.
 * <p>
 * A {@link io.iotpay.api.chain.ChainConnector} is registered as an OSGi service per chain, with the service property
 * {@value io.iotpay.api.chain.ChainConnector#CHAIN_PROPERTY} set to the CAIP-2 chain id. Settlement schemes, the device
 * registry and the anchoring contract of a chain are reached through its connector.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.iotpay.api.chain;
