package io.iotpay.api.wallet;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.Voucher;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

/**
 * The key holder: creates and imports accounts, signs, and enforces spending policies. Private keys never leave the
 * wallet and are never passed through this interface except as input to imports.
 *
 * <h2>Trust boundary</h2>
 * Two kinds of callers use this service:
 * <ul>
 * <li><b>Trusted runtime code</b>: chain connectors and the channel engine. Connectors call
 * {@link #signTransaction} with the whole unsigned transaction ({@link UnsignedTransaction} with its
 * chain-specific {@link TransactionFields}); the wallet builds the chain's signing payload and computes the digest it
 * signs itself, so the spending policy always sees the transaction that is signed.</li>
 * <li><b>Everything user-facing</b> (openHAB rules and actions, REST, shell) must go through higher-level services
 * (channel engine, connector {@code transfer}). There is deliberately no method to sign an arbitrary digest: every
 * signing method takes the structured data and hashes it in the wallet (EIP-191 messages, EIP-712 typed data,
 * vouchers, transactions).</li>
 * </ul>
 * {@link #signVoucher} builds the voucher digest itself from the voucher and domain, so a caller cannot make the wallet
 * sign a voucher other than the one the policy checked.
 *
 * <h2>Spending policy</h2>
 * Every money-moving signature ({@link #signVoucher}, {@link #signTransaction} with value, {@link #signTypedData} of
 * an IOTPAY payment type) is checked against {@link #policy(AccountId)} first. A refusal throws
 * {@link SpendingRefusedException} and notifies every {@link WalletListener}. Signatures above the approval threshold
 * throw {@link SpendingRefusedException.Reason#APPROVAL_REQUIRED} and create a {@link PendingApproval}; after
 * {@link #approve} the same request, retried, is signed once.
 *
 * <h2>Locking</h2>
 * A locked account signs nothing: payment signing throws {@link SpendingRefusedException} with
 * {@link SpendingRefusedException.Reason#ACCOUNT_LOCKED}, other signing throws {@link WalletLockedException}.
 *
 * <h2>Certificate-authority keys (since 2.1)</h2>
 * Besides payment accounts the wallet holds ECDSA P-256 (prime256v1) keys of X.509 certificate authorities, e.g. the
 * owner CA of a household or fleet ({@code docs/pki.md}). They are generated inside the wallet, stored encrypted with
 * the other keys and never exported; they move no money, so no spending policy applies, but the wallet must be
 * unlocked (have its passphrase). They have their own aliases, separate from account aliases. The only thing such a
 * key signs is a certificate: {@link #signCertificate} takes the DER {@code TBSCertificate}, checks it and hashes it
 * itself; there is no method that signs a caller-supplied digest.
 */
public interface Wallet {

    /**
     * Lists all accounts.
     *
     * @return the accounts, in creation order
     */
    List<AccountInfo> accounts();

    /**
     * Generates a new BIP-39 mnemonic from a secure random source. The wallet does not store it; show it to the user
     * once, then pass it to {@link #importMnemonic} to use it.
     *
     * @param words 12, 15, 18, 21 or 24
     * @return the mnemonic words separated by single spaces (English word list)
     * @throws IllegalArgumentException if the word count is not allowed
     */
    String generateMnemonic(int words);

    /**
     * Imports a BIP-39 mnemonic and derives the account at {@code index} on a chain (BIP-44 for secp256k1 chains,
     * SLIP-10 for Ed25519 chains). The first mnemonic imported becomes the household seed used by
     * {@link #deriveAccount}.
     *
     * @param alias a unique alias for the new account
     * @param mnemonic the mnemonic (English word list, checksum verified)
     * @param chain the chain
     * @param index the account index, {@code >= 0}
     * @return the new account
     * @throws IllegalArgumentException if the mnemonic is invalid (message never repeats it) or the alias is taken
     */
    AccountInfo importMnemonic(String alias, String mnemonic, ChainId chain, int index);

    /**
     * Derives a further account from the household seed.
     *
     * @param alias a unique alias
     * @param chain the chain
     * @param index the account index, {@code >= 0}
     * @return the new account
     * @throws IllegalStateException if no household seed exists yet
     * @throws IllegalArgumentException if the alias is taken
     */
    AccountInfo deriveAccount(String alias, ChainId chain, int index);

    /**
     * Imports a raw private key. The caller should zero the array afterwards.
     *
     * @param alias a unique alias
     * @param chain the chain
     * @param key the private key (32 bytes for secp256k1, 32-byte seed for Ed25519)
     * @return the new account
     * @throws IllegalArgumentException if the key is invalid or the alias is taken
     */
    AccountInfo importPrivateKey(String alias, ChainId chain, byte[] key);

    /**
     * Imports an encrypted key store file (Web3 Secret Storage v3). The caller should clear the passphrase afterwards.
     *
     * @param alias a unique alias
     * @param file the key store file
     * @param filePassphrase the file's passphrase
     * @return the new account
     * @throws KeystoreException if the passphrase is wrong or the file is corrupted or unsupported
     */
    AccountInfo importKeystore(String alias, Path file, char[] filePassphrase);

    /**
     * Finds an account by alias or address (CAIP-10 string or bare address, case-insensitive for EVM).
     *
     * @param aliasOrAddress the alias or address
     * @return the account, or empty
     */
    Optional<AccountInfo> account(String aliasOrAddress);

    /**
     * Locks an account: it signs nothing until unlocked.
     *
     * @param account the account
     * @throws IllegalArgumentException if the wallet does not hold the account
     */
    void lock(AccountId account);

    /**
     * Unlocks an account.
     *
     * @param account the account
     * @throws IllegalArgumentException if the wallet does not hold the account
     */
    void unlock(AccountId account);

    /**
     * Returns the spending policy in force for an account (the configured default if none was set).
     *
     * @param account the account
     * @return the policy
     * @throws IllegalArgumentException if the wallet does not hold the account
     */
    SpendingPolicy policy(AccountId account);

    /**
     * Replaces the spending policy of an account.
     *
     * @param account the account
     * @param policy the new policy; its asset should be the asset the account pays in
     * @throws IllegalArgumentException if the wallet does not hold the account or the policy's asset is on another
     *         chain
     */
    void setPolicy(AccountId account, SpendingPolicy policy);

    /**
     * Signs a message with the EIP-191 personal-message prefix (version 0x45). Never moves money; no policy check.
     *
     * @param account the signing account
     * @param message the message bytes
     * @return the signature
     * @throws WalletLockedException if the account is locked
     */
    Signature signPersonalMessage(AccountId account, byte[] message);

    /**
     * Signs EIP-712 typed data, under an allowlist: only IOTPAY intents that move no money (a payee's close intent, a
     * device ownership transfer) are signed directly. IOTPAY vouchers are refused here (they go through
     * {@link #signVoucher} and the spending policy). Any other typed data (a foreign domain, a permit, an order...)
     * needs the owner's explicit approval of its exact digest: the first call queues a {@link PendingApproval} and
     * throws {@link SpendingRefusedException} with reason {@code APPROVAL_REQUIRED}; after {@link #approve(String)} the
     * identical typed data is signed once.
     *
     * @param account the signing account
     * @param data the typed data
     * @return the signature
     * @throws WalletLockedException if the account is locked
     * @throws SpendingRefusedException if the type is refused, or waits for (or was denied) the owner's approval
     * @throws IllegalArgumentException if the typed data is malformed
     */
    Signature signTypedData(AccountId account, TypedData data);

    /**
     * Signs a voucher after checking the intent against the payer's policy. The wallet computes the digest itself
     * from {@code voucher} and {@code domain} (EIP-712 on EVM chains) and checks that the voucher matches the intent
     * (same channel if the intent names one, cumulative equal to {@link PaymentIntent#cumulative()}, contract equal to
     * the domain's verifying contract).
     *
     * @param intent what the signature commits; {@link PaymentIntent#payer()} signs
     * @param voucher the voucher to sign (its signature, if any, is ignored)
     * @param domain the signing domain
     * @return the signature; attach it with {@link Voucher#withSignature}
     * @throws SpendingRefusedException if the policy refuses or the account is locked
     * @throws IllegalArgumentException if voucher, intent and domain do not match
     */
    Signature signVoucher(PaymentIntent intent, Voucher voucher, VoucherDomain domain);

    /**
     * Signs a transaction for a chain connector (trusted code, see the class description). The wallet computes the
     * digest it signs from {@code tx} itself: for {@link EvmTransactionFields} the keccak-256 of the EIP-1559 (type 2,
     * empty access list) or legacy EIP-155 signing payload built from the fields and {@code tx.to()},
     * {@code tx.value()}, {@code tx.data()}. No hash is ever taken from the caller, so the policy check below always
     * applies to the transaction that is signed.
     * <p>
     * Before signing, the wallet checks that {@code tx.fields().chain()} is {@code from}'s chain and applies the
     * spending policy to {@code tx.value()} paid to {@code tx.to()}; a contract creation carrying value is refused.
     * It decodes well-known token call data (ERC-20 {@code transfer}, {@code approve}, {@code transferFrom}) and
     * applies the policy to the token amount; call data it does not recognise (neither ERC-20 nor an IOTPAY contract
     * function) needs the owner's approval of the exact transaction digest.
     *
     * @param from the sending account
     * @param tx the whole unsigned transaction
     * @return the signature (for EVM, {@code v} is 27/28 and {@code s} is in the lower half of the curve order; the
     *         connector converts {@code v} to the transaction's y-parity)
     * @throws SpendingRefusedException if the policy refuses or the account is locked
     * @throws IllegalArgumentException if {@code from} is not held by the wallet, the fields are for another chain
     *         than {@code from}'s, or the wallet does not support the fields' chain family
     */
    Signature signTransaction(AccountId from, UnsignedTransaction tx);

    /**
     * Lists payments waiting for approval.
     *
     * @return the pending approvals, oldest first
     */
    List<PendingApproval> pendingApprovals();

    /**
     * Approves a pending payment: the next identical signing request is signed.
     *
     * @param id the approval id
     * @throws IllegalArgumentException if no such approval is pending
     */
    void approve(String id);

    /**
     * Denies a pending payment: the next identical request throws {@link SpendingRefusedException} with
     * {@link SpendingRefusedException.Reason#APPROVAL_DENIED}.
     *
     * @param id the approval id
     * @throws IllegalArgumentException if no such approval is pending
     */
    void deny(String id);

    // ------------------------------------------------------------------------ certificate-authority keys (2.1)

    /**
     * Generates a new ECDSA P-256 (secp256r1 / prime256v1) certificate-authority key inside the wallet and stores it
     * encrypted under the wallet passphrase. The private key never leaves the wallet.
     *
     * @param alias a unique CA-key alias, {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}
     * @return the new key's public key (an EC P-256 key, X.509 {@code SubjectPublicKeyInfo} encoding)
     * @throws IllegalArgumentException if the alias is malformed or a CA key with this alias exists (the message names
     *         the alias)
     * @throws IllegalStateException if the wallet has no passphrase (it is locked)
     * @throws UnsupportedOperationException if this wallet does not hold certificate-authority keys
     * @since 2.1
     */
    default PublicKey createCertificateAuthorityKey(String alias) {
        throw new UnsupportedOperationException("this wallet does not hold certificate-authority keys");
    }

    /**
     * Lists the aliases of the certificate-authority keys the wallet holds.
     *
     * @return the aliases, sorted
     * @since 2.1
     */
    default List<String> certificateAuthorityKeys() {
        return List.of();
    }

    /**
     * Returns the public key of a certificate-authority key.
     *
     * @param alias the CA-key alias
     * @return the EC P-256 public key
     * @throws IllegalArgumentException if the wallet holds no CA key with this alias (the message names it)
     * @throws UnsupportedOperationException if this wallet does not hold certificate-authority keys
     * @since 2.1
     */
    default PublicKey certificateAuthorityPublicKey(String alias) {
        throw new UnsupportedOperationException("this wallet does not hold certificate-authority keys");
    }

    /**
     * Signs an X.509 certificate with a certificate-authority key. The caller passes the DER encoding of the
     * {@code TBSCertificate} (RFC 5280 section 4.1.1.1, the part of the certificate that is signed); the wallet checks
     * that it is exactly one DER {@code TBSCertificate} whose {@code signature} algorithm is {@code ecdsa-with-SHA256}
     * (1.2.840.10045.4.3.2), computes its SHA-256 itself and returns the ECDSA signature as the DER
     * {@code Ecdsa-Sig-Value} {@code SEQUENCE { r INTEGER, s INTEGER }} that goes into the certificate's
     * {@code signatureValue}. No spending policy applies.
     *
     * @param alias the CA-key alias
     * @param tbsCertificate the DER {@code TBSCertificate}
     * @return the DER ECDSA signature
     * @throws IllegalArgumentException if the alias is unknown (the message names it), or the input is not a DER
     *         {@code TBSCertificate} with signature algorithm {@code ecdsa-with-SHA256}
     * @throws WalletLockedException if the wallet has no passphrase (it is locked)
     * @throws KeystoreException if the key file cannot be read or decrypted
     * @throws UnsupportedOperationException if this wallet does not hold certificate-authority keys
     * @since 2.1
     */
    default byte[] signCertificate(String alias, byte[] tbsCertificate) {
        throw new UnsupportedOperationException("this wallet does not hold certificate-authority keys");
    }
}
