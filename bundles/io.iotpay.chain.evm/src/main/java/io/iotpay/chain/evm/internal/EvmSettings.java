package io.iotpay.chain.evm.internal;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import io.iotpay.api.chain.ChainId;
import io.iotpay.chain.evm.internal.rpc.RetryPolicy;
import io.iotpay.chain.evm.internal.tx.EvmTransaction;

/**
 * Resolved, validated connector settings (preset defaults applied).
 *
 * @param preset network preset
 * @param chain CAIP-2 chain id
 * @param rpcUrl JSON-RPC URL
 * @param confirmations confirmation depth
 * @param gasCap gas cap
 * @param gasMarginPercent estimate margin
 * @param txType transaction type
 * @param minTipWei minimum tip / gas price
 * @param nativeSymbol native coin symbol
 * @param channelsContract IotpayChannels address or null
 * @param registryContract DeviceRegistry address or null
 * @param notaryContract Notary address or null
 * @param anchorAccount anchoring account or null
 * @param logsFromBlock first block for log scans
 * @param pollInterval poll interval
 * @param retry RPC retry policy
 */
public record EvmSettings(NetworkPreset preset, ChainId chain, URI rpcUrl, int confirmations, BigInteger gasCap,
        int gasMarginPercent, EvmTransaction.Type txType, BigInteger minTipWei, String nativeSymbol,
        String channelsContract, String registryContract, String notaryContract, String anchorAccount,
        long logsFromBlock, Duration pollInterval, RetryPolicy retry) {

    /** @return settings from a configuration, preset defaults applied, validated */
    public static EvmSettings from(EvmConnectorConfig c) {
        NetworkPreset p = NetworkPreset.of(c.network());
        long chainId = c.chainId() != 0 ? c.chainId() : p.chainId();
        if (chainId <= 0) {
            throw new IllegalArgumentException("chainId is required for network \"" + p.key() + "\"");
        }
        if (p != NetworkPreset.CUSTOM && chainId != p.chainId()) {
            throw new IllegalArgumentException("chainId " + chainId + " contradicts network \"" + p.key()
                    + "\" (chain id " + p.chainId() + "); use network=custom for another chain");
        }
        String url = blank(c.rpcUrl()) ? p.defaultRpcUrl() : c.rpcUrl().trim();
        if (blank(url)) {
            throw new IllegalArgumentException("rpcUrl is required for network \"" + p.key() + "\"");
        }
        EvmTransaction.Type type = switch (c.txType().trim().toLowerCase(Locale.ROOT)) {
            case "auto", "" -> p.txType();
            case "legacy" -> EvmTransaction.Type.LEGACY;
            case "eip1559", "eip-1559" -> EvmTransaction.Type.EIP1559;
            default -> throw new IllegalArgumentException("txType \"" + c.txType()
                    + "\" is unknown: expected auto, legacy or eip1559");
        };
        if (c.rpcMaxAttempts() < 1) {
            throw new IllegalArgumentException("rpcMaxAttempts " + c.rpcMaxAttempts() + " must be at least 1");
        }
        return new EvmSettings(p, ChainId.eip155(chainId), URI.create(url),
                c.confirmations() > 0 ? c.confirmations() : p.confirmations(), BigInteger.valueOf(c.gasCap()),
                c.gasMarginPercent(), type, BigInteger.valueOf(c.minTipWei() >= 0 ? c.minTipWei() : p.minTipWei()),
                blank(c.nativeSymbol()) ? p.symbol() : c.nativeSymbol().trim(), address(c.channelsContract(), "channelsContract"),
                address(c.registryContract(), "registryContract"), address(c.notaryContract(), "notaryContract"),
                address(c.anchorAccount(), "anchorAccount"), Math.max(0, c.logsFromBlock()),
                Duration.ofMillis(Math.max(10, c.pollIntervalMs())),
                new RetryPolicy(c.rpcMaxAttempts(), Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(20)));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String address(String s, String name) {
        if (blank(s)) {
            return null;
        }
        String a = s.trim();
        if (!a.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException(name + " \"" + a + "\" is not an EVM address: expected 0x + 40 hex");
        }
        return a.toLowerCase(Locale.ROOT);
    }
}
