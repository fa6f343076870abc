/**
 * Keys, signatures and spending policy.
 * <p>
 * The {@link io.iotpay.api.wallet.Wallet} service never exposes private keys; it signs messages, typed data, vouchers
 * and transactions, and applies each account's {@link io.iotpay.api.wallet.SpendingPolicy} before it signs anything that
 * moves money.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.iotpay.api.wallet;
