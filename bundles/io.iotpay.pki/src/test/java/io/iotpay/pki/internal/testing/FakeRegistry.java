package io.iotpay.pki.internal.testing;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.ChainUnavailableException;
import io.iotpay.api.chain.DeviceRegistryClient;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.wallet.Signature;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory stand-in for the on-chain DeviceRegistry with the contract's rules (first registrant owns the device, only
 * the owner anchors and revokes, revocation is final). Used where a unit test needs no chain; the anvil test runs the
 * real contract.
 */
public final class FakeRegistry implements DeviceRegistryClient {

    private final Map<String, AccountId> owners = new HashMap<>();
    private final Map<String, String> certDevice = new HashMap<>();
    private final Map<String, Boolean> revoked = new HashMap<>();
    private final AtomicInteger tx = new AtomicInteger();
    /** Number of isValid calls (to observe the cache). */
    public final AtomicInteger reads = new AtomicInteger();
    /** When true every call fails as if the RPC node were down. */
    public volatile boolean down;

    private static String hex(byte[] h) {
        return HexFormat.of().formatHex(h);
    }

    private TxHash nextTx() {
        return new TxHash(ChainId.DEVNET, "0x" + String.format("%064x", tx.incrementAndGet()));
    }

    private void up() {
        if (down) {
            throw new ChainUnavailableException(ChainId.DEVNET, "test registry is down");
        }
    }

    @Override
    public synchronized TxHash register(AccountId owner, byte[] certHash32, String deviceId) {
        up();
        AccountId current = owners.putIfAbsent(deviceId, owner);
        if (current != null && !current.equals(owner)) {
            throw new IllegalStateException("NotOwner");
        }
        if (certDevice.putIfAbsent(hex(certHash32), deviceId) != null) {
            throw new IllegalStateException("CertificateExists");
        }
        return nextTx();
    }

    @Override
    public synchronized TxHash revoke(AccountId owner, byte[] certHash32) {
        up();
        String device = certDevice.get(hex(certHash32));
        if (device == null) {
            throw new IllegalStateException("CertificateUnknown");
        }
        if (!owners.get(device).equals(owner)) {
            throw new IllegalStateException("NotOwner");
        }
        if (revoked.putIfAbsent(hex(certHash32), true) != null) {
            throw new IllegalStateException("CertificateAlreadyRevoked");
        }
        return nextTx();
    }

    @Override
    public synchronized boolean isValid(byte[] certHash32) {
        up();
        reads.incrementAndGet();
        return certDevice.containsKey(hex(certHash32)) && !revoked.containsKey(hex(certHash32));
    }

    @Override
    public synchronized Optional<AccountId> ownerOf(String deviceId) {
        up();
        return Optional.ofNullable(owners.get(deviceId));
    }

    /** Test hook: moves a device as a completed two-signature transfer would. */
    public synchronized void forceOwner(String deviceId, AccountId to) {
        owners.put(deviceId, to);
    }

    @Override
    public TxHash transferOwnership(String deviceId, AccountId from, AccountId to, Signature fromSig,
            Signature toSig, BigInteger nonce, Instant deadline) {
        throw new UnsupportedOperationException("not needed by the PKI unit tests");
    }

    @Override
    public byte[] transferDigest(String deviceId, AccountId from, AccountId to, BigInteger nonce, Instant deadline) {
        throw new UnsupportedOperationException("not needed by the PKI unit tests");
    }
}
