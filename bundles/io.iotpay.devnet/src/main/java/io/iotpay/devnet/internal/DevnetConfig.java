package io.iotpay.devnet.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the local devnet (PID {@code io.iotpay.devnet}). */
@ObjectClassDefinition(name = "IOTPAY devnet", description = "Local anvil chain, the embedded default. Set enabled=false "
        + "and configure an io.iotpay.chain.evm factory configuration to use a real network instead.")
public @interface DevnetConfig {

    /** @return enabled */
    @AttributeDefinition(description = "Run the local devnet")
    boolean enabled() default true;

    /** @return anvil path */
    @AttributeDefinition(description = "anvil binary; empty = -Diotpay.anvil.path, $IOTPAY_ANVIL, or "
            + "tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil under the working directory or a parent",
            required = false)
    String anvilPath() default "";

    /** @return port */
    @AttributeDefinition(description = "Port on 127.0.0.1")
    int port() default 8545;

    /** @return state dir */
    @AttributeDefinition(description = "Folder for anvil state and deployment.json; empty = ${karaf.data}/iotpay/devnet",
            required = false)
    String dataDir() default "";

    /** @return mnemonic */
    @AttributeDefinition(description = "Mnemonic of anvil's unlocked accounts. Default: the public anvil test mnemonic;"
            + " devnet only, these keys are known to everyone")
    String mnemonic() default "test test test test test test test test test test test junk";

    /** @return challenge period */
    @AttributeDefinition(description = "Challenge period of the devnet channel contract, seconds")
    long challengePeriodSeconds() default 3600;

    /** @return block time */
    @AttributeDefinition(description = "Block time in seconds; 0 = mine each transaction at once")
    long blockTimeSeconds() default 0;

    /** @return funding amount */
    @AttributeDefinition(description = "Wallet accounts on eip155:31337 are topped up to this many ETH")
    long fundEth() default 100;
}
