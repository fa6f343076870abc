package io.iotpay.chain.evm.internal.tx;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.GasLimitExceededException;
import io.iotpay.api.chain.InsufficientFundsException;
import io.iotpay.api.chain.TransactionRevertedException;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;
import io.iotpay.chain.evm.internal.rpc.RpcErrorException;

/**
 * Estimates the gas limit of a call: {@code eth_estimateGas} times a safety margin (in percent), refused above a cap
 * with {@link GasLimitExceededException} naming both numbers. A revert during estimation becomes
 * {@link TransactionRevertedException} with the decoded reason.
 */
public final class GasEstimator {

    private final JsonRpcClient rpc;
    private final int marginPercent;
    private final BigInteger cap;
    private final RevertDecoder reverts;

    /**
     * @param rpc the node
     * @param marginPercent added on top of the estimate, e.g. 20 for +20 %
     * @param cap the largest gas limit this connector will ever sign
     * @param reverts decodes revert data into a readable reason
     */
    public GasEstimator(JsonRpcClient rpc, int marginPercent, BigInteger cap, RevertDecoder reverts) {
        if (marginPercent < 0 || marginPercent > 500) {
            throw new IllegalArgumentException("gas margin " + marginPercent + "% must be within 0..500");
        }
        if (cap.signum() <= 0) {
            throw new IllegalArgumentException("gas cap " + cap + " must be positive");
        }
        this.rpc = rpc;
        this.marginPercent = marginPercent;
        this.cap = cap;
        this.reverts = reverts;
    }

    /** @return the cap */
    public BigInteger cap() {
        return cap;
    }

    /**
     * @param from sender (0x hex)
     * @param to recipient (0x hex) or null for a deployment
     * @param value wei
     * @param data call data
     * @return the gas limit to use
     */
    public BigInteger estimate(String from, String to, BigInteger value, byte[] data) {
        ChainId chain = rpc.chain();
        Map<String, Object> call = callObject(from, to, value, data);
        BigInteger estimate;
        try {
            estimate = JsonRpcClient.bigQuantity(rpc.call("eth_estimateGas", call));
        } catch (RpcErrorException e) {
            if (e.isInsufficientFunds()) {
                throw new InsufficientFundsException(chain, "account " + from + " cannot pay value " + value
                        + " wei plus gas on " + chain, e);
            }
            if (e.isRevert()) {
                throw new TransactionRevertedException(chain, null, reverts.decode(e.data(), e.rpcMessage()));
            }
            throw e;
        }
        BigInteger limit = estimate.multiply(BigInteger.valueOf(100L + marginPercent)).divide(BigInteger.valueOf(100));
        if (limit.compareTo(cap) > 0) {
            throw new GasLimitExceededException(chain, "call to " + (to == null ? "<deployment>" : to) + " needs "
                    + estimate + " gas (" + limit + " with the " + marginPercent + "% margin), above the cap of " + cap
                    + " configured for " + chain);
        }
        return limit;
    }

    /** @return a JSON-RPC call object */
    public static Map<String, Object> callObject(String from, String to, BigInteger value, byte[] data) {
        Map<String, Object> call = new LinkedHashMap<>();
        if (from != null) {
            call.put("from", from);
        }
        if (to != null) {
            call.put("to", to);
        }
        if (value != null && value.signum() > 0) {
            call.put("value", JsonRpcClient.hex(value));
        }
        call.put("data", org.web3j.utils.Numeric.toHexString(data == null ? new byte[0] : data));
        return call;
    }
}
