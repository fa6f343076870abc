package io.iotpay.pki.internal.owner;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.DeviceRegistryClient;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.TypedData;
import io.iotpay.pki.internal.x509.PaymentKeyLink;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Ownership transfers of a device in the registry: both the current and the new owner sign the EIP-712
 * {@code OwnershipTransfer(bytes32 deviceId,address from,address to,uint256 nonce,uint256 deadline)} in the domain
 * {@code {name "IOTPAY", version "1", chainId, verifyingContract = registry}} ({@code docs/contracts.md}). Signing goes
 * through the wallet's {@code signTypedData} (it never signs raw digests); every signature is checked against the
 * registry's own digest before anything is sent, so a wrong key or a stale nonce is reported by name instead of as a
 * revert.
 */
public final class OwnershipTransfers {

    /** Signs typed data with an account: the wallet in production. */
    @FunctionalInterface
    public interface TypedDataSigner {
        /**
         * @param account the signer
         * @param data the typed data
         * @return the signature
         */
        Signature sign(AccountId account, TypedData data);
    }

    /** What both owners sign. */
    public record Terms(String deviceId, AccountId from, AccountId to, BigInteger nonce, Instant deadline) {
    }

    private static final Pattern BYTES32 = Pattern.compile("0x[0-9a-fA-F]{64}");

    private final DeviceRegistryClient registry;
    private final TypedDataSigner signer;

    /**
     * @param registry the on-chain registry
     * @param signer signs typed data
     */
    public OwnershipTransfers(DeviceRegistryClient registry, TypedDataSigner signer) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /**
     * The terms of the next transfer of a device, read from the registry (current owner, nonce).
     *
     * @param deviceId the device
     * @param to the new owner
     * @param deadline signatures expire after this time
     * @return the terms
     * @throws IllegalArgumentException if the device is not registered, or {@code to} is already its owner
     */
    public Terms terms(String deviceId, AccountId to, Instant deadline) {
        AccountId from = registry.ownerOf(deviceId).orElseThrow(
                () -> new IllegalArgumentException("device " + deviceId + " is not registered on chain"));
        if (from.equals(to)) {
            throw new IllegalArgumentException("device " + deviceId + " already belongs to " + to);
        }
        return new Terms(deviceId, from, to, registry.transferNonce(deviceId), deadline);
    }

    /**
     * The on-chain bytes32 key of a device id (as the EVM registry client computes it).
     *
     * @param deviceId the device id
     * @return 0x + 64 hex
     */
    public static String deviceKey(String deviceId) {
        if (BYTES32.matcher(deviceId).matches()) {
            return deviceId.toLowerCase(java.util.Locale.ROOT);
        }
        KeccakDigest k = new KeccakDigest(256);
        byte[] in = deviceId.getBytes(StandardCharsets.UTF_8);
        k.update(in, 0, in.length);
        byte[] out = new byte[32];
        k.doFinal(out, 0);
        return "0x" + HexFormat.of().formatHex(out);
    }

    /**
     * The EIP-712 typed data of a transfer.
     *
     * @param t the terms
     * @return the typed data
     */
    public TypedData typedData(Terms t) {
        AccountId contract = registry.contract();
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("name", "IOTPAY");
        domain.put("version", "1");
        domain.put("chainId", BigInteger.valueOf(contract.chainId().evmChainId()));
        domain.put("verifyingContract", contract.address());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("deviceId", deviceKey(t.deviceId()));
        message.put("from", t.from().address());
        message.put("to", t.to().address());
        message.put("nonce", t.nonce());
        message.put("deadline", BigInteger.valueOf(t.deadline().getEpochSecond()));
        return new TypedData(Map.of("OwnershipTransfer", List.of(new TypedData.Field("deviceId", "bytes32"),
                new TypedData.Field("from", "address"), new TypedData.Field("to", "address"),
                new TypedData.Field("nonce", "uint256"), new TypedData.Field("deadline", "uint256"))),
                "OwnershipTransfer", domain, message);
    }

    /**
     * Signs the terms with one party's account (wallet).
     *
     * @param t the terms
     * @param party {@code t.from()} or {@code t.to()}
     * @return the signature, checked against the registry's digest
     */
    public Signature sign(Terms t, AccountId party) {
        if (!party.equals(t.from()) && !party.equals(t.to())) {
            throw new IllegalArgumentException(party + " is neither the current owner " + t.from()
                    + " nor the new owner " + t.to());
        }
        Signature s;
        try {
            s = signer.sign(party, typedData(t));
        } catch (io.iotpay.api.wallet.SpendingRefusedException e) {
            throw new IllegalStateException("the wallet refused to sign the OwnershipTransfer typed data for " + party
                    + " (" + e.getMessage() + "); the wallet's typed-data policy must allow OwnershipTransfer in the"
                    + " IOTPAY domain (it moves no money)", e);
        }
        check(t, s, party, party.equals(t.from()) ? "current owner" : "new owner");
        return s;
    }

    /**
     * Checks that a signature over the terms was made by the expected account.
     *
     * @throws IllegalArgumentException naming the role if it was not
     */
    public void check(Terms t, Signature s, AccountId expected, String role) {
        byte[] digest = registry.transferDigest(t.deviceId(), t.from(), t.to(), t.nonce(), t.deadline());
        Optional<String> signer = PaymentKeyLink.recoverAddress(digest, s);
        if (signer.isEmpty() || !signer.get().equalsIgnoreCase(expected.address())) {
            throw new IllegalArgumentException("the " + role + "'s signature does not sign this transfer by "
                    + expected.address() + " (recovered " + signer.orElse("nothing") + "; nonce " + t.nonce()
                    + ", deadline " + t.deadline().getEpochSecond() + ")");
        }
    }

    /**
     * Checks both signatures and sends the transfer (from the current owner's account), then waits for it.
     *
     * @param t the terms
     * @param fromSig the current owner's signature
     * @param toSig the new owner's signature
     * @param waiter waits for the transaction to succeed
     * @return the transaction
     */
    public TxHash submit(Terms t, Signature fromSig, Signature toSig, Consumer<TxHash> waiter) {
        if (t.deadline().isBefore(Instant.now())) {
            throw new IllegalArgumentException("the transfer deadline " + t.deadline() + " has passed");
        }
        check(t, fromSig, t.from(), "current owner");
        check(t, toSig, t.to(), "new owner");
        TxHash tx = registry.transferOwnership(t.deviceId(), t.from(), t.to(), fromSig, toSig, t.nonce(),
                t.deadline());
        waiter.accept(tx);
        return tx;
    }
}
