package io.iotpay.chain.evm.internal.tx;

import java.math.BigInteger;
import java.util.Objects;

import org.web3j.utils.Numeric;

import com.fasterxml.jackson.databind.JsonNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.InsufficientFundsException;
import io.iotpay.api.chain.TransactionRevertedException;
import io.iotpay.api.chain.TxHash;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;
import io.iotpay.chain.evm.internal.rpc.RpcErrorException;

/**
 * Builds, signs (through a {@link TxSigner}) and broadcasts transactions: gas estimate with cap, current fees, nonce
 * under the account's lock. Returns once the node accepted the transaction.
 */
public final class TxSender {

    private final JsonRpcClient rpc;
    private final long chainId;
    private final NonceManager nonces;
    private final GasEstimator gas;
    private final FeeOracle fees;
    private final TxSigner signer;

    /**
     * @param rpc node
     * @param chainId EVM chain id
     * @param nonces nonce manager (one per node/chain, shared by every sender)
     * @param gas gas estimator
     * @param fees fee oracle
     * @param signer signer (the wallet)
     */
    public TxSender(JsonRpcClient rpc, long chainId, NonceManager nonces, GasEstimator gas, FeeOracle fees,
            TxSigner signer) {
        this.rpc = rpc;
        this.chainId = chainId;
        this.nonces = nonces;
        this.gas = gas;
        this.fees = fees;
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /** @return the RPC client */
    public JsonRpcClient rpc() {
        return rpc;
    }

    /** @return the gas estimator */
    public GasEstimator gas() {
        return gas;
    }

    /** @return the nonce manager */
    public NonceManager nonces() {
        return nonces;
    }

    /**
     * Sends a transaction with an estimated gas limit.
     *
     * @param from sender, on this chain
     * @param to recipient (0x hex), null to deploy
     * @param value wei
     * @param data call data
     * @return the transaction hash
     */
    public TxHash send(AccountId from, String to, BigInteger value, byte[] data) {
        BigInteger limit = gas.estimate(from.address(), to, value, data);
        return send(from, to, value, data, limit);
    }

    /**
     * Sends a transaction with a given gas limit (no estimation; the limit must still be within the cap).
     */
    public TxHash send(AccountId from, String to, BigInteger value, byte[] data, BigInteger gasLimit) {
        ChainId chain = rpc.chain();
        if (!from.chainId().equals(chain)) {
            throw new IllegalArgumentException("sender " + from + " is not on chain " + chain);
        }
        if (gasLimit.compareTo(gas.cap()) > 0) {
            throw new io.iotpay.api.chain.GasLimitExceededException(chain, "gas limit " + gasLimit
                    + " is above the cap of " + gas.cap() + " configured for " + chain);
        }
        FeeOracle.Fees f = fees.current();
        byte[] toBytes = to == null ? null : Numeric.hexStringToByteArray(to);
        try {
            return nonces.send(from.address(), nonce -> {
                EvmTransaction tx = new EvmTransaction(fees.type(), chainId, BigInteger.valueOf(nonce), gasLimit,
                        f.gasPrice(), f.maxPriorityFeePerGas(), f.maxFeePerGas(), toBytes, value, data);
                byte[] sig = signer.sign(from, tx, tx.signingHash());
                byte[] raw = tx.encodeSigned(sig);
                JsonNode h = rpc.call("eth_sendRawTransaction", Numeric.toHexString(raw));
                String computed = EvmTransaction.hashOf(raw);
                if (h.isTextual() && !h.asText().equalsIgnoreCase(computed)) {
                    throw new IllegalStateException("node returned transaction hash " + h.asText()
                            + " but the signed transaction hashes to " + computed);
                }
                return new TxHash(chain, computed);
            });
        } catch (RpcErrorException e) {
            if (e.isInsufficientFunds()) {
                throw new InsufficientFundsException(chain, "account " + from.address() + " cannot pay value " + value
                        + " wei plus up to " + gasLimit + " gas on " + chain, e);
            }
            if (e.isRevert()) {
                throw new TransactionRevertedException(chain, null, e.rpcMessage());
            }
            throw e;
        }
    }
}
