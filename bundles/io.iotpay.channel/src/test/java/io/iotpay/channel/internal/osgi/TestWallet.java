package io.iotpay.channel.internal.osgi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.PaymentIntent;
import io.iotpay.api.wallet.PendingApproval;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.api.wallet.TypedData;
import io.iotpay.api.wallet.UnsignedTransaction;
import io.iotpay.api.wallet.VoucherDomain;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.channel.internal.protocol.Secp256k1;
import io.iotpay.channel.internal.testing.Eip712Voucher;
import io.iotpay.channel.internal.testing.TestKey;

/**
 * A wallet over in-memory test keys (the engine tests are about the engine, the chain and the transport; the real
 * wallet has its own tests). Vouchers are signed over the EIP-712 digest computed independently of the connector
 * ({@link Eip712Voucher}), so the provider's verification through the real settlement scheme cross-checks both.
 * Records every voucher intent it signed.
 */
final class TestWallet implements Wallet {

    private final Map<String, TestKey> keys = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();
    final List<PaymentIntent> intents = new ArrayList<>();

    AccountId add(String alias, TestKey key) {
        String a = key.account().address().toLowerCase(Locale.ROOT);
        keys.put(a, key);
        aliases.put(alias, a);
        return key.account();
    }

    TestKey key(AccountId account) {
        TestKey k = keys.get(account.address().toLowerCase(Locale.ROOT));
        if (k == null) {
            throw new IllegalArgumentException("the wallet does not hold " + account);
        }
        return k;
    }

    @Override
    public List<AccountInfo> accounts() {
        List<AccountInfo> out = new ArrayList<>();
        aliases.forEach((alias, addr) -> out.add(new AccountInfo(alias, keys.get(addr).account(), null, false,
                AccountInfo.KeyOrigin.RAW_KEY)));
        return out;
    }

    @Override
    public Optional<AccountInfo> account(String aliasOrAddress) {
        return accounts().stream().filter(a -> a.alias().equals(aliasOrAddress)
                || a.account().address().equalsIgnoreCase(aliasOrAddress)
                || a.account().toString().equalsIgnoreCase(aliasOrAddress)).findFirst();
    }

    @Override
    public Signature signPersonalMessage(AccountId account, byte[] message) {
        return key(account).signHash(Secp256k1.personalMessageHash(message));
    }

    @Override
    public synchronized Signature signVoucher(PaymentIntent intent, Voucher voucher, VoucherDomain domain) {
        if (!intent.cumulative().equals(voucher.cumulative())) {
            throw new IllegalArgumentException("intent and voucher differ");
        }
        intents.add(intent);
        return key(intent.payer()).signHash(Eip712Voucher.digest(domain.verifyingContract(), voucher.channel(),
                voucher.cumulative().units()));
    }

    /**
     * The engine never signs transactions itself; chain connectors do, through a TxSigner, which these tests give
     * the raw key ({@link #signTransactionHash}).
     */
    @Override
    public Signature signTransaction(AccountId from, UnsignedTransaction tx) {
        throw new UnsupportedOperationException("TestWallet signs transactions through signTransactionHash only");
    }

    /** Signs a connector-computed transaction hash with the raw key (the connector's TxSigner in these tests). */
    public Signature signTransactionHash(AccountId from, byte[] signingHash) {
        return key(from).signHash(signingHash);
    }

    @Override
    public String generateMnemonic(int words) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AccountInfo importMnemonic(String alias, String mnemonic, ChainId chain, int index) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AccountInfo deriveAccount(String alias, ChainId chain, int index) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AccountInfo importPrivateKey(String alias, ChainId chain, byte[] key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AccountInfo importKeystore(String alias, Path file, char[] filePassphrase) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void lock(AccountId account) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void unlock(AccountId account) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SpendingPolicy policy(AccountId account) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setPolicy(AccountId account, SpendingPolicy policy) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Signature signTypedData(AccountId account, TypedData data) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<PendingApproval> pendingApprovals() {
        return List.of();
    }

    @Override
    public void approve(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deny(String id) {
        throw new UnsupportedOperationException();
    }
}
