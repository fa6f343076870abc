package io.iotpay.chain.evm.internal.scheme;

import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.utils.Numeric;

import com.fasterxml.jackson.databind.JsonNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.Anchor;
import io.iotpay.api.chain.AnchorClient;
import io.iotpay.api.chain.TxHash;
import io.iotpay.chain.evm.internal.EvmChain;
import io.iotpay.chain.evm.internal.abi.Abi;
import io.iotpay.chain.evm.internal.abi.ContractArtifact;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;

/**
 * Client of {@code Notary.sol}. Anchors with the log-only {@code anchor} (cheapest) from the configured anchoring
 * account; {@link #anchorOf} finds the {@code RootAnchored} log of (anchoring account, batch id).
 */
public final class EvmAnchorClient implements AnchorClient {

    private final EvmChain evm;
    private final AccountId contract;
    private final AccountId submitter;
    private final ContractArtifact artifact;

    /**
     * @param evm chain
     * @param contract deployed Notary
     * @param submitter the account that signs anchors (held by the wallet)
     */
    public EvmAnchorClient(EvmChain evm, AccountId contract, AccountId submitter) {
        evm.checkChain(contract, "notary contract");
        evm.checkChain(submitter, "anchoring account");
        this.evm = evm;
        this.contract = contract;
        this.submitter = submitter;
        this.artifact = ContractArtifact.load("Notary");
    }

    @Override
    public TxHash anchor(byte[] merkleRoot32, long batchId, long leafCount) {
        if (merkleRoot32 == null || merkleRoot32.length != 32) {
            throw new IllegalArgumentException("Merkle root must be 32 bytes");
        }
        if (batchId < 0) {
            throw new IllegalArgumentException("batch id " + batchId + " must be >= 0");
        }
        if (leafCount < 1 || leafCount > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("leaf count " + leafCount + " must be within 1..2^32-1");
        }
        return evm.send(submitter, contract, BigInteger.ZERO, Abi.call(artifact.function("anchor"),
                new Uint64(BigInteger.valueOf(batchId)), Abi.bytes32(merkleRoot32),
                new Uint32(BigInteger.valueOf(leafCount))));
    }

    @Override
    public Optional<Anchor> anchorOf(long batchId) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("address", contract.address());
        filter.put("fromBlock", JsonRpcClient.hex(evm.logsFromBlock()));
        filter.put("toBlock", "latest");
        filter.put("topics", List.of(Numeric.toHexString(artifact.event("RootAnchored").topic0()),
                Numeric.toHexString(Abi.word(submitter.address())),
                Numeric.toHexString(Abi.word(BigInteger.valueOf(batchId)))));
        JsonNode logs = evm.rpc().call("eth_getLogs", filter);
        for (JsonNode log : logs) {
            if (log.path("removed").asBoolean(false)) {
                continue;
            }
            byte[] root = Numeric.hexStringToByteArray(log.get("topics").get(3).asText());
            long leafCount = Numeric.toBigInt(log.get("data").asText()).longValueExact();
            long block = JsonRpcClient.quantity(log.get("blockNumber"));
            JsonNode b = evm.rpc().call("eth_getBlockByNumber", JsonRpcClient.hex(block), false);
            Instant ts = Instant.ofEpochSecond(JsonRpcClient.quantity(b.get("timestamp")));
            return Optional.of(new Anchor(batchId, root, leafCount, block, ts,
                    new TxHash(evm.chain(), log.get("transactionHash").asText())));
        }
        return Optional.empty();
    }
}
