package io.iotpay.wallet.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the wallet (PID {@code io.iotpay.wallet}). */
@ObjectClassDefinition(name = "IOTPAY Wallet", description = "Embedded key store and signer with spending policy.")
public @interface WalletConfig {

    /** Environment variable read when {@link #passphrase()} is empty. */
    String PASSPHRASE_ENV = "IOTPAY_WALLET_PASSPHRASE";

    @AttributeDefinition(name = "Keystore folder", description = "Folder of the encrypted key files; empty means "
            + "${karaf.data}/iotpay/keystore.")
    String keystoreFolder() default "";

    @AttributeDefinition(name = "Passphrase", type = AttributeType.PASSWORD, description = "Passphrase of the "
            + "keystore. If empty, the environment variable IOTPAY_WALLET_PASSPHRASE is used; if neither is set the "
            + "wallet starts locked.")
    String passphrase() default "";

    @AttributeDefinition(name = "scrypt N", description = "scrypt cost for new key files (geth standard 262144).")
    int scryptN() default 262144;

    @AttributeDefinition(name = "scrypt r")
    int scryptR() default 8;

    @AttributeDefinition(name = "scrypt p")
    int scryptP() default 1;

    @AttributeDefinition(name = "Default daily limit (base units)", description = "Per-day limit, in base units of "
            + "the chain's native coin, of an account without an explicit policy. 0 refuses every payment until a "
            + "policy is set.")
    String defaultDailyLimitUnits() default "0";

    @AttributeDefinition(name = "Chain of imported keystore files", description = "CAIP-2 EVM chain that accounts "
            + "imported from Web3 Secret Storage files belong to (the file format names no chain).")
    String keystoreImportChain() default "eip155:31337";

    @AttributeDefinition(name = "Policy day zone", description = "Time zone whose midnight resets daily limits.")
    String dayZone() default "UTC";
}
