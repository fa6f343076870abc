/**
 * Notarisation: Merkle batches of records anchored on chain, and inclusion proofs for single records.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.iotpay.api.notary;
