/**
 * Keys, signatures and spending policy.
 * <p>
 * The {@link io.iotpay.api.wallet.Wallet} service never exposes private keys; it signs messages, typed data, vouchers
 * and transactions, and applies each account's {@link io.iotpay.api.wallet.SpendingPolicy} before it signs anything that
 * moves money. The wallet computes every digest it signs from structured data (messages, typed data, vouchers, whole
 * transactions); no method takes a caller-computed hash.
 * <p>
 * 2.0.0: {@code Wallet.signTransaction(AccountId, UnsignedTransaction, byte[] signingHash)} was removed (security
 * finding H4(a): a caller could get a signature over any digest); {@code signTransaction(AccountId,
 * UnsignedTransaction)} takes the whole transaction, {@link io.iotpay.api.wallet.UnsignedTransaction} carries the
 * chain-specific {@link io.iotpay.api.wallet.TransactionFields} (the EVM gas limit moved into
 * {@link io.iotpay.api.wallet.EvmTransactionFields}).
 * <p>
 * 2.1.0: certificate-authority keys (ECDSA P-256, generated and kept in the wallet):
 * {@code Wallet.createCertificateAuthorityKey}, {@code certificateAuthorityKeys}, {@code certificateAuthorityPublicKey}
 * and {@code signCertificate} (takes the DER TBSCertificate, never a digest), as default methods so existing
 * implementations keep compiling; {@link io.iotpay.api.wallet.WalletLockedException#WalletLockedException(String)}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package io.iotpay.api.wallet;
