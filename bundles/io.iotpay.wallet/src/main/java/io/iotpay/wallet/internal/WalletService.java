package io.iotpay.wallet.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.channel.Voucher;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.EvmTransactionFields;
import io.iotpay.api.wallet.AccountInfo.KeyOrigin;
import io.iotpay.api.wallet.KeystoreException;
import io.iotpay.api.wallet.PaymentIntent;
import io.iotpay.api.wallet.PendingApproval;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;
import io.iotpay.api.wallet.SpendingPolicy;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.api.wallet.SpendingRefusedException.Reason;
import io.iotpay.api.wallet.TypedData;
import io.iotpay.api.wallet.UnsignedTransaction;
import io.iotpay.api.wallet.VoucherDomain;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.api.wallet.WalletListener;
import io.iotpay.api.wallet.WalletLockedException;
import io.iotpay.wallet.internal.ca.CaKeyStore;
import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.crypto.Eip191;
import io.iotpay.wallet.internal.crypto.EthAddress;
import io.iotpay.wallet.internal.crypto.Keccak;
import io.iotpay.wallet.internal.crypto.Secp256k1;
import io.iotpay.wallet.internal.crypto.Secp256k1Provider;
import io.iotpay.wallet.internal.eip712.Eip712;
import io.iotpay.wallet.internal.eip712.TypedDataException;
import io.iotpay.wallet.internal.keys.Bip32;
import io.iotpay.wallet.internal.keys.Bip39;
import io.iotpay.wallet.internal.keys.DerivationPath;
import io.iotpay.wallet.internal.keys.Slip10Ed25519;
import io.iotpay.wallet.internal.keystore.KeystoreError;
import io.iotpay.wallet.internal.keystore.KeystoreV3;
import io.iotpay.wallet.internal.policy.SpendingPolicyEngine;
import io.iotpay.wallet.internal.tezos.Tezos;
import io.iotpay.wallet.internal.tx.EvmSigningPayload;

/**
 * The wallet service: accounts in Web3 Secret Storage v3 files under one configured passphrase, signing, and the
 * spending policy inside every money-moving signing path (see {@link Wallet}).
 * <p>
 * Folder layout: one v3 file per account ({@code UTC--<time>--<address>} for EVM keys, {@code tezos--<tz1>.json}
 * for Ed25519 seeds), {@code household-seed.json} (BIP-39 entropy of the household mnemonic, v3-encrypted) and
 * {@code accounts.json} (aliases, chains, paths; no secrets), and {@code ca-p256--<alias>.json} per
 * certificate-authority key (P-256, same v3 encryption, marked {@code "curve": "P-256"}; see {@link CaKeyStore}). Key
 * files are never overwritten.
 * <p>
 * Keys are decrypted on first use and kept in memory until the account is locked or the component deactivates; then
 * the arrays are zeroed.
 * <p>
 * Concurrency (M6): a key array is only read under its account's read lock ({@link #withKey}), for the whole
 * signature; {@link #lock} and {@link #deactivate} zero it under the account's write lock, so a wipe waits for the
 * signatures in progress and a signature never sees a half-zeroed key. Every operation that uses the passphrase,
 * the secp256k1 context or a key holds the wallet's read lock ({@code life}); {@link #deactivate} takes its write
 * lock, so it waits for them, and afterwards everything refuses ({@link WalletLockedException} for signatures,
 * {@link IllegalStateException} for account creation) instead of using a zeroed passphrase or a closed context.
 */
@Component(service = Wallet.class, configurationPid = "io.iotpay.wallet", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = WalletConfig.class)
public final class WalletService implements Wallet {
    private static final Logger LOG = LoggerFactory.getLogger(WalletService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDEX = "accounts.json";
    private static final String SEED_FILE = "household-seed.json";
    private static final String POLICIES = "policies.json";
    private static final String VOUCHER_TYPE = "Voucher";

    /**
     * One account; {@code key} and {@code publicKey} are guarded by {@code rw}: read (signing) under its read lock,
     * set or zeroed under its write lock. {@code locked} is written under the write lock.
     */
    private static final class Account {
        final String alias;
        final AccountId id;
        final String path;
        final KeyOrigin origin;
        final String file;
        final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        volatile boolean locked;
        byte[] key;
        byte[] publicKey;

        Account(String alias, AccountId id, String path, KeyOrigin origin, String file) {
            this.alias = alias;
            this.id = id;
            this.path = path;
            this.origin = origin;
            this.file = file;
        }

        AccountInfo info() {
            return new AccountInfo(alias, id, path, locked, origin);
        }

        /** Zeroes the key; waits for the signatures in progress with it. */
        void wipe() {
            Lock w = rw.writeLock();
            w.lock();
            try {
                Bytes.wipe(key);
                key = null;
            } finally {
                w.unlock();
            }
        }
    }

    private final Path folder;
    private final ChainId importChain;
    private final char[] passphrase;
    private final KeystoreV3.ScryptParams scrypt;
    private final BigInteger defaultDailyLimit;
    private final ZoneId dayZone;
    private final Secp256k1 secp;
    private final SecureRandom random;
    private final Clock clock;
    private final SpendingPolicyEngine engine;
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<AccountId, SpendingPolicy> policies = new ConcurrentHashMap<>();
    private final List<WalletListener> listeners = new CopyOnWriteArrayList<>();
    private final CaKeyStore caKeys;
    /** Read: an operation using the passphrase, the secp256k1 context or keys; write: {@link #deactivate}. */
    private final ReentrantReadWriteLock life = new ReentrantReadWriteLock();
    /** Set once by {@link #deactivate} (under the write lock of {@code life}). */
    private volatile boolean closed;

    /** OSGi constructor: reads {@code IOTPAY_WALLET_PASSPHRASE} from the process environment. */
    @Activate
    public WalletService(WalletConfig config) {
        this(config, System.getenv(), Clock.systemUTC(), Secp256k1Provider.create(), new SecureRandom());
    }

    /** Test constructor. */
    WalletService(WalletConfig config, Map<String, String> env, Clock clock, Secp256k1 secp, SecureRandom random) {
        this.folder = resolveFolder(config.keystoreFolder());
        String pw = config.passphrase() != null && !config.passphrase().isEmpty() ? config.passphrase()
                : env.get(WalletConfig.PASSPHRASE_ENV);
        this.passphrase = pw == null || pw.isEmpty() ? null : pw.toCharArray();
        this.scrypt = new KeystoreV3.ScryptParams(config.scryptN(), config.scryptR(), config.scryptP());
        try {
            KeystoreV3.checkScryptLimits(scrypt); // never write key files this wallet would refuse to read
        } catch (KeystoreError e) {
            throw new IllegalArgumentException("configuration scryptN/scryptR/scryptP: " + e.getMessage(), e);
        }
        this.defaultDailyLimit = new BigInteger(config.defaultDailyLimitUnits().trim());
        this.dayZone = ZoneId.of(config.dayZone());
        this.importChain = ChainId.parse(config.keystoreImportChain());
        if (!importChain.isEvm()) {
            throw new IllegalArgumentException("keystoreImportChain " + importChain + " must be an eip155 chain");
        }
        this.clock = clock;
        this.secp = secp;
        this.random = random;
        this.engine = new SpendingPolicyEngine(clock, folder);
        this.caKeys = new CaKeyStore(folder, passphrase, scrypt, random);
        loadIndex();
        loadPolicies();
        if (passphrase == null) {
            accounts.values().forEach(a -> a.locked = true);
            LOG.warn("IOTPAY wallet: no passphrase configured (config 'passphrase' or environment {}); the wallet "
                    + "starts LOCKED and cannot create or unlock accounts", WalletConfig.PASSPHRASE_ENV);
        }
        if (config.passphrase() != null && !config.passphrase().isEmpty()) {
            // review L4: the configuration is stored in plain text (etc/io.iotpay.wallet.cfg, the config admin cache)
            LOG.warn("IOTPAY wallet: the keystore passphrase is given in the configuration, which is stored in plain "
                    + "text; prefer the environment variable {} and remove 'passphrase' from the configuration",
                    WalletConfig.PASSPHRASE_ENV);
        }
                LOG.info("IOTPAY wallet: {} account(s) in {}, secp256k1 via {}", accounts.size(), folder, secp.name());
    }

    /**
     * Waits for the operations in progress that use keys, the passphrase or the secp256k1 context, then zeroes the
     * keys and the passphrase and closes the context; afterwards every signature is refused with
     * {@link WalletLockedException}. Idempotent.
     */
    @Deactivate
    void deactivate() {
        Lock w = life.writeLock();
        w.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (accounts) {
                accounts.values().forEach(Account::wipe);
            }
            caKeys.close();
            Bytes.wipe(passphrase);
            if (secp instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.debug("closing secp256k1 context", e);
                }
            }
        } finally {
            w.unlock();
        }
        LOG.info("IOTPAY wallet stopped; key material cleared");
    }

    /** Enters an operation that uses the passphrase, the secp256k1 context or keys (see {@link #deactivate}). */
    private Lock enter() {
        Lock r = life.readLock();
        r.lock();
        return r;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(WalletListener l) {
        listeners.add(l);
    }

    void removeListener(WalletListener l) {
        listeners.remove(l);
    }

    static Path resolveFolder(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured.replace("${karaf.data}", System.getProperty("karaf.data", "data")));
        }
        return Paths.get(System.getProperty("karaf.data", "data"), "iotpay", "keystore");
    }

    // ------------------------------------------------------------------------------------------------ accounts

    @Override
    public List<AccountInfo> accounts() {
        synchronized (accounts) {
            return accounts.values().stream().map(Account::info).toList();
        }
    }

    @Override
    public String generateMnemonic(int words) {
        return Bip39.generate(words, random);
    }

    @Override
    public AccountInfo importMnemonic(String alias, String mnemonic, ChainId chain, int index) {
        Lock running = enter();
        try {
            return importMnemonicRunning(alias, mnemonic, chain, index);
        } finally {
            running.unlock();
        }
    }

    private AccountInfo importMnemonicRunning(String alias, String mnemonic, ChainId chain, int index) {
        requirePassphrase();
        byte[] entropy = Bip39.toEntropy(mnemonic);
        try {
            synchronized (accounts) {
                Path seedFile = folder.resolve(SEED_FILE);
                if (!Files.exists(seedFile)) {
                    KeystoreV3.writeAtomically(seedFile, KeystoreV3.encrypt(entropy, "00", passphrase, scrypt, random));
                    LOG.info("IOTPAY wallet: household seed stored");
                }
                return derive(alias, Bip39.toSeed(mnemonic, ""), chain, index);
            }
        } finally {
            Bytes.wipe(entropy);
        }
    }

    @Override
    public AccountInfo deriveAccount(String alias, ChainId chain, int index) {
        Lock running = enter();
        try {
            return deriveAccountRunning(alias, chain, index);
        } finally {
            running.unlock();
        }
    }

    private AccountInfo deriveAccountRunning(String alias, ChainId chain, int index) {
        requirePassphrase();
        synchronized (accounts) {
            Path seedFile = folder.resolve(SEED_FILE);
            if (!Files.exists(seedFile)) {
                throw new IllegalStateException("no household seed yet: import a mnemonic first");
            }
            byte[] entropy = decrypt(seedFile, 16, 32);
            try {
                return derive(alias, Bip39.toSeed(Bip39.fromEntropy(entropy), ""), chain, index);
            } finally {
                Bytes.wipe(entropy);
            }
        }
    }

    private AccountInfo derive(String alias, byte[] seed, ChainId chain, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("account index must be >= 0, got " + index);
        }
        try {
            if (chain.isEvm()) {
                DerivationPath path = DerivationPath.evm(index);
                Bip32.ExtendedKey k = Bip32.master(seed).derive(path);
                byte[] key = k.privateKey();
                k.wipe();
                return add(alias, chain, key, path.toString(), KeyOrigin.MNEMONIC);
            }
            if (isTezos(chain)) {
                DerivationPath path = DerivationPath.tezos(index);
                Slip10Ed25519.Node n = Slip10Ed25519.master(seed).derive(path);
                byte[] key = n.privateKey();
                n.wipe();
                return add(alias, chain, key, path.toString(), KeyOrigin.MNEMONIC);
            }
            throw new IllegalArgumentException("chain " + chain + " is not supported: expected eip155 or tezos");
        } finally {
            Bytes.wipe(seed);
        }
    }

    @Override
    public AccountInfo importPrivateKey(String alias, ChainId chain, byte[] key) {
        Lock running = enter();
        try {
            requirePassphrase();
            if (key == null || key.length != 32) {
                throw new IllegalArgumentException("private key must be 32 bytes");
            }
            synchronized (accounts) {
                return add(alias, chain, key.clone(), null, KeyOrigin.RAW_KEY);
            }
        } finally {
            running.unlock();
        }
    }

    @Override
    public AccountInfo importKeystore(String alias, Path file, char[] filePassphrase) {
        Lock running = enter();
        try {
            return importKeystoreRunning(alias, file, filePassphrase);
        } finally {
            running.unlock();
        }
    }

    private AccountInfo importKeystoreRunning(String alias, Path file, char[] filePassphrase) {
        requirePassphrase();
        KeystoreV3.Decrypted d;
        try {
            d = KeystoreV3.decrypt(file, filePassphrase);
        } catch (KeystoreError e) {
            throw toApi(e);
        }
        byte[] key = d.privateKey();
        if (d.curve() != null && !"secp256k1".equalsIgnoreCase(d.curve())) {
            Bytes.wipe(key);
            throw new KeystoreException(KeystoreException.Reason.UNSUPPORTED, "the file holds a " + d.curve()
                    + " key, not a secp256k1 account key", null);
        }
        String derived = Bytes.toHex(EthAddress.fromPublicKey(secp.publicKey(key)));
        if (d.address() != null && !d.address().equals(derived)) {
            Bytes.wipe(key);
            throw new KeystoreException(KeystoreException.Reason.CORRUPTED, "the file's address does not match "
                    + "its key", null);
        }
        synchronized (accounts) {
            // the imported file is left untouched; the key is re-encrypted under the wallet passphrase
            return add(alias, importChain, key, null, KeyOrigin.KEYSTORE_IMPORT);
        }
    }

    /** Creates the account (the caller holds the accounts lock); takes ownership of {@code key}. */
    private AccountInfo add(String alias, ChainId chain, byte[] key, String path, KeyOrigin origin) {
        try {
            if (alias == null || accounts.containsKey(alias)) {
                throw new IllegalArgumentException("account alias \"" + alias + "\" is already taken");
            }
            String address;
            byte[] pub;
            String file;
            String content;
            if (chain.isEvm()) {
                pub = secp.publicKey(key);
                address = Bytes.toHex0x(EthAddress.fromPublicKey(pub));
                file = KeystoreV3.gethFileName(clock.instant(), address);
                content = KeystoreV3.encrypt(key, address, passphrase, scrypt, random);
            } else if (isTezos(chain)) {
                pub = Tezos.publicKey(key);
                address = Tezos.tz1(pub);
                file = "tezos--" + address + ".json";
                content = KeystoreV3.encrypt(key, address, passphrase, scrypt, random);
            } else {
                throw new IllegalArgumentException("chain " + chain + " is not supported: expected eip155 or tezos");
            }
            AccountId id = AccountId.of(chain, address);
            for (Account a : accounts.values()) {
                if (a.id.equals(id)) {
                    throw new IllegalArgumentException("account " + id + " is already held as \"" + a.alias + "\"");
                }
            }
            new AccountInfo(alias, id, path, false, origin); // validates the alias before anything is written
            KeystoreV3.writeAtomically(folder.resolve(file), content);
            Account a = new Account(alias, id, path, origin, file);
            a.key = key;
            a.publicKey = pub;
            key = null;
            accounts.put(alias, a);
            saveIndex();
            LOG.info("IOTPAY wallet: account \"{}\" {} created ({})", alias, id, origin);
            return a.info();
        } catch (KeystoreError e) {
            throw toApi(e);
        } finally {
            Bytes.wipe(key);
        }
    }

    @Override
    public Optional<AccountInfo> account(String aliasOrAddress) {
        if (aliasOrAddress == null) {
            return Optional.empty();
        }
        synchronized (accounts) {
            Account byAlias = accounts.get(aliasOrAddress);
            if (byAlias != null) {
                return Optional.of(byAlias.info());
            }
            String q = aliasOrAddress.toLowerCase(Locale.ROOT);
            for (Account a : accounts.values()) {
                String addr = a.id.chainId().isEvm() ? a.id.address().toLowerCase(Locale.ROOT) : a.id.address();
                if (addr.equals(a.id.chainId().isEvm() ? q : aliasOrAddress)
                        || a.id.toString().equalsIgnoreCase(aliasOrAddress)) {
                    return Optional.of(a.info());
                }
            }
            return Optional.empty();
        }
    }

    @Override
    public void lock(AccountId account) {
        Account a = held(account);
        Lock w = a.rw.writeLock();
        w.lock(); // waits for the signatures in progress with this key
        try {
            a.locked = true;
            Bytes.wipe(a.key);
            a.key = null;
        } finally {
            w.unlock();
        }
        LOG.info("IOTPAY wallet: account {} locked", account);
    }

    @Override
    public void unlock(AccountId account) {
        Account a = held(account);
        Lock running = enter();
        try {
            requirePassphrase();
            Lock w = a.rw.writeLock();
            w.lock();
            try {
                loadKey(a); // proves the passphrase decrypts the file
                a.locked = false;
            } finally {
                w.unlock();
            }
        } finally {
            running.unlock();
        }
        LOG.info("IOTPAY wallet: account {} unlocked", account);
    }

    // ------------------------------------------------------------------------------------------------ policy

    @Override
    public SpendingPolicy policy(AccountId account) {
        held(account);
        SpendingPolicy p = policies.get(account);
        return p != null ? p : defaultPolicy(account);
    }

    private SpendingPolicy defaultPolicy(AccountId account) {
        Asset asset = nativeAsset(account.chainId());
        return new SpendingPolicy(null, Amount.ofUnits(defaultDailyLimit, asset), Map.of(), null, Set.of(), null,
                dayZone);
    }

    static Asset nativeAsset(ChainId chain) {
        if (isTezos(chain)) {
            return Asset.nativeCoin(chain, 6, "XTZ");
        }
        String symbol = switch (chain.reference()) {
            case "56", "97" -> "BNB";
            case "137" -> "POL";
            case "100" -> "xDAI";
            default -> "ETH";
        };
        return Asset.nativeCoin(chain, 18, symbol);
    }

    @Override
    public void setPolicy(AccountId account, SpendingPolicy policy) {
        held(account);
        if (!policy.asset().chain().equals(account.chainId())) {
            throw new IllegalArgumentException("policy asset " + policy.asset() + " is not on the chain of " + account);
        }
        synchronized (policies) {
            policies.put(account, policy);
            savePolicies();
        }
        LOG.info("IOTPAY wallet: spending policy of {} replaced", account);
    }

    @Override
    public List<PendingApproval> pendingApprovals() {
        return engine.pendingApprovals();
    }

    @Override
    public void approve(String id) {
        engine.approve(id);
    }

    @Override
    public void deny(String id) {
        engine.deny(id);
    }

    // ------------------------------------------------------------------------------------------------ signing

    @Override
    public Signature signPersonalMessage(AccountId account, byte[] message) {
        Account a = held(account);
        requireEvm(a);
        byte[] digest = Eip191.personalMessageDigest(message);
        return withKey(a, (key, pub) -> new Signature(secp.sign(digest, key, pub),
                SignatureScheme.SECP256K1_RECOVERABLE));
    }

    @Override
    public Signature signTypedData(AccountId account, TypedData data) {
        Account a = held(account);
        requireEvm(a);
        Eip712.TypedData td = convert(data);
        TypedDataKind kind = classify(td);
        if (kind == TypedDataKind.REFUSED) {
            PaymentIntent unknown = null;
            SpendingRefusedException e = new SpendingRefusedException(Reason.PAYEE_NOT_ALLOWED, unknown,
                    "typed data of type " + td.primaryType() + " in the IOTPAY domain is a voucher or not a known "
                            + "money-less IOTPAY intent; sign vouchers through signVoucher so the spending policy can "
                            + "check payee and amount");
            notifyRefused(e);
            throw e;
        }
        byte[] digest = Eip712.digest(td);
        withKey(a, (key, pub) -> null); // a locked account signs nothing and consumes no approval
        if (kind == TypedDataKind.OWNER_APPROVAL) {
            Object name = td.domain().get("name");
            try {
                engine.requireOwnerApproval(typedDataApprovalIntent(a.id, td, digest), "typed data "
                        + td.primaryType() + " in domain \"" + name + "\" (EIP-712 digest " + Bytes.toHex0x(digest)
                        + ") is not a known money-less IOTPAY intent and may move money", this::notifyApproval);
            } catch (SpendingRefusedException e) {
                notifyRefused(e);
                throw e;
            }
        }
        return withKey(a, (key, pub) -> new Signature(secp.sign(digest, key, pub),
                SignatureScheme.SECP256K1_RECOVERABLE));
    }

    /** How {@link #signTypedData} treats a document. */
    enum TypedDataKind {
        /** A money-less IOTPAY intent of the exact known shape: signed directly. */
        SIGN,
        /** IOTPAY domain, anything else (vouchers above all): refused, vouchers go through signVoucher. */
        REFUSED,
        /** Any other domain or type: signed only after the owner approved this exact digest. */
        OWNER_APPROVAL
    }

    /**
     * IOTPAY intents that move no money and may be signed as plain typed data, with their exact EIP-712 type
     * encoding: a payee's close intent (it only agrees to end a channel at an amount it is owed) and a device
     * ownership transfer (the registry needs both owners').
     */
    static final Map<String, String> MONEYLESS_IOTPAY_TYPES = Map.of(
            "CloseIntent", "CloseIntent(bytes32 channelId,uint256 finalAmount)",
            "OwnershipTransfer", "OwnershipTransfer(bytes32 deviceId,address from,address to,uint256 nonce,"
                    + "uint256 deadline)");

    /** Allowlist: only known money-less IOTPAY intents are signed directly. */
    static TypedDataKind classify(Eip712.TypedData td) {
        if (!VoucherDomain.DEFAULT_NAME.equals(td.domain().get("name"))) {
            return TypedDataKind.OWNER_APPROVAL;
        }
        String expected = MONEYLESS_IOTPAY_TYPES.get(td.primaryType());
        if (expected == null) {
            return TypedDataKind.REFUSED;
        }
        Map<String, List<Eip712.Field>> types = new LinkedHashMap<>(td.types());
        types.remove(Eip712.DOMAIN_TYPE);
        return expected.equals(new Eip712(types).encodeType(td.primaryType())) ? TypedDataKind.SIGN
                : TypedDataKind.REFUSED;
    }

    /** Prefix of the session key that ties an owner approval to one EIP-712 digest. */
    public static final String TYPED_DATA_APPROVAL_PREFIX = "eip712:";
    /** Prefix of the session key that ties an owner approval to one transaction signing hash. */
    public static final String CALL_APPROVAL_PREFIX = "call:";

    /** The session key of the owner approval for typed data with this digest. */
    public static String typedDataApprovalKey(byte[] digest) {
        return TYPED_DATA_APPROVAL_PREFIX + Bytes.toHex0x(digest);
    }

    /**
     * The approval request for typed data: zero increment in the native coin, payee the verifying contract (the
     * signer itself if the domain names none), session key {@code eip712:<digest>} so the approval covers exactly
     * this document.
     */
    private static PaymentIntent typedDataApprovalIntent(AccountId signer, Eip712.TypedData td, byte[] digest) {
        AccountId payee = signer;
        Object vc = td.domain().get("verifyingContract");
        if (vc != null) {
            try {
                payee = AccountId.of(signer.chainId(), vc.toString().toLowerCase(Locale.ROOT));
            } catch (RuntimeException e) {
                payee = signer;
            }
        }
        Amount zero = Amount.zero(nativeAsset(signer.chainId()));
        return new PaymentIntent(signer, payee, zero, zero, null, typedDataApprovalKey(digest), null);
    }

    @Override
    public Signature signVoucher(PaymentIntent intent, Voucher voucher, VoucherDomain domain) {
        Account a = held(intent.payer());
        if (!voucher.contract().equals(domain.verifyingContract())) {
            throw new IllegalArgumentException("voucher contract " + voucher.contract()
                    + " differs from the domain's verifying contract " + domain.verifyingContract());
        }
        if (!domain.chain().equals(intent.payer().chainId())) {
            throw new IllegalArgumentException("domain chain " + domain.chain() + " differs from the payer's chain");
        }
        if (!voucher.cumulative().equals(intent.cumulative())) {
            throw new IllegalArgumentException("voucher cumulative " + voucher.cumulative()
                    + " differs from the intent's cumulative " + intent.cumulative());
        }
        if (intent.channel() != null && !intent.channel().equals(voucher.channel())) {
            throw new IllegalArgumentException("voucher channel " + voucher.channel() + " differs from the intent's "
                    + intent.channel());
        }
        requireEvm(a);
        // The wallet, not the caller, decides how much new money a voucher commits: at least the cumulative amount
        // above the highest voucher it signed on this channel.
        String channelKey = voucher.channel().toHex();
        BigInteger last = engine.lastVoucher(intent.payer(), channelKey);
        BigInteger fresh = voucher.cumulative().units().subtract(last).max(BigInteger.ZERO);
        PaymentIntent checked = fresh.compareTo(intent.increment().units()) > 0
                ? new PaymentIntent(intent.payer(), intent.payee(), Amount.ofUnits(fresh, intent.increment().asset()),
                        intent.cumulative(), intent.unitPrice(), intent.sessionKey(), intent.channel())
                : intent;
        byte[] digest = voucherDigest(voucher, domain);
        // the booking and the new highest voucher are stored together before the signature is made
        return signPayment(a, checked, digest, channelKey, voucher.cumulative().units());
    }

    private static final byte[] DOMAIN_TYPEHASH = Keccak.keccak256(("EIP712Domain(string name,string version,"
            + "uint256 chainId,address verifyingContract)").getBytes(StandardCharsets.US_ASCII));
    private static final byte[] VOUCHER_TYPEHASH = Keccak.keccak256(
            "Voucher(bytes32 channelId,uint256 cumulativeAmount)".getBytes(StandardCharsets.US_ASCII));
    private static final Map<VoucherDomain, byte[]> DOMAIN_SEPARATORS = new ConcurrentHashMap<>();

    /**
     * EIP-712 digest of {@code Voucher(bytes32 channelId,uint256 cumulativeAmount)} in the domain
     * {@code EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)}; the domain separator
     * is computed once per domain (the generic {@link Eip712} encoder gives the same result, see the tests).
     */
    public static byte[] voucherDigest(Voucher voucher, VoucherDomain domain) {
        byte[] separator = DOMAIN_SEPARATORS.computeIfAbsent(domain, WalletService::domainSeparator);
        byte[] structHash = Keccak.keccak256(VOUCHER_TYPEHASH, voucher.channel().bytes(),
                Bytes.toFixed(voucher.cumulative().units(), 32));
        return Keccak.keccak256(new byte[] {0x19, 0x01}, separator, structHash);
    }

    private static byte[] domainSeparator(VoucherDomain d) {
        byte[] contract = new byte[32];
        System.arraycopy(Bytes.fromHex(d.verifyingContract().address(), "verifying contract"), 0, contract, 12, 20);
        return Keccak.keccak256(DOMAIN_TYPEHASH, Keccak.keccak256(d.name().getBytes(StandardCharsets.UTF_8)),
                Keccak.keccak256(d.version().getBytes(StandardCharsets.UTF_8)),
                Bytes.toFixed(BigInteger.valueOf(d.chain().evmChainId()), 32), contract);
    }

    /** The same digest through the generic EIP-712 encoder (tests and cross-checks). */
    static byte[] voucherDigestGeneric(Voucher voucher, VoucherDomain domain) {
        Map<String, List<Eip712.Field>> types = new LinkedHashMap<>();
        types.put(Eip712.DOMAIN_TYPE, List.of(new Eip712.Field("name", "string"),
                new Eip712.Field("version", "string"), new Eip712.Field("chainId", "uint256"),
                new Eip712.Field("verifyingContract", "address")));
        types.put(VOUCHER_TYPE, List.of(new Eip712.Field("channelId", "bytes32"),
                new Eip712.Field("cumulativeAmount", "uint256")));
        Map<String, Object> dom = new LinkedHashMap<>();
        dom.put("name", domain.name());
        dom.put("version", domain.version());
        dom.put("chainId", BigInteger.valueOf(domain.chain().evmChainId()));
        dom.put("verifyingContract", domain.verifyingContract().address());
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("channelId", voucher.channel().bytes());
        msg.put("cumulativeAmount", voucher.cumulative().units());
        return Eip712.digest(new Eip712.TypedData(types, VOUCHER_TYPE, dom, msg));
    }

    @Override
    public Signature signTransaction(AccountId from, UnsignedTransaction tx) {
        Account a = held(from);
        byte[] signingHash = transactionSigningHash(from, tx);
        PaymentIntent intent = moneyOf(from, tx);
        String unknownCall = unknownCall(from, tx);
        if (unknownCall != null) {
            if (a.locked || passphrase == null || closed) {
                SpendingRefusedException e = new SpendingRefusedException(Reason.ACCOUNT_LOCKED, null,
                        "account " + a.id + " is locked");
                notifyRefused(e);
                throw e;
            }
            Amount zero = Amount.zero(nativeAsset(from.chainId()));
            PaymentIntent key = new PaymentIntent(from, tx.to(), zero, zero, null,
                    CALL_APPROVAL_PREFIX + Bytes.toHex0x(signingHash), null);
            try {
                engine.requireOwnerApproval(key, unknownCall + " (transaction signing hash "
                        + Bytes.toHex0x(signingHash) + ")", this::notifyApproval);
            } catch (SpendingRefusedException e) {
                notifyRefused(e);
                throw e;
            }
        }
        if (intent == null) {
            return rawSign(a, signingHash, false);
        }
        return signPayment(a, intent, signingHash);
    }

    /**
     * The digest a transaction signature covers, computed here from the whole transaction (H4(a): never taken from
     * the caller), after checking that the transaction is bound to {@code from}'s chain.
     */
    static byte[] transactionSigningHash(AccountId from, UnsignedTransaction tx) {
        if (tx == null) {
            throw new IllegalArgumentException("transaction is missing");
        }
        ChainId bound = tx.fields().chain();
        if (!bound.equals(from.chainId())) {
            throw new IllegalArgumentException("transaction fields are for chain " + bound + " but the sending account "
                    + from + " is on chain " + from.chainId());
        }
        if (!tx.value().asset().chain().equals(from.chainId())) {
            throw new IllegalArgumentException("transaction value is on chain " + tx.value().asset().chain()
                    + " but the sending account " + from + " is on chain " + from.chainId());
        }
        if (tx.fields() instanceof EvmTransactionFields) {
            return EvmSigningPayload.signingHash(tx);
        }
        throw new IllegalArgumentException("the wallet cannot sign " + tx.fields().getClass().getSimpleName()
                + " transactions");
    }

    /** ERC-20 {@code transfer(address,uint256)}, {@code approve(address,uint256)}: decoded and charged. */
    static final String ERC20_TRANSFER = "a9059cbb";
    static final String ERC20_APPROVE = "095ea7b3";
    /** ERC-20 {@code transferFrom(address,address,uint256)}: decoded and charged. */
    static final String ERC20_TRANSFER_FROM = "23b872dd";

    /**
     * Selectors of the state-changing functions of the IOTPAY contracts (IotpayChannels, DeviceRegistry, Notary), as in
     * the committed ABI artifacts of io.iotpay.chain.evm ({@code IotpaySelectorsTest} recomputes them from those files
     * and fails if they drift). Every one of them pays only {@code msg.sender} or pulls only what the signer approved
     * or sent as value; the value a call carries is charged by the policy.
     */
    static final Set<String> IOTPAY_SELECTORS = Set.of(
            // IotpayChannels
            "77f9be13", // claim(address,address,uint256,uint256,uint8,bytes32,bytes32)
            "3f305560", // claimBatch(address,(address,uint256,uint256,uint8,bytes32,bytes32)[])
            "91827664", // closeCooperative(address,address,uint256,uint256,uint8,bytes32,bytes32)
            "d80dcc83", // open(address,address,uint256,uint256)
            "b6fe0b9f", // openNative(address,uint256)
            "e8b9b5dd", // startClose(address,address,uint256)
            "32746d4f", // topUp(address,address,uint256,uint256)
            "d9caed12", // withdraw(address,address,uint256)
            "c9211c82", // withdrawEarnings(address,uint256)
            // DeviceRegistry
            "0154fdd1", // anchorCertificate(bytes32,bytes32)
            "f8ada5b3", // registerDevice(bytes32,bytes32)
            "c6cbc52a", // revokeCertificate(bytes32)
            "66dd63e8", // transferOwnership(bytes32,address,uint256,uint8,bytes32,bytes32,uint8,bytes32,bytes32)
            // Notary
            "a149a214", // anchor(uint64,bytes32,uint32)
            "a40858e9"); // anchorStored(uint64,bytes32,uint32)

    /**
     * Allowlist for call data: null when the transaction carries no call data, or its call is a decoded ERC-20 call
     * or an IOTPAY contract function; otherwise a description of the call for the owner (it needs approval).
     */
    static String unknownCall(AccountId from, UnsignedTransaction tx) {
        byte[] data = tx.data();
        if (tx.isContractCreation() || data.length == 0) {
            return null;
        }
        if (from.chainId().isEvm() && data.length >= 4) {
            String selector = Bytes.toHex(Arrays.copyOf(data, 4));
            if (selector.equals(ERC20_TRANSFER) || selector.equals(ERC20_APPROVE)
                    || selector.equals(ERC20_TRANSFER_FROM) || IOTPAY_SELECTORS.contains(selector)) {
                return null;
            }
            return "a call to " + tx.to() + " with selector 0x" + selector + " is neither an ERC-20 transfer/approve/"
                    + "transferFrom nor an IOTPAY contract function and may move money";
        }
        return "a transaction to " + tx.to() + " with call data the wallet cannot decode may move money";
    }

    /** The payment a transaction makes, or null when it moves no value. */
    private PaymentIntent moneyOf(AccountId from, UnsignedTransaction tx) {
        if (tx.isContractCreation()) {
            if (!tx.value().isZero()) {
                SpendingRefusedException e = new SpendingRefusedException(Reason.PAYEE_NOT_ALLOWED, null,
                        "a contract creation carrying value is refused");
                notifyRefused(e);
                throw e;
            }
            return null;
        }
        byte[] data = tx.data();
        if (data.length >= 4 && from.chainId().isEvm()) {
            String selector = Bytes.toHex(Arrays.copyOf(data, 4));
            AccountId payee = null;
            BigInteger amount = null;
            if ((selector.equals(ERC20_TRANSFER) || selector.equals(ERC20_APPROVE)) && data.length >= 68) {
                payee = AccountId.of(from.chainId(), "0x" + Bytes.toHex(Arrays.copyOfRange(data, 16, 36)));
                amount = new BigInteger(1, Arrays.copyOfRange(data, 36, 68));
            } else if (selector.equals(ERC20_TRANSFER_FROM) && data.length >= 100) {
                payee = AccountId.of(from.chainId(), "0x" + Bytes.toHex(Arrays.copyOfRange(data, 48, 68)));
                amount = new BigInteger(1, Arrays.copyOfRange(data, 68, 100));
            } else if (selector.equals(ERC20_TRANSFER) || selector.equals(ERC20_APPROVE)
                    || selector.equals(ERC20_TRANSFER_FROM)) {
                throw new IllegalArgumentException("ERC-20 call data 0x" + selector + " is too short");
            }
            if (payee != null) {
                SpendingPolicy p = policy(from);
                Asset asset = !p.asset().isNative() && p.asset().tokenContract().equals(tx.to()) ? p.asset() : null;
                if (asset == null) {
                    SpendingRefusedException e = new SpendingRefusedException(Reason.ASSET_NOT_ALLOWED, null,
                            "token " + tx.to() + " is not the asset of the spending policy of " + from);
                    notifyRefused(e);
                    throw e;
                }
                if (!tx.value().isZero()) {
                    throw new IllegalArgumentException("a token call carrying native value is not supported");
                }
                Amount amt = Amount.ofUnits(amount, asset);
                return PaymentIntent.transfer(from, payee, amt);
            }
        }
        if (tx.value().isZero()) {
            return null;
        }
        return PaymentIntent.transfer(from, tx.to(), tx.value());
    }

    /** Policy, then sign; the reservation is released if signing fails. */
    private Signature signPayment(Account a, PaymentIntent intent, byte[] digest) {
        return signPayment(a, intent, digest, null, null);
    }

    private Signature signPayment(Account a, PaymentIntent intent, byte[] digest, String voucherChannel,
            BigInteger voucherCumulative) {
        if (a.locked || passphrase == null || closed) {
            SpendingRefusedException e = new SpendingRefusedException(Reason.ACCOUNT_LOCKED, intent,
                    "account " + a.id + " is locked");
            notifyRefused(e);
            throw e;
        }
        SpendingPolicyEngine.Reservation r;
        try {
            r = engine.reserve(intent, policy(a.id), this::notifyApproval, voucherChannel, voucherCumulative);
        } catch (SpendingRefusedException e) {
            notifyRefused(e);
            throw e;
        }
        try {
            return rawSign(a, digest, true);
        } catch (RuntimeException e) {
            r.release();
            throw e;
        }
    }

    private Signature rawSign(Account a, byte[] digest, boolean payment) {
        try {
            return withKey(a, (key, pub) -> {
                if (a.id.chainId().isEvm()) {
                    return new Signature(secp.sign(digest, key, pub), SignatureScheme.SECP256K1_RECOVERABLE);
                }
                org.bouncycastle.crypto.signers.Ed25519Signer s = new org.bouncycastle.crypto.signers.Ed25519Signer();
                s.init(true, new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(key, 0));
                s.update(digest, 0, digest.length);
                return new Signature(s.generateSignature(), SignatureScheme.ED25519);
            });
        } catch (WalletLockedException e) {
            if (payment) {
                throw new SpendingRefusedException(Reason.ACCOUNT_LOCKED, null, "account " + a.id + " is locked");
            }
            throw e;
        }
    }

    /**
     * Runs {@code use} with the account's in-memory key and public key (references, not copies: {@code use} must
     * not keep or hand them out), decrypting the file on first use. The key is read under the account's read lock
     * and the wallet's {@code life} read lock for the whole of {@code use}, so {@link #lock} and {@link #deactivate}
     * cannot zero it meanwhile; a locked account or a stopped wallet throws {@link WalletLockedException}.
     */
    private <T> T withKey(Account a, BiFunction<byte[], byte[], T> use) {
        Lock running = enter();
        try {
            Lock r = a.rw.readLock();
            r.lock();
            try {
                if (a.key == null) {
                    requireUsable(a);
                    // decrypt under the write lock (a read lock cannot be upgraded), then sign under the read lock
                    r.unlock();
                    Lock w = a.rw.writeLock();
                    w.lock();
                    try {
                        requireUsable(a);
                        loadKey(a);
                    } finally {
                        r.lock(); // downgrade: taken before the write lock is released
                        w.unlock();
                    }
                }
                requireUsable(a);
                return use.apply(a.key, a.publicKey);
            } finally {
                r.unlock();
            }
        } finally {
            running.unlock();
        }
    }

    /** Refuses a locked account or a stopped wallet (the caller holds the account's lock). */
    private void requireUsable(Account a) {
        if (a.locked || passphrase == null || closed) {
            throw new WalletLockedException(a.id);
        }
    }

    /** Decrypts the account's key file if the key is not in memory; the caller holds the account's write lock. */
    private void loadKey(Account a) {
        if (passphrase == null || closed) {
            throw new WalletLockedException(a.id);
        }
        if (a.key == null) {
            int len = 32;
            byte[] k = decrypt(folder.resolve(a.file), len, len);
            try {
                a.publicKey = a.id.chainId().isEvm() ? secp.publicKey(k) : Tezos.publicKey(k);
            } catch (RuntimeException e) {
                Bytes.wipe(k);
                throw e;
            }
            a.key = k;
        }
    }

    private byte[] decrypt(Path file, int min, int max) {
        try {
            return KeystoreV3.decrypt(file, passphrase, min, max).privateKey();
        } catch (KeystoreError e) {
            throw toApi(e);
        }
    }

    // ------------------------------------------------------------------------------------ certificate-authority keys

    @Override
    public PublicKey createCertificateAuthorityKey(String alias) {
        return caKeys.create(alias);
    }

    @Override
    public List<String> certificateAuthorityKeys() {
        return caKeys.aliases();
    }

    @Override
    public PublicKey certificateAuthorityPublicKey(String alias) {
        return caKeys.publicKey(alias);
    }

    @Override
    public byte[] signCertificate(String alias, byte[] tbsCertificate) {
        return caKeys.signCertificate(alias, tbsCertificate);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Account held(AccountId id) {
        synchronized (accounts) {
            for (Account a : accounts.values()) {
                if (a.id.equals(id)) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException("the wallet does not hold account " + id);
    }

    private static void requireEvm(Account a) {
        if (!a.id.chainId().isEvm()) {
            throw new IllegalArgumentException("account " + a.id + " is not an EVM account");
        }
    }

    private void requirePassphrase() {
        if (closed) {
            throw new IllegalStateException("the wallet is stopped");
        }
        if (passphrase == null) {
            throw new IllegalStateException("the wallet has no passphrase configured (config 'passphrase' or "
                    + "environment " + WalletConfig.PASSPHRASE_ENV + ")");
        }
    }

    static boolean isTezos(ChainId chain) {
        return ChainId.TEZOS.equals(chain.namespace());
    }

    private static KeystoreException toApi(KeystoreError e) {
        return new KeystoreException(KeystoreException.Reason.valueOf(e.kind().name()), e.getMessage(), e);
    }

    private void notifyRefused(SpendingRefusedException e) {
        LOG.info("IOTPAY wallet: {}", e.getMessage());
        for (WalletListener l : listeners) {
            try {
                l.onSpendingRefused(e);
            } catch (RuntimeException ex) {
                LOG.warn("wallet listener failed", ex);
            }
        }
    }

    private void notifyApproval(PendingApproval p) {
        LOG.info("IOTPAY wallet: approval {} requested for {}", p.id(), p.intent());
        for (WalletListener l : listeners) {
            try {
                l.onApprovalRequested(p);
            } catch (RuntimeException ex) {
                LOG.warn("wallet listener failed", ex);
            }
        }
    }

    static Eip712.TypedData convert(TypedData data) {
        Map<String, List<Eip712.Field>> types = new LinkedHashMap<>();
        data.types().forEach((k, v) -> types.put(k,
                v.stream().map(f -> new Eip712.Field(f.name(), f.type())).toList()));
        try {
            return new Eip712.TypedData(types, data.primaryType(), data.domain(), data.message());
        } catch (TypedDataException e) {
            throw e;
        }
    }

    private void loadIndex() {
        Path index = folder.resolve(INDEX);
        if (!Files.exists(index)) {
            return;
        }
        try {
            JsonNode root = JSON.readTree(Files.readString(index, StandardCharsets.UTF_8));
            for (JsonNode n : root.get("accounts")) {
                AccountId id = AccountId.parse(n.get("account").asText());
                String path = n.hasNonNull("path") ? n.get("path").asText() : null;
                Account a = new Account(n.get("alias").asText(), id, path,
                        KeyOrigin.valueOf(n.get("origin").asText()), n.get("file").asText());
                accounts.put(a.alias, a);
            }
        } catch (IOException | RuntimeException e) {
            throw new KeystoreException(KeystoreException.Reason.CORRUPTED, "cannot read the wallet index " + index
                    + ": " + e.getMessage(), e);
        }
    }

    private void saveIndex() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("accounts");
        for (Account a : accounts.values()) {
            ObjectNode n = arr.addObject();
            n.put("alias", a.alias);
            n.put("account", a.id.toString());
            n.put("path", a.path);
            n.put("origin", a.origin.name());
            n.put("file", a.file);
        }
        try {
            KeystoreV3.replaceAtomically(folder.resolve(INDEX), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(root));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void loadPolicies() {
        Path file = folder.resolve(POLICIES);
        if (!Files.exists(file)) {
            return;
        }
        try {
            JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            root.fields().forEachRemaining(e -> policies.put(AccountId.parse(e.getKey()),
                    io.iotpay.wallet.internal.policy.PolicyJson.read(e.getValue())));
        } catch (IOException | RuntimeException e) {
            // refuse to start with unknown policies rather than fall back to something more permissive
            throw new IllegalStateException("cannot read the spending policies " + file + ": " + e.getMessage(), e);
        }
    }

    private void savePolicies() {
        ObjectNode root = JSON.createObjectNode();
        policies.forEach((k, v) -> root.set(k.toString(), io.iotpay.wallet.internal.policy.PolicyJson.write(JSON, v)));
        try {
            KeystoreV3.replaceAtomically(folder.resolve(POLICIES),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (KeystoreError e) {
            throw new IllegalStateException("cannot save the spending policies: " + e.getMessage(), e);
        }
    }

    /** Folder in use (tests, shell). */
    Path folder() {
        return folder;
    }

    /** Today's booked total of an account (tests, shell). */
    Amount spentToday(AccountId id) {
        return engine.spentToday(id, policy(id));
    }

    /** Whether at least one account key is held decrypted in memory (tests). */
    boolean anyKeyInMemory() {
        synchronized (accounts) {
            return accounts.values().stream().anyMatch(a -> {
                Lock r = a.rw.readLock();
                r.lock();
                try {
                    return a.key != null;
                } finally {
                    r.unlock();
                }
            });
        }
    }

    /** Snapshot of the in-memory key arrays (tests check that they are zeroed after lock/deactivate). */
    List<byte[]> keyArrays() {
        List<byte[]> out = new ArrayList<>(caKeys.keyArrays());
        synchronized (accounts) {
            for (Account a : accounts.values()) {
                Lock r = a.rw.readLock();
                r.lock();
                try {
                    if (a.key != null) {
                        out.add(a.key);
                    }
                } finally {
                    r.unlock();
                }
            }
        }
        return out;
    }
}
