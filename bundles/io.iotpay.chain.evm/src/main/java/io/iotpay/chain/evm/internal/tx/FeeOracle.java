package io.iotpay.chain.evm.internal.tx;

import java.math.BigInteger;

import com.fasterxml.jackson.databind.JsonNode;

import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;
import io.iotpay.chain.evm.internal.rpc.RpcErrorException;

/**
 * Fee parameters for the next transaction. EIP-1559: tip from {@code eth_maxPriorityFeePerGas} (at least the
 * configured minimum), fee cap = 2 x latest base fee + tip, which survives six full blocks of base fee increases.
 * Legacy: {@code eth_gasPrice}, at least the configured minimum (BSC validators reject below their floor).
 */
public final class FeeOracle {

    /** Fees for one transaction. */
    public record Fees(BigInteger gasPrice, BigInteger maxPriorityFeePerGas, BigInteger maxFeePerGas) {
    }

    private final JsonRpcClient rpc;
    private final EvmTransaction.Type type;
    private final BigInteger minTip;

    /**
     * @param rpc node
     * @param type transaction type of this chain
     * @param minTip minimum priority fee (EIP-1559) or gas price (legacy), wei
     */
    public FeeOracle(JsonRpcClient rpc, EvmTransaction.Type type, BigInteger minTip) {
        this.rpc = rpc;
        this.type = type;
        this.minTip = minTip;
    }

    /** @return the transaction type */
    public EvmTransaction.Type type() {
        return type;
    }

    /** @return fees for a transaction sent now */
    public Fees current() {
        if (type == EvmTransaction.Type.LEGACY) {
            BigInteger price = JsonRpcClient.bigQuantity(rpc.call("eth_gasPrice")).max(minTip);
            return new Fees(price, null, null);
        }
        JsonNode block = rpc.call("eth_getBlockByNumber", "latest", false);
        BigInteger base = block.hasNonNull("baseFeePerGas") ? JsonRpcClient.bigQuantity(block.get("baseFeePerGas"))
                : BigInteger.ZERO;
        BigInteger tip;
        try {
            tip = JsonRpcClient.bigQuantity(rpc.call("eth_maxPriorityFeePerGas"));
        } catch (RpcErrorException e) {
            tip = minTip; // method not supported by this node
        }
        tip = tip.max(minTip);
        return new Fees(null, tip, base.multiply(BigInteger.TWO).add(tip));
    }
}
