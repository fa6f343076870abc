package io.iotpay.chain.evm.internal.rpc;

import io.iotpay.api.chain.ChainException;
import io.iotpay.api.chain.ChainId;

/**
 * The node answered a JSON-RPC call with an error object that is not transient (for example an execution revert, an
 * invalid parameter, or "nonce too low"). Carries the JSON-RPC code and the raw {@code data} field (revert data, hex).
 */
public class RpcErrorException extends ChainException {
    private static final long serialVersionUID = 1L;
    private final String method;
    private final int code;
    private final String rpcMessage;
    private final String data;

    /**
     * @param chain the chain
     * @param method the JSON-RPC method
     * @param code the JSON-RPC error code
     * @param rpcMessage the node's message
     * @param data the error data (hex revert data for code 3), may be null
     */
    public RpcErrorException(ChainId chain, String method, int code, String rpcMessage, String data) {
        super(chain, method + " failed on " + chain + ": " + rpcMessage + " (JSON-RPC code " + code + ")");
        this.method = method;
        this.code = code;
        this.rpcMessage = rpcMessage == null ? "" : rpcMessage;
        this.data = data;
    }

    /** @return the JSON-RPC method */
    public String method() {
        return method;
    }

    /** @return the JSON-RPC error code */
    public int code() {
        return code;
    }

    /** @return the node's error message */
    public String rpcMessage() {
        return rpcMessage;
    }

    /** @return the error data (hex), or null */
    public String data() {
        return data;
    }

    /** @return true if the node reports an EVM revert (code 3 or an "execution reverted" message) */
    public boolean isRevert() {
        return code == 3 || rpcMessage.toLowerCase(java.util.Locale.ROOT).contains("revert");
    }

    /**
     * @return true if the node already holds a transaction with exactly these bytes (geth "already known", anvil and
     *         OpenEthereum "already imported", Nethermind "AlreadyKnown"): after a retried broadcast this means our own
     *         transaction reached the node; it is not a nonce conflict
     */
    public boolean isAlreadyKnown() {
        String m = rpcMessage.toLowerCase(java.util.Locale.ROOT);
        return m.contains("already known") || m.contains("alreadyknown") || m.contains("already imported")
                || m.contains("known transaction");
    }

    /**
     * @return true if the node rejects the nonce as already used, or holds another transaction with that nonce
     *         ("replacement transaction underpriced"); the transaction holding the nonce may still be our own, so check
     *         its hash before treating the nonce as taken by someone else
     */
    public boolean isNonceTooLow() {
        String m = rpcMessage.toLowerCase(java.util.Locale.ROOT);
        return m.contains("nonce too low") || m.contains("nonce is too low") || m.contains("oldnonce")
                || m.contains("replacement transaction underpriced") || m.contains("replacement underpriced");
    }

    /** @return true if the sender cannot pay value plus gas */
    public boolean isInsufficientFunds() {
        String m = rpcMessage.toLowerCase(java.util.Locale.ROOT);
        return m.contains("insufficient funds") || m.contains("insufficient balance")
                || m.contains("lack of funds") || m.contains("outofbalance");
    }
}
