package io.iotpay.chain.evm.internal.tx;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.web3j.utils.Numeric;

import com.fasterxml.jackson.databind.JsonNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.InsufficientFundsException;
import io.iotpay.api.chain.TransactionRevertedException;
import io.iotpay.api.chain.TxHash;
import io.iotpay.chain.evm.internal.abi.Secp256k1;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;
import io.iotpay.chain.evm.internal.rpc.RpcErrorException;

/**
 * Builds, signs (through a {@link TxSigner}) and broadcasts transactions: gas estimate with cap, current fees, nonce
 * under the account's lock. Returns once the node accepted the transaction.
 */
public final class TxSender {

    private static final Logger LOG = LoggerFactory.getLogger(TxSender.class);

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
        // before estimating: if an earlier timed-out send of this intent landed, an estimate could now revert
        Optional<TxHash> earlier = earlierAttempt(rpc.chain(), intentOf(from, to, value, data));
        if (earlier.isPresent()) {
            return earlier.get();
        }
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
        Intent intent = intentOf(from, to, value, data);
        // a send of this intent whose outcome was unknown (timeout) may have reached the chain: never send it twice
        Optional<TxHash> earlier = earlierAttempt(chain, intent);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        FeeOracle.Fees f = fees.current();
        byte[] toBytes = to == null ? null : Numeric.hexStringToByteArray(to);
        try {
            return nonces.send(from.address(), nonce -> {
                EvmTransaction tx = new EvmTransaction(fees.type(), chainId, BigInteger.valueOf(nonce), gasLimit,
                        f.gasPrice(), f.maxPriorityFeePerGas(), f.maxFeePerGas(), toBytes, value, data);
                byte[] hash = tx.signingHash();
                byte[] sig = signer.sign(from, tx, hash);
                requireSignedBy(from, hash, sig);
                return broadcast(intent, tx.encodeSigned(sig));
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

    /**
     * Cross-check of the signer (the wallet computes the digest itself): the signature must recover to the sender
     * over this connector's own signing hash, or nothing is broadcast (the nonce is not consumed).
     *
     * @throws IllegalStateException if the signature is malformed or was made by another key or over another digest
     */
    public static void requireSignedBy(AccountId from, byte[] signingHash, byte[] signature) {
        String signer;
        try {
            signer = Secp256k1.recoverAddress(signingHash, signature);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the signature returned for a transaction of " + from + " is invalid ("
                    + e.getMessage() + "); not broadcast", e);
        }
        if (!signer.equalsIgnoreCase(from.address())) {
            throw new IllegalStateException("the signature returned for a transaction of " + from
                    + " does not recover to the sender over the transaction's signing hash (it recovers to " + signer
                    + "); not broadcast");
        }
    }

    /**
     * Broadcasts signed bytes. The RPC client retries a timed-out {@code eth_sendRawTransaction} with the same bytes,
     * so a node answer that it already holds these bytes means our own transaction reached it: that is success, with
     * the hash of our bytes. When the node says the nonce is used (or a transaction with it is pending), the
     * transaction using it may be ours as well, so our hash is looked up first; only when the node does not know it
     * is the error passed on (the nonce manager then re-syncs the nonce).
     *
     * @param raw signed transaction bytes
     * @return the hash of {@code raw}
     * @throws RpcErrorException nonce conflict with a transaction that is not ours, or another refusal
     * @throws io.iotpay.api.chain.ChainUnavailableException the node could not be reached; the bytes are remembered
     *         so that a later send of the same intent first checks whether they landed
     */
    TxHash broadcast(Intent intent, byte[] raw) {
        ChainId chain = rpc.chain();
        String ours = EvmTransaction.hashOf(raw);
        JsonNode h;
        try {
            h = rpc.call("eth_sendRawTransaction", Numeric.toHexString(raw));
        } catch (io.iotpay.api.chain.ChainUnavailableException e) {
            if (intent != null) {
                remember(intent, ours);
            }
            throw e;
        } catch (RpcErrorException e) {
            if (e.isAlreadyKnown()) {
                LOG.info("Transaction {} on {} was already received by the node (retried broadcast)", ours, chain);
                return new TxHash(chain, ours);
            }
            if (e.isNonceTooLow() && isKnown(ours)) {
                LOG.info("Transaction {} on {} holds its nonce already (retried broadcast)", ours, chain);
                return new TxHash(chain, ours);
            }
            throw e;
        }
        if (h.isTextual() && !h.asText().equalsIgnoreCase(ours)) {
            throw new IllegalStateException("node returned transaction hash " + h.asText()
                    + " but the signed transaction hashes to " + ours);
        }
        return new TxHash(chain, ours);
    }

    /** Broadcasts already signed bytes (see {@link #broadcast(Intent, byte[])}). */
    public TxHash broadcast(byte[] raw) {
        return broadcast(null, raw);
    }

    /** @return true if the node knows a transaction with this hash (pending or mined) */
    private boolean isKnown(String hash) {
        JsonNode t = rpc.call("eth_getTransactionByHash", hash);
        return t != null && !t.isNull() && !t.isMissingNode();
    }

    /** What a send does, independent of nonce and fees: the same intent sent twice moves value twice. */
    record Intent(String from, String to, BigInteger value, byte[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Intent i && from.equals(i.from) && Objects.equals(to, i.to) && value.equals(i.value)
                    && Arrays.equals(data, i.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(from, to, value, Arrays.hashCode(data));
        }
    }

    private static Intent intentOf(AccountId from, String to, BigInteger value, byte[] data) {
        return new Intent(from.address().toLowerCase(Locale.ROOT), to == null ? null : to.toLowerCase(Locale.ROOT),
                value, data == null ? new byte[0] : data.clone());
    }

    private static final int MAX_IN_DOUBT = 64;
    /** Hashes of broadcasts whose outcome is unknown (the node could not be reached), per intent, oldest first. */
    private final Map<Intent, List<String>> inDoubt = new LinkedHashMap<>();

    private synchronized void remember(Intent intent, String hash) {
        List<String> hashes = inDoubt.computeIfAbsent(intent, k -> new ArrayList<>());
        if (!hashes.contains(hash)) {
            hashes.add(hash);
        }
        while (inDoubt.size() > MAX_IN_DOUBT) {
            inDoubt.remove(inDoubt.keySet().iterator().next());
        }
    }

    /**
     * A broadcast of the same intent whose outcome was unknown, if the node knows it now (the caller retries after a
     * timeout: the first attempt landed, so it is the answer). Unknown attempts stay remembered.
     */
    private Optional<TxHash> earlierAttempt(ChainId chain, Intent intent) {
        List<String> hashes;
        synchronized (this) {
            List<String> l = inDoubt.get(intent);
            if (l == null) {
                return Optional.empty();
            }
            hashes = List.copyOf(l);
        }
        for (String h : hashes) {
            if (isKnown(h)) {
                synchronized (this) {
                    inDoubt.remove(intent);
                }
                LOG.info("Transaction {} on {} from an earlier timed-out send of the same intent reached the node; "
                        + "not sending again", h, chain);
                return Optional.of(new TxHash(chain, h));
            }
        }
        return Optional.empty();
    }
}
