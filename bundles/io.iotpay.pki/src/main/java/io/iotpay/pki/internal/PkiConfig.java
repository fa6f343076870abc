package io.iotpay.pki.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@value #PID}. The chain connector used for the registry can be chosen with the standard DS
 * property {@code chain.target}, e.g. {@code (iotpay.chain=eip155:31337)}.
 */
@ObjectClassDefinition(name = "IOTPAY device PKI",
        description = "Owner CA, device certificates, trust policy and the on-chain status cache.")
public @interface PkiConfig {

    /** Configuration PID. */
    String PID = "io.iotpay.pki";

    /** Environment variable that holds the key passphrase; it wins over {@link #passphrase()}. */
    String PASSPHRASE_ENV = "IOTPAY_PKI_PASSPHRASE";

    /** @return PKI folder; empty = ${karaf.data}/iotpay/pki */
    @AttributeDefinition(description = "Folder of the CA, device keys and trusted CAs. Empty: ${karaf.data}/iotpay/pki")
    String folder() default "";

    /** @return CN of the owner CA created on first use */
    @AttributeDefinition(description = "Common name of the owner CA when it is created.")
    String caName() default "IOTPAY owner CA";

    /** @return alias of the CA key in the wallet */
    @AttributeDefinition(description = "Alias of the owner CA's key (ECDSA P-256) in the wallet's encrypted keystore."
            + " ca-create generates the key there; it never leaves the wallet.")
    String caKeyAlias() default "owner-ca";

    /** @return CAIP-10 owner account; empty = the CA's owner, or the wallet's first account on the chain */
    @AttributeDefinition(description = "Owner account (CAIP-10). Empty: the existing CA's owner, else the wallet's"
            + " first account on the connector's chain.")
    String owner() default "";

    /** @return passphrase of the key files, used only when the environment variable is unset */
    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Passphrase of the device key files"
            + " (PKCS#12) and of a legacy CA key file ca.p12 (the CA key itself is in the wallet). The environment"
            + " variable IOTPAY_PKI_PASSPHRASE takes precedence.")
    String passphrase() default "";

    /** @return OWN_CA_ONLY, LISTED_CAS or ANY_ANCHORED */
    @AttributeDefinition(description = "Which peers are trusted: OWN_CA_ONLY, LISTED_CAS (own CA plus the PEM files in"
            + " <folder>/trusted), ANY_ANCHORED (any owner CA whose device certificate is anchored on chain).")
    String trustMode() default "OWN_CA_ONLY";

    /** @return allowed owners (CAIP-10); empty = any */
    @AttributeDefinition(description = "Owners (CAIP-10) whose devices are accepted. Empty: any the trust mode allows.")
    String[] allowedOwners() default {};

    /** @return maximum age of cached on-chain status, seconds; 0 = always ask the chain */
    @AttributeDefinition(description = "Maximum age in seconds of a cached on-chain certificate status (0: always ask).")
    long cacheFreshnessSeconds() default 60;

    /** @return validity of a newly created CA, days */
    @AttributeDefinition(description = "Validity of a newly created owner CA, in days.")
    long caValidityDays() default 3650;

    /** @return how long to wait for a registry transaction to be mined, seconds */
    @AttributeDefinition(description = "How long issue/revoke wait for the registry transaction, in seconds.")
    long registryTimeoutSeconds() default 120;
}
