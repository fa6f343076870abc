package io.iotpay.chain.evm.internal.scheme;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.utils.Numeric;

import com.fasterxml.jackson.databind.JsonNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.CertificateStatus;
import io.iotpay.api.chain.ChainEvent;
import io.iotpay.api.chain.DeviceRegistryClient;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.wallet.Signature;
import io.iotpay.chain.evm.internal.EvmChain;
import io.iotpay.chain.evm.internal.abi.Abi;
import io.iotpay.chain.evm.internal.abi.AbiEventDecoder;
import io.iotpay.chain.evm.internal.abi.ContractArtifact;
import io.iotpay.chain.evm.internal.events.EventDecoder;
import io.iotpay.chain.evm.internal.rpc.JsonRpcClient;

/**
 * Client of {@code DeviceRegistry.sol}. Device ids: a {@code 0x}+64-hex id is used as the bytes32 as is; any other
 * string maps to {@code keccak256(UTF-8 bytes)}. {@link #register} registers a new device with its first certificate,
 * or anchors another certificate of a device the owner already holds. Ownership transfers are EIP-712
 * {@code OwnershipTransfer(bytes32 deviceId,address from,address to,uint256 nonce,uint256 deadline)} in the domain
 * {name "IOTPAY", version "1", chainId, verifyingContract}.
 */
public final class EvmDeviceRegistryClient implements DeviceRegistryClient {

    private static final Pattern BYTES32 = Pattern.compile("0x[0-9a-fA-F]{64}");
    private static final byte[] DOMAIN_TYPEHASH = Abi.keccak(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    private static final byte[] TRANSFER_TYPEHASH = Abi.keccak(
            "OwnershipTransfer(bytes32 deviceId,address from,address to,uint256 nonce,uint256 deadline)");

    private final EvmChain evm;
    private final AccountId contract;
    private final ContractArtifact artifact;
    private final byte[] domainSeparator;

    /**
     * @param evm chain
     * @param contract deployed DeviceRegistry
     */
    public EvmDeviceRegistryClient(EvmChain evm, AccountId contract) {
        evm.checkChain(contract, "registry contract");
        this.evm = evm;
        this.contract = contract;
        this.artifact = ContractArtifact.load("DeviceRegistry");
        this.domainSeparator = Abi.keccak(DOMAIN_TYPEHASH, Abi.keccak("IOTPAY"), Abi.keccak("1"),
                Abi.word(BigInteger.valueOf(evm.chain().evmChainId())), Abi.word(contract.address()));
    }

    /** @return the contract */
    @Override
    public AccountId contract() {
        return contract;
    }

    /** @return the on-chain bytes32 id of a device id string */
    public static byte[] deviceKey(String deviceId) {
        if (deviceId == null || deviceId.isEmpty()) {
            throw new IllegalArgumentException("device id must not be empty");
        }
        return BYTES32.matcher(deviceId).matches() ? Numeric.hexStringToByteArray(deviceId)
                : Abi.keccak(deviceId.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hash32(byte[] h) {
        if (h == null || h.length != 32) {
            throw new IllegalArgumentException("certificate hash must be 32 bytes (SHA-256)");
        }
        return h.clone();
    }

    @Override
    public TxHash register(AccountId owner, byte[] certHash32, String deviceId) {
        byte[] key = deviceKey(deviceId);
        Optional<AccountId> current = ownerOf(deviceId);
        String fn = current.isPresent() ? "anchorCertificate" : "registerDevice";
        if (current.isPresent() && !current.get().equals(owner)) {
            throw new IllegalArgumentException("device " + deviceId + " is owned by " + current.get() + ", not " + owner);
        }
        return evm.send(owner, contract, BigInteger.ZERO,
                Abi.call(artifact.function(fn), Abi.bytes32(key), Abi.bytes32(hash32(certHash32))));
    }

    @Override
    public TxHash revoke(AccountId owner, byte[] certHash32) {
        return evm.send(owner, contract, BigInteger.ZERO,
                Abi.call(artifact.function("revokeCertificate"), Abi.bytes32(hash32(certHash32))));
    }

    @Override
    public boolean isValid(byte[] certHash32) {
        return (Boolean) evm.call(contract, Abi.call(artifact.function("isCertificateValid"),
                Abi.bytes32(hash32(certHash32))), new TypeReference<Bool>() { }).get(0).getValue();
    }

    @Override
    public Optional<AccountId> ownerOf(String deviceId) {
        String a = (String) evm.call(contract, Abi.call(artifact.function("ownerOf"), Abi.bytes32(deviceKey(deviceId))),
                new TypeReference<Address>() { }).get(0).getValue();
        return new BigInteger(a.substring(2), 16).signum() == 0 ? Optional.empty() : Optional.of(evm.account(a));
    }

    /** @return the nonce the next ownership transfer of this device must carry */
    @Override
    public BigInteger transferNonce(String deviceId) {
        return (BigInteger) evm.call(contract, Abi.call(artifact.function("transferNonce"),
                Abi.bytes32(deviceKey(deviceId))), new TypeReference<Uint256>() { }).get(0).getValue();
    }

    @Override
    public TxHash transferOwnership(String deviceId, AccountId from, AccountId to, Signature fromSig, Signature toSig,
            BigInteger nonce, Instant deadline) {
        BigInteger expected = transferNonce(deviceId);
        if (!expected.equals(nonce)) {
            throw new IllegalArgumentException("transfer nonce " + nonce + " is stale: the registry expects " + expected);
        }
        byte[] f = fromSig.bytes();
        byte[] t = toSig.bytes();
        return evm.send(from, contract, BigInteger.ZERO, Abi.call(artifact.function("transferOwnership"),
                Abi.bytes32(deviceKey(deviceId)), new Address(to.address()),
                new Uint256(BigInteger.valueOf(deadline.getEpochSecond())), new Uint8(v(f)),
                Abi.bytes32(Arrays.copyOfRange(f, 0, 32)), Abi.bytes32(Arrays.copyOfRange(f, 32, 64)), new Uint8(v(t)),
                Abi.bytes32(Arrays.copyOfRange(t, 0, 32)), Abi.bytes32(Arrays.copyOfRange(t, 32, 64))));
    }

    @Override
    public byte[] transferDigest(String deviceId, AccountId from, AccountId to, BigInteger nonce, Instant deadline) {
        byte[] struct = Abi.keccak(TRANSFER_TYPEHASH, deviceKey(deviceId), Abi.word(from.address()),
                Abi.word(to.address()), Abi.word(nonce), Abi.word(BigInteger.valueOf(deadline.getEpochSecond())));
        return Abi.keccak(new byte[] { 0x19, 0x01 }, domainSeparator, struct);
    }

    private static int v(byte[] sig) {
        if (sig.length != 65) {
            throw new IllegalArgumentException("signature must be 65 bytes");
        }
        int v = sig[64] & 0xff;
        return v < 27 ? v + 27 : v;
    }

    @Override
    public CertificateStatus certificateStatus(byte[] certHash32) {
        @SuppressWarnings("rawtypes")
        List<org.web3j.abi.datatypes.Type> r = evm.call(contract, Abi.call(artifact.function("certificate"),
                Abi.bytes32(hash32(certHash32))), new TypeReference<Bytes32>() { }, new TypeReference<Address>() { },
                new TypeReference<Uint64>() { }, new TypeReference<Uint64>() { });
        long anchored = ((BigInteger) r.get(2).getValue()).longValueExact();
        long revoked = ((BigInteger) r.get(3).getValue()).longValueExact();
        if (anchored == 0) {
            return new CertificateStatus(CertificateStatus.State.NOT_ANCHORED, Optional.empty(), Optional.empty());
        }
        Optional<Instant> at = Optional.of(Instant.ofEpochSecond(anchored));
        return revoked == 0 ? new CertificateStatus(CertificateStatus.State.VALID, at, Optional.empty())
                : new CertificateStatus(CertificateStatus.State.REVOKED, at, Optional.of(Instant.ofEpochSecond(revoked)));
    }

    /**
     * One {@code eth_getLogs} over [deployment block, latest] filtered by the contract, the two ownership event
     * topics and the device key (topic 1 of both events). Nodes that limit the range of {@code eth_getLogs} need a
     * configured deployment block ({@code logsFromBlock}).
     */
    @Override
    public List<ChainEvent> ownershipEvents(String deviceId) {
        String key = Numeric.toHexString(deviceKey(deviceId));
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("address", contract.address());
        filter.put("fromBlock", JsonRpcClient.hex(Math.max(0, evm.logsFromBlock())));
        filter.put("toBlock", "latest");
        filter.put("topics", List.of(List.of(
                Numeric.toHexString(artifact.event("DeviceRegistered").topic0()),
                Numeric.toHexString(artifact.event("OwnershipTransferred").topic0())), key));
        JsonNode logs = evm.rpc().call("eth_getLogs", filter);
        EventDecoder decoder = new AbiEventDecoder(artifact);
        List<ChainEvent> out = new ArrayList<>();
        for (JsonNode log : logs) {
            if (log.path("removed").asBoolean(false)) {
                continue;
            }
            List<String> topics = new ArrayList<>();
            log.path("topics").forEach(t -> topics.add(t.asText()));
            EventDecoder.Decoded d = decoder.decode(topics, log.path("data").asText("0x"));
            out.add(new ChainEvent(evm.chain(), contract, d.name(), JsonRpcClient.quantity(log.get("blockNumber")),
                    log.get("blockHash").asText().toLowerCase(Locale.ROOT),
                    log.get("transactionHash").asText().toLowerCase(Locale.ROOT),
                    (int) JsonRpcClient.quantity(log.get("logIndex")), d.fields(), false));
        }
        out.sort((a, b) -> a.blockNumber() != b.blockNumber() ? Long.compare(a.blockNumber(), b.blockNumber())
                : Integer.compare(a.logIndex(), b.logIndex()));
        return out;
    }
}
