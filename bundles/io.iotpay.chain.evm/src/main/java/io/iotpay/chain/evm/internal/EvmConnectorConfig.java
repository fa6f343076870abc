package io.iotpay.chain.evm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of one EVM chain connector (factory PID {@code io.iotpay.chain.evm}, one configuration per chain). */
@ObjectClassDefinition(name = "IOTPAY EVM chain connector", description = "One configuration per EVM chain.")
public @interface EvmConnectorConfig {

    /** @return network preset */
    @AttributeDefinition(description = "devnet, bsc, bsc-testnet, ethereum, sepolia, polygon, gnosis or custom")
    String network() default "devnet";

    /** @return RPC URL */
    @AttributeDefinition(description = "JSON-RPC HTTP(S) URL; empty = the preset's default", required = false)
    String rpcUrl() default "";

    /** @return chain id */
    @AttributeDefinition(description = "EVM chain id; 0 = the preset's. Checked against eth_chainId.")
    long chainId() default 0;

    /** @return confirmations */
    @AttributeDefinition(description = "Confirmation depth for receipts and events; 0 = the preset's default")
    int confirmations() default 0;

    /** @return gas cap */
    @AttributeDefinition(description = "Largest gas limit the connector signs")
    long gasCap() default 3_000_000L;

    /** @return gas margin */
    @AttributeDefinition(description = "Margin added to eth_estimateGas, percent")
    int gasMarginPercent() default 20;

    /** @return tx type */
    @AttributeDefinition(description = "auto (preset), legacy or eip1559")
    String txType() default "auto";

    /** @return min tip */
    @AttributeDefinition(description = "Minimum priority fee / legacy gas price in wei; -1 = preset's")
    long minTipWei() default -1;

    /** @return native symbol */
    @AttributeDefinition(description = "Native coin symbol; empty = preset's", required = false)
    String nativeSymbol() default "";

    /** @return channels contract */
    @AttributeDefinition(description = "IotpayChannels contract address (empty = no settlement)", required = false)
    String channelsContract() default "";

    /** @return registry contract */
    @AttributeDefinition(description = "DeviceRegistry contract address", required = false)
    String registryContract() default "";

    /** @return notary contract */
    @AttributeDefinition(description = "Notary contract address", required = false)
    String notaryContract() default "";

    /** @return anchoring account */
    @AttributeDefinition(description = "Account (held by the wallet) that signs anchors", required = false)
    String anchorAccount() default "";

    /** @return first block with contract logs */
    @AttributeDefinition(description = "Deployment block of the contracts (log scans start here)")
    long logsFromBlock() default 0;

    /** @return poll interval */
    @AttributeDefinition(description = "Receipt and event poll interval, ms")
    long pollIntervalMs() default 1000;

    /** @return RPC attempts */
    @AttributeDefinition(description = "Attempts per RPC call before ChainUnavailableException")
    int rpcMaxAttempts() default 5;
}
