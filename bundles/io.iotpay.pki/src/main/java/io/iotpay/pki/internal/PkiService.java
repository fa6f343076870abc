package io.iotpay.pki.internal;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.DeviceRegistryClient;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.device.DeviceIds;
import io.iotpay.api.identity.DeviceCertificate;
import io.iotpay.api.identity.DeviceIdentity;
import io.iotpay.api.identity.OwnershipRecord;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.pki.internal.owner.OwnershipHistory;
import io.iotpay.pki.internal.tls.TlsContexts;
import io.iotpay.pki.internal.x509.CaSigner;
import io.iotpay.pki.internal.x509.CertificateVerifier;
import io.iotpay.pki.internal.x509.Crypto;
import io.iotpay.pki.internal.x509.DeviceCertificateIssuer;
import io.iotpay.pki.internal.x509.DeviceProfile;
import io.iotpay.pki.internal.x509.OwnerCa;
import io.iotpay.pki.internal.x509.Pem;
import io.iotpay.pki.internal.x509.Pkcs12;
import io.iotpay.pki.internal.x509.RegistryStatusCache;
import io.iotpay.pki.internal.x509.SecureFiles;
import io.iotpay.pki.internal.x509.TrustPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

/**
 * The device PKI of one node, without OSGi: owner CA (created on first issue; its key is a certificate-authority key
 * in the {@link Wallet}, alias {@link Settings#caKeyAlias()}), device keys and certificates in the PKI folder,
 * registration and revocation through the {@link DeviceRegistryClient}, verification by {@link CertificateVerifier}.
 *
 * <p>Folder layout ({@code docs/pki.md}):
 *
 * <pre>
 * (wallet keystore)/ca-p256--&lt;caKeyAlias&gt;.json  CA key (P-256), wallet-encrypted, 0600; never exported
 * &lt;folder&gt;/ca.pem                         CA certificate (public)
 * &lt;folder&gt;/ca.p12                         legacy only: CA key + certificate of a CA created before the key
 *                                          moved into the wallet (read, never written)
 * &lt;folder&gt;/trusted/*.pem                  further CA certificates trusted in LISTED_CAS / ANY_ANCHORED
 * &lt;folder&gt;/devices/&lt;device id&gt;/&lt;serial&gt;.pem   device certificate + CA (chain)
 * &lt;folder&gt;/devices/&lt;device id&gt;/&lt;serial&gt;.p12   device TLS key + chain, passphrase-encrypted, 0600
 * </pre>
 */
public final class PkiService implements DeviceIdentity {

    /** Signs a personal message (EIP-191) with a payment account: the wallet in production. */
    @FunctionalInterface
    public interface LinkSigner {
        /**
         * @param account the payment account
         * @param message the message
         * @return the signature
         */
        Signature sign(AccountId account, byte[] message);
    }

    /** Waits until a registry transaction is mined and succeeded; throws otherwise. */
    @FunctionalInterface
    public interface TxWaiter {
        /**
         * @param tx the transaction
         */
        void awaitSuccess(TxHash tx);
    }

    /**
     * Everything the service needs.
     *
     * @param folder the PKI folder
     * @param passphrase protects the device key files (and a legacy {@code ca.p12}); empty = device keys locked
     * @param caName CN of a new CA
     * @param owner configured owner, if any
     * @param mode trust mode
     * @param allowedOwners owners accepted (empty: any)
     * @param cacheFreshness maximum age of a cached on-chain status
     * @param caValidity validity of a new CA
     * @param caKeyAlias alias of the CA key in the wallet
     */
    public record Settings(Path folder, char[] passphrase, String caName, Optional<AccountId> owner,
            TrustPolicy.Mode mode, Set<AccountId> allowedOwners, Duration cacheFreshness, Duration caValidity,
            String caKeyAlias) {
    }

    /** Default alias of the owner CA's key in the wallet. */
    public static final String DEFAULT_CA_KEY_ALIAS = "owner-ca";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PkiService.class);

    private final Settings settings;
    private final DeviceRegistryClient registry;
    private final Wallet wallet;
    private final LinkSigner signer;
    private final TxWaiter waiter;
    private final java.util.function.Supplier<Optional<AccountId>> defaultOwner;
    private final Clock clock;
    private final RegistryStatusCache cache;
    private volatile OwnerCa ca;
    private volatile CertificateVerifier verifier;

    /**
     * @param settings configuration
     * @param registry the on-chain registry, or null (then nothing verifies: NOT_ANCHORED, and issue fails)
     * @param wallet holds the CA key (certificate-authority key {@link Settings#caKeyAlias()}); null: no CA can be
     *        created or used except a legacy {@code ca.p12}
     * @param signer signs the payment-key link
     * @param waiter waits for registry transactions
     * @param defaultOwner owner used to create the CA when none is configured
     * @param clock time source
     */
    public PkiService(Settings settings, DeviceRegistryClient registry, Wallet wallet, LinkSigner signer,
            TxWaiter waiter, java.util.function.Supplier<Optional<AccountId>> defaultOwner, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = registry;
        this.wallet = wallet;
        this.signer = Objects.requireNonNull(signer, "signer");
        this.waiter = Objects.requireNonNull(waiter, "waiter");
        this.defaultOwner = Objects.requireNonNull(defaultOwner, "defaultOwner");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cache = registry == null ? null : new RegistryStatusCache(registry, clock, settings.cacheFreshness());
        SecureFiles.ensureOwnerOnlyDir(settings.folder());
        rebuildVerifier();
    }

    private boolean hasPassphrase() {
        return settings.passphrase() != null && settings.passphrase().length > 0;
    }

    private void rebuildVerifier() {
        List<X509Certificate> anchors = new ArrayList<>();
        caCertificate().ifPresent(anchors::add);
        if (settings.mode() != TrustPolicy.Mode.OWN_CA_ONLY) {
            anchors.addAll(trustedCas());
        }
        this.verifier = new CertificateVerifier(new TrustPolicy(settings.mode(), anchors, settings.allowedOwners()),
                cache, clock);
    }

    private List<X509Certificate> trustedCas() {
        Path dir = settings.folder().resolve("trusted");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<X509Certificate> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".pem")).sorted().toList()) {
                out.addAll(Pem.decodeCertificates(Files.readString(p, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trusted CAs in " + dir, e);
        }
        return out;
    }

    /**
     * Returns the CA, creating it if the folder has none.
     *
     * @return the CA
     * @throws IllegalStateException if no wallet, owner or (for a legacy {@code ca.p12}) passphrase is available, or
     *         the wallet does not hold the CA's key
     */
    public synchronized OwnerCa ca() {
        if (ca != null) {
            return ca;
        }
        if (OwnerCa.exists(settings.folder())) {
            ca = loadCa();
        } else {
            AccountId owner = settings.owner().or(defaultOwner).orElseThrow(() -> new IllegalStateException(
                    "no owner account for the CA: configure 'owner' in " + PkiConfig.PID
                            + " or create a wallet account on the chain"));
            ca = createInWallet(settings.caName(), owner);
        }
        rebuildVerifier();
        return ca;
    }

    /** The existing CA: a legacy {@code ca.p12} if there is one, else {@code ca.pem} with the wallet's key. */
    private OwnerCa loadCa() {
        Path folder = settings.folder();
        if (OwnerCa.hasLegacyKeyFile(folder)) {
            if (!hasPassphrase()) {
                throw new IllegalStateException("the owner CA key is in the legacy file " + folder.resolve(
                        OwnerCa.KEY_FILE) + ", which is locked: set the environment variable "
                        + PkiConfig.PASSPHRASE_ENV + " or 'passphrase' in configuration " + PkiConfig.PID);
            }
            OwnerCa legacy = OwnerCa.loadLegacy(folder, settings.passphrase());
            LOG.warn("IOTPAY PKI: the owner CA key is still in the legacy PKCS#12 file {}; new CAs keep their key in "
                    + "the wallet (see docs/pki.md, 'Legacy ca.p12')", folder.resolve(OwnerCa.KEY_FILE));
            return legacy;
        }
        Wallet w = requireWallet();
        String alias = settings.caKeyAlias();
        if (!w.certificateAuthorityKeys().contains(alias)) {
            throw new IllegalStateException("the owner CA certificate " + folder.resolve(OwnerCa.CERT_FILE)
                    + " exists but the wallet holds no certificate-authority key \"" + alias + "\" (configuration "
                    + "caKeyAlias in " + PkiConfig.PID + "): use the wallet keystore the CA was created with, or "
                    + "move the PKI folder away and create a new CA with iotpay:ca-create");
        }
        return OwnerCa.load(folder, CaSigner.wallet(w, alias));
    }

    /** Creates the CA key in the wallet, the self-signed root through the wallet, and writes {@code ca.pem}. */
    private OwnerCa createInWallet(String name, AccountId owner) {
        Wallet w = requireWallet();
        String alias = settings.caKeyAlias();
        if (w.certificateAuthorityKeys().contains(alias)) {
            throw new IllegalStateException("the wallet already holds a certificate-authority key \"" + alias
                    + "\" but " + settings.folder() + " has no CA certificate; a key is never reused for a new CA: "
                    + "set caKeyAlias in " + PkiConfig.PID + " to a new alias (or restore " + OwnerCa.CERT_FILE
                    + " of that key's CA)");
        }
        w.createCertificateAuthorityKey(alias);
        OwnerCa created = OwnerCa.create(name, owner, clock.instant().minusSeconds(60), settings.caValidity(),
                CaSigner.wallet(w, alias));
        created.saveCertificate(settings.folder());
        LOG.info("IOTPAY PKI: owner CA {} created, key in the wallet as \"{}\"",
                created.certificate().getSubjectX500Principal().getName(), alias);
        return created;
    }

    private Wallet requireWallet() {
        if (wallet == null) {
            throw new IllegalStateException("no wallet available: the owner CA key is a certificate-authority key in "
                    + "the wallet");
        }
        return wallet;
    }

    /**
     * Where the owner CA's key is, for people.
     *
     * @return e.g. {@code wallet certificate-authority key "owner-ca"}, or empty if there is no CA yet
     */
    public Optional<String> caKeyLocation() {
        Path folder = settings.folder();
        if (OwnerCa.hasLegacyKeyFile(folder)) {
            return Optional.of("legacy CA key file " + folder.resolve(OwnerCa.KEY_FILE));
        }
        return OwnerCa.exists(folder) ? Optional.of("wallet certificate-authority key \"" + settings.caKeyAlias()
                + "\"") : Optional.empty();
    }

    @Override
    public DeviceCertificate issue(String deviceId, AccountId paymentAccount, Duration validity) {
        DeviceIds.require(deviceId);
        Objects.requireNonNull(paymentAccount, "paymentAccount");
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("certificate validity " + validity + " must be positive");
        }
        if (registry == null) {
            throw new IllegalStateException("no on-chain device registry available: cannot anchor a certificate");
        }
        if (!hasPassphrase()) {
            throw new IllegalStateException("device keys cannot be protected: set the environment variable "
                    + PkiConfig.PASSPHRASE_ENV + " or 'passphrase' in configuration " + PkiConfig.PID);
        }
        OwnerCa authority = ca();
        KeyPair tls = Crypto.newP256KeyPair();
        Signature link = signer.sign(paymentAccount,
                io.iotpay.pki.internal.x509.PaymentKeyLink.message(deviceId, paymentAccount, tls.getPublic()));
        Instant now = clock.instant();
        X509Certificate cert = new DeviceCertificateIssuer(authority).issue(deviceId, paymentAccount,
                tls.getPublic(), link, now, now.plus(validity));
        List<X509Certificate> chain = List.of(cert, authority.certificate());
        Path dir = deviceDir(deviceId);
        SecureFiles.ensureOwnerOnlyDir(dir);
        String base = cert.getSerialNumber().toString(16);
        Path p12 = dir.resolve(base + ".p12");
        Path pem = dir.resolve(base + ".pem");
        Pkcs12.write(p12, deviceId, tls.getPrivate(), chain, settings.passphrase());
        SecureFiles.writeOwnerOnly(pem, Pem.encode(chain));
        byte[] hash = DeviceProfile.hash(cert);
        try {
            waiter.awaitSuccess(registry.register(authority.owner(), hash, deviceId));
        } catch (RuntimeException e) {
            deleteQuietly(p12);
            deleteQuietly(pem);
            throw e;
        }
        cache.invalidate(hash);
        return DeviceProfile.toApi(cert);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the certificate is not anchored and will not verify
        }
    }

    private Path deviceDir(String deviceId) {
        return settings.folder().resolve("devices").resolve("device-" + DeviceIds.require(deviceId));
    }

    /** A stored device: its chain (leaf first) and the file of its key. */
    record Stored(List<X509Certificate> chain, Path keyFile) {
        X509Certificate cert() {
            return chain.get(0);
        }
    }

    private List<Stored> stored(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Stored> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".pem")).toList()) {
                String name = p.getFileName().toString();
                out.add(new Stored(Pem.decodeCertificates(Files.readString(p, StandardCharsets.UTF_8)),
                        p.resolveSibling(name.substring(0, name.length() - 4) + ".p12")));
            }
            out.sort(Comparator.comparing((Stored s) -> s.cert().getNotBefore())
                    .thenComparing(s -> s.cert().getSerialNumber()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }

    private Optional<Stored> current(String deviceId) {
        List<Stored> all = stored(deviceDir(deviceId));
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    @Override
    public VerificationResult verify(String pemChain) {
        return verifier.verify(pemChain);
    }

    /**
     * Verifies a parsed chain.
     *
     * @param chain leaf first
     * @return the result
     */
    public VerificationResult verify(List<X509Certificate> chain) {
        return verifier.verify(chain);
    }

    @Override
    public TxHash revoke(String deviceId) {
        Stored s = current(deviceId).orElseThrow(
                () -> new IllegalArgumentException("no certificate was issued here for device " + deviceId));
        if (registry == null) {
            throw new IllegalStateException("no on-chain device registry available: cannot revoke");
        }
        byte[] hash = DeviceProfile.hash(s.cert());
        AccountId owner = DeviceProfile.read(s.cert()).owner();
        TxHash tx = registry.revoke(owner, hash);
        try {
            waiter.awaitSuccess(tx);
        } finally {
            cache.invalidate(hash);
        }
        return tx;
    }

    @Override
    public Optional<AccountId> ownerOf(String deviceId) {
        DeviceIds.require(deviceId);
        return registry == null ? Optional.empty() : registry.ownerOf(deviceId);
    }

    @Override
    public List<DeviceCertificate> certificates() {
        Path root = settings.folder().resolve("devices");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            List<DeviceCertificate> out = new ArrayList<>();
            for (Path d : dirs.sorted().toList()) {
                stored(d).forEach(s -> out.add(DeviceProfile.toApi(s.cert())));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /**
     * A mutual-TLS context presenting the current certificate of a device issued here, trusting peers through this
     * node's verifier (trust policy, revocation).
     *
     * @param deviceId the local device
     * @param observer told about each peer verification, may be null
     * @return the context
     */
    public SSLContext sslContext(String deviceId, Consumer<VerificationResult> observer) {
        Stored s = current(deviceId).orElseThrow(
                () -> new IllegalArgumentException("no certificate was issued here for device " + deviceId));
        if (!hasPassphrase()) {
            throw new IllegalStateException("device keys are locked: set " + PkiConfig.PASSPHRASE_ENV);
        }
        Pkcs12.KeyEntry e = Pkcs12.read(s.keyFile(), settings.passphrase());
        return TlsContexts.create(e.key(), e.chain(), verifier, observer);
    }

    /** @return the trust policy in force */
    public TrustPolicy trustPolicy() {
        return verifier.policy();
    }

    /** @return the registry status cache, or null without registry */
    public RegistryStatusCache cache() {
        return cache;
    }

    /** @return the settings */
    public Settings settings() {
        return settings;
    }

    /**
     * Creates the owner CA explicitly (instead of lazily on first issue).
     *
     * @param name CN of the CA, or null for the configured {@code caName}
     * @param owner the owner account, or null for the configured owner / the wallet's first account
     * @return the new CA
     * @throws IllegalStateException if a CA exists already, no wallet or owner is available, the wallet is locked or
     *         already holds a key with the configured alias
     */
    public synchronized OwnerCa createCa(String name, AccountId owner) {
        if (OwnerCa.exists(settings.folder())) {
            throw new IllegalStateException("an owner CA exists already in " + settings.folder()
                    + " (see iotpay:ca-show); it is never replaced by this command");
        }
        AccountId o = owner != null ? owner : settings.owner().or(defaultOwner).orElseThrow(
                () -> new IllegalStateException("no owner account for the CA: pass --owner, configure 'owner' in "
                        + PkiConfig.PID + " or create a wallet account on the chain"));
        OwnerCa created = createInWallet(name == null || name.isBlank() ? settings.caName() : name, o);
        ca = created;
        rebuildVerifier();
        return created;
    }

    /** @return the own CA certificate (public; readable without the passphrase), empty if there is no CA yet */
    public Optional<X509Certificate> caCertificate() {
        Path caPem = settings.folder().resolve(OwnerCa.CERT_FILE);
        if (Files.isRegularFile(caPem)) {
            return Optional.of(OwnerCa.loadCertificate(settings.folder()));
        }
        OwnerCa loaded = ca;
        return loaded != null ? Optional.of(loaded.certificate()) : Optional.empty();
    }

    /**
     * The current (most recent) certificate chain of a device issued here.
     *
     * @param deviceId the device
     * @return leaf first, then the CA; empty if none was issued here
     */
    public Optional<List<X509Certificate>> chain(String deviceId) {
        return current(deviceId).map(Stored::chain);
    }

    @Override
    public Optional<String> certificateChain(String deviceId) {
        DeviceIds.require(deviceId);
        return chain(deviceId).map(Pem::encode);
    }

    /**
     * The PKCS#12 file of a device's current key (encrypted with the PKI passphrase).
     *
     * @param deviceId the device
     * @return the file
     */
    public Optional<Path> keyFile(String deviceId) {
        return current(deviceId).map(Stored::keyFile).filter(Files::isRegularFile);
    }

    /** @return the key-file passphrase (copy), for re-encrypting exports within this bundle */
    char[] passphrase() {
        return settings.passphrase().clone();
    }

    /**
     * Adds a CA certificate to {@code <folder>/trusted} (used in LISTED_CAS and ANY_ANCHORED) and reloads the trust
     * policy.
     *
     * @param name file name stem, {@code [A-Za-z0-9._-]{1,64}}
     * @param caCert a self-signed CA certificate
     * @return the written file
     */
    public synchronized Path trust(String name, X509Certificate caCert) {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("trusted CA name \"" + name + "\" must match [A-Za-z0-9._-]{1,64}");
        }
        if (caCert.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("certificate " + caCert.getSubjectX500Principal().getName()
                    + " is not a CA certificate (basicConstraints CA:FALSE): only CAs can be trusted");
        }
        try {
            caCert.verify(caCert.getPublicKey());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("certificate " + caCert.getSubjectX500Principal().getName()
                    + " is not self-signed: import the root CA");
        }
        Path dir = settings.folder().resolve("trusted");
        SecureFiles.ensureOwnerOnlyDir(dir);
        Path file = dir.resolve(name + ".pem");
        if (Files.exists(file)) {
            throw new IllegalArgumentException("a trusted CA named " + name + " exists already: " + file);
        }
        SecureFiles.writeOwnerOnly(file, Pem.encode(caCert));
        rebuildVerifier();
        return file;
    }

    /**
     * Rebuilds the ownership chain of a device offline from the registry's events ({@link OwnershipHistory}).
     */
    @Override
    public List<OwnershipRecord> history(String deviceId) {
        DeviceIds.require(deviceId);
        if (registry == null) {
            throw new IllegalStateException("no on-chain device registry available: cannot read ownership history");
        }
        return OwnershipHistory.replay(deviceId, registry.ownershipEvents(deviceId));
    }

    /** @return the registry, or null */
    public DeviceRegistryClient registry() {
        return registry;
    }

    /** @return the status cache's freshness setting */
    public Duration cacheFreshness() {
        return settings.cacheFreshness();
    }
}
