package io.iotpay.pki.internal;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainConnector;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.chain.TxReceipt;
import io.iotpay.api.identity.DeviceCertificate;
import io.iotpay.api.identity.DeviceIdentity;
import io.iotpay.api.identity.OwnershipRecord;
import io.iotpay.api.identity.VerificationResult;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.pki.internal.owner.OwnershipTransfers;
import io.iotpay.pki.internal.x509.TrustPolicy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * OSGi face of {@link PkiService}: registers {@link DeviceIdentity}. The registry comes from the bound
 * {@link ChainConnector} (select one with the configuration property {@code chain.target}); the payment-key link is
 * signed by the {@link Wallet}, which also holds the owner CA's key (a certificate-authority key, alias
 * {@code caKeyAlias}) and signs every certificate the CA issues. Configuration PID {@value PkiConfig#PID}.
 */
@Component(service = DeviceIdentity.class, configurationPid = PkiConfig.PID)
@Designate(ocd = PkiConfig.class)
public final class DeviceIdentityComponent implements DeviceIdentity {

    private final PkiService pki;
    private final ChainConnector chain;
    private final Wallet wallet;
    private final Duration txTimeout;

    /**
     * @param chain the chain whose device registry is used
     * @param wallet signs the payment-key links
     * @param config the configuration
     */
    @Activate
    public DeviceIdentityComponent(@Reference(name = "chain") ChainConnector chain, @Reference Wallet wallet,
            PkiConfig config) {
        this.chain = chain;
        this.wallet = wallet;
        this.txTimeout = Duration.ofSeconds(config.registryTimeoutSeconds());
        this.pki = new PkiService(settings(config, System.getenv(PkiConfig.PASSPHRASE_ENV),
                System.getProperty("karaf.data")), chain.deviceRegistry(), wallet, wallet::signPersonalMessage,
                tx -> awaitSuccess(chain, tx, Duration.ofSeconds(config.registryTimeoutSeconds())),
                () -> wallet.accounts().stream().map(AccountInfo::account)
                        .filter(a -> a.chainId().equals(chain.chainId())).findFirst(),
                Clock.systemUTC());
    }

    static void awaitSuccess(ChainConnector chain, TxHash tx, Duration timeout) {
        TxReceipt r = chain.awaitReceipt(tx, 1, timeout);
        if (!r.success()) {
            throw new IllegalStateException("device registry transaction " + tx.hash() + " reverted");
        }
    }

    /**
     * Turns the configuration into settings.
     *
     * @param c configuration
     * @param envPassphrase value of {@value PkiConfig#PASSPHRASE_ENV}, may be null
     * @param karafData the karaf.data system property, may be null
     * @return the settings
     */
    static PkiService.Settings settings(PkiConfig c, String envPassphrase, String karafData) {
        Path folder = c.folder().isBlank()
                ? Path.of(karafData == null ? "data" : karafData, "iotpay", "pki")
                : Path.of(c.folder());
        String pass = envPassphrase != null && !envPassphrase.isEmpty() ? envPassphrase : c.passphrase();
        TrustPolicy.Mode mode;
        try {
            mode = TrustPolicy.Mode.valueOf(c.trustMode().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trustMode \"" + c.trustMode() + "\" is not one of "
                    + Arrays.toString(TrustPolicy.Mode.values()), e);
        }
        Set<AccountId> owners = Arrays.stream(c.allowedOwners()).map(String::trim).filter(s -> !s.isEmpty())
                .map(AccountId::parse).collect(Collectors.toUnmodifiableSet());
        if (c.cacheFreshnessSeconds() < 0) {
            throw new IllegalArgumentException("cacheFreshnessSeconds " + c.cacheFreshnessSeconds()
                    + " must not be negative");
        }
        if (c.caValidityDays() <= 0) {
            throw new IllegalArgumentException("caValidityDays " + c.caValidityDays() + " must be positive");
        }
        Optional<AccountId> owner = c.owner().isBlank() ? Optional.empty() : Optional.of(AccountId.parse(c.owner()));
        String alias = c.caKeyAlias() == null ? "" : c.caKeyAlias().trim();
        if (!alias.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("caKeyAlias \"" + c.caKeyAlias() + "\" must match "
                    + "[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
        }
        return new PkiService.Settings(folder, pass == null ? new char[0] : pass.toCharArray(), c.caName(), owner,
                mode, owners, Duration.ofSeconds(c.cacheFreshnessSeconds()), Duration.ofDays(c.caValidityDays()),
                alias);
    }

    @Override
    public DeviceCertificate issue(String deviceId, AccountId paymentAccount, Duration validity) {
        return pki.issue(deviceId, paymentAccount, validity);
    }

    @Override
    public VerificationResult verify(String pemChain) {
        return pki.verify(pemChain);
    }

    @Override
    public TxHash revoke(String deviceId) {
        return pki.revoke(deviceId);
    }

    @Override
    public Optional<AccountId> ownerOf(String deviceId) {
        return pki.ownerOf(deviceId);
    }

    @Override
    public List<DeviceCertificate> certificates() {
        return pki.certificates();
    }

    @Override
    public List<OwnershipRecord> history(String deviceId) {
        return pki.history(deviceId);
    }

    @Override
    public Optional<String> certificateChain(String deviceId) {
        return pki.certificateChain(deviceId);
    }

    @Override
    public javax.net.ssl.SSLContext tlsContext(String deviceId) {
        return pki.sslContext(deviceId, r -> {
            if (!r.valid()) {
                TLS_LOG.warn("Mutual TLS: refused a peer certificate: {} {}", r.status(), r.detail());
            }
        });
    }

    private static final org.slf4j.Logger TLS_LOG = org.slf4j.LoggerFactory.getLogger("io.iotpay.pki.tls");

    /** @return the core service (same bundle only) */
    public PkiService pki() {
        return pki;
    }

    /** @return the wallet (same bundle only: the shell commands) */
    public Wallet wallet() {
        return wallet;
    }

    /** @return the chain connector whose registry is used */
    public ChainConnector chain() {
        return chain;
    }

    /** @return ownership transfers through the registry, signed by the wallet */
    public OwnershipTransfers transfers() {
        return new OwnershipTransfers(chain.deviceRegistry(), wallet::signTypedData);
    }

    /**
     * Waits for a registry transaction to be mined and succeed.
     *
     * @param tx the transaction
     */
    public void awaitSuccess(TxHash tx) {
        awaitSuccess(chain, tx, txTimeout);
    }
}
