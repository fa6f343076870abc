package io.iotpay.chain.evm.internal;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.utils.Numeric;

import com.fasterxml.jackson.databind.JsonNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.TransactionRevertedException;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.chain.TxReceipt;
import io.iotpay.api.money.Asset;
import io.iotpay.chain.evm.internal.abi.Abi;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;
import io.iotpay.chain.evm.internal.rpc.RpcErrorException;
import io.iotpay.chain.evm.internal.tx.GasEstimator;
import io.iotpay.chain.evm.internal.tx.ReceiptWaiter;
import io.iotpay.chain.evm.internal.tx.RevertDecoder;
import io.iotpay.chain.evm.internal.tx.TxSender;

/**
 * What the contract clients of one chain share: the node, the sender, the receipt waiter, the native asset and a
 * revert decoder that knows every IOTPAY contract's custom errors.
 *
 * @param chain the chain
 * @param rpc the node
 * @param sender signs through the wallet and broadcasts
 * @param receipts waits for receipts
 * @param nativeAsset the native coin
 * @param reverts revert reason decoder
 * @param logsFromBlock first block to scan for contract logs (deployment block)
 * @param settleTimeout how long a client waits for a preparatory transaction (token approval) to be mined
 */
public record EvmChain(ChainId chain, JsonRpcClient rpc, TxSender sender, ReceiptWaiter receipts, Asset nativeAsset,
        RevertDecoder reverts, long logsFromBlock, Duration settleTimeout, int confirmations) {

    /** Without a confirmation depth of its own: 1 (the head block). */
    public EvmChain(ChainId chain, JsonRpcClient rpc, TxSender sender, ReceiptWaiter receipts, Asset nativeAsset,
            RevertDecoder reverts, long logsFromBlock, Duration settleTimeout) {
        this(chain, rpc, sender, receipts, nativeAsset, reverts, logsFromBlock, settleTimeout, 1);
    }

    /**
     * The block tag of the newest block with {@link #confirmations} confirmations: {@code "latest"} for 1, else the
     * head's number minus {@code confirmations - 1} (never below 0).
     */
    public String confirmedBlockTag() {
        if (confirmations <= 1) {
            return "latest";
        }
        long head = JsonRpcClient.quantity(rpc.call("eth_blockNumber"));
        return "0x" + Long.toHexString(Math.max(0, head - confirmations + 1));
    }

    /** @return the result of {@code eth_call} at the given block tag, decoded */
    @SuppressWarnings("rawtypes")
    public List<Type> callAt(AccountId contract, byte[] data, String blockTag, TypeReference<?>... outputs) {
        return Abi.decode(callRaw(contract.address(), data, blockTag), outputs);
    }

    /** @return the result of {@code eth_call} at the latest block, decoded */
    @SuppressWarnings("rawtypes")
    public List<Type> call(AccountId contract, byte[] data, TypeReference<?>... outputs) {
        return Abi.decode(callRaw(contract.address(), data), outputs);
    }

    /** @return raw return data of {@code eth_call} */
    public String callRaw(String to, byte[] data) {
        return callRaw(to, data, "latest");
    }

    /** @return raw return data of {@code eth_call} at a block tag */
    public String callRaw(String to, byte[] data, String blockTag) {
        try {
            JsonNode r = rpc.call("eth_call", GasEstimator.callObject(null, to, BigInteger.ZERO, data), blockTag);
            return r.asText("0x");
        } catch (RpcErrorException e) {
            if (e.isRevert()) {
                throw new TransactionRevertedException(chain, null, reverts.decode(e.data(), e.rpcMessage()));
            }
            throw e;
        }
    }

    /** Sends a contract call signed by {@code from}. */
    public TxHash send(AccountId from, AccountId contract, BigInteger value, byte[] data) {
        checkChain(from, "sender");
        return sender.send(from, contract.address(), value, data);
    }

    /** Waits for one confirmation and fails if the transaction reverted. */
    public TxReceipt mined(TxHash tx) {
        TxReceipt r = receipts.await(tx, 1, settleTimeout);
        if (!r.success()) {
            throw new TransactionRevertedException(chain, tx, "reverted on chain");
        }
        return r;
    }

    /** @throws IllegalArgumentException if the account is on another chain */
    public void checkChain(AccountId a, String role) {
        if (!a.chainId().equals(chain)) {
            throw new IllegalArgumentException(role + " " + a + " is not on chain " + chain);
        }
    }

    /** @return an account on this chain */
    public AccountId account(String address) {
        return AccountId.of(chain, address);
    }

    /** @return 0x hex */
    public static String hex(byte[] b) {
        return Numeric.toHexString(b);
    }
}
