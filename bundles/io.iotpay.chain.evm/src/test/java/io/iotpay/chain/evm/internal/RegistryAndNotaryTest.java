package io.iotpay.chain.evm.internal;

import static io.iotpay.chain.evm.internal.ChannelsContractTest.assertReverts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.Anchor;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.wallet.Signature;
import io.iotpay.chain.evm.internal.abi.Abi;
import io.iotpay.chain.evm.internal.scheme.EvmAnchorClient;
import io.iotpay.chain.evm.internal.scheme.EvmDeviceRegistryClient;

/** DeviceRegistry and Notary through their clients, against a real anvil, including the ownership attacks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryAndNotaryTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private Devchain chain;
    private EvmDeviceRegistryClient registry;

    @BeforeAll
    void start() {
        chain = Devchain.start();
        registry = (EvmDeviceRegistryClient) chain.connector.deviceRegistry();
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    static byte[] random32() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    @Test
    void registerAnchorRevokeAndRead() {
        AccountId owner = chain.funded(1);
        AccountId other = chain.funded(1);
        String device = "plug-" + RANDOM.nextInt(1_000_000);
        byte[] cert1 = random32();
        byte[] cert2 = random32();
        assertTrue(registry.ownerOf(device).isEmpty());
        assertFalse(registry.isValid(cert1));
        chain.mined(registry.register(owner, cert1, device));
        assertEquals(Optional.of(owner), registry.ownerOf(device));
        assertTrue(registry.isValid(cert1));
        // a second certificate for the same device: anchorCertificate
        chain.mined(registry.register(owner, cert2, device));
        assertTrue(registry.isValid(cert2));
        // nobody else can register or anchor for it
        assertThrows(IllegalArgumentException.class, () -> registry.register(other, random32(), device));
        assertReverts("NotOwner", () -> chain.evm().send(other, registry.contract(), BigInteger.ZERO,
                Abi.call("anchorCertificate(bytes32,bytes32)", Abi.bytes32(EvmDeviceRegistryClient.deviceKey(device)),
                        Abi.bytes32(random32()))));
        assertReverts("DeviceExists", () -> chain.evm().send(other, registry.contract(), BigInteger.ZERO,
                Abi.call("registerDevice(bytes32,bytes32)", Abi.bytes32(EvmDeviceRegistryClient.deviceKey(device)),
                        Abi.bytes32(random32()))));
        assertReverts("CertificateExists", () -> registry.register(owner, cert1, device));
        assertReverts("NotOwner", () -> registry.revoke(other, cert1));
        chain.mined(registry.revoke(owner, cert1));
        assertFalse(registry.isValid(cert1));
        assertTrue(registry.isValid(cert2));
        assertReverts("CertificateAlreadyRevoked", () -> registry.revoke(owner, cert1));
        assertReverts("CertificateUnknown", () -> registry.revoke(owner, random32()));
    }

    @Test
    void ownershipTransferNeedsBothSignatures() {
        AccountId from = chain.funded(1);
        AccountId to = chain.funded(1);
        AccountId mallory = chain.funded(1);
        String device = "0x" + java.util.HexFormat.of().formatHex(random32());
        chain.mined(registry.register(from, random32(), device));
        BigInteger nonce = registry.transferNonce(device);
        assertEquals(BigInteger.ZERO, nonce);
        Instant deadline = Instant.ofEpochSecond(latestTimestamp() + 3600);
        byte[] digest = registry.transferDigest(device, from, to, nonce, deadline);
        byte[] onChain = (byte[]) chain.evm().call(registry.contract(), Abi.call(
                "ownershipTransferDigest(bytes32,address,address,uint256,uint256)",
                Abi.bytes32(EvmDeviceRegistryClient.deviceKey(device)), new Address(from.address()),
                new Address(to.address()), new Uint256(nonce), new Uint256(deadline.getEpochSecond())),
                new TypeReference<Bytes32>() { }).get(0).getValue();
        assertArrayEquals(onChain, digest);
        Signature fromSig = chain.keys.signDigest(from, digest);
        Signature toSig = chain.keys.signDigest(to, digest);
        Signature malSig = chain.keys.signDigest(mallory, digest);

        // missing the new owner's signature (the old owner's twice, or a third party's)
        assertReverts("InvalidSignature", () -> registry.transferOwnership(device, from, to, fromSig, fromSig, nonce,
                deadline));
        assertReverts("InvalidSignature", () -> registry.transferOwnership(device, from, to, fromSig, malSig, nonce,
                deadline));
        // missing the current owner's signature
        assertReverts("InvalidSignature", () -> registry.transferOwnership(device, from, to, toSig, toSig, nonce,
                deadline));
        // redirected: both signatures, another recipient
        assertReverts("InvalidSignature", () -> registry.transferOwnership(device, from, mallory, fromSig, toSig,
                nonce, deadline));
        // expired
        Instant past = Instant.ofEpochSecond(latestTimestamp() - 1);
        byte[] pastDigest = registry.transferDigest(device, from, to, nonce, past);
        assertReverts("Expired", () -> registry.transferOwnership(device, from, to,
                chain.keys.signDigest(from, pastDigest), chain.keys.signDigest(to, pastDigest), nonce, past));

        TxHash ok = registry.transferOwnership(device, from, to, fromSig, toSig, nonce, deadline);
        chain.mined(ok);
        assertEquals(Optional.of(to), registry.ownerOf(device));
        assertEquals(BigInteger.ONE, registry.transferNonce(device));
        // replay of the same signatures: the nonce moved on
        assertThrows(IllegalArgumentException.class, () -> registry.transferOwnership(device, from, to, fromSig, toSig,
                nonce, deadline));
        // sent raw, the replay names the current owner as new owner and is refused
        assertReverts("InvalidNewOwner", () -> chain.evm().send(from, registry.contract(), BigInteger.ZERO,
                transferCall(device, to, deadline, fromSig, toSig)));
        // and a transfer back to the old owner with the old (nonce 0) signatures does not verify
        assertReverts("InvalidSignature", () -> chain.evm().send(from, registry.contract(), BigInteger.ZERO,
                transferCall(device, from, deadline, toSig, fromSig)));
    }

    @Test
    void notaryAnchorsAndFindsBatches() {
        AccountId submitter = chain.funded(1);
        EvmAnchorClient anchors = new EvmAnchorClient(chain.evm(), AccountId.of(chain.evm().chain(),
                chain.deployment.notary()), submitter);
        byte[] root = random32();
        long batch = 7 + RANDOM.nextInt(1000);
        assertTrue(anchors.anchorOf(batch).isEmpty());
        TxHash tx = anchors.anchor(root, batch, 42);
        var r = chain.mined(tx);
        Anchor a = anchors.anchorOf(batch).orElseThrow();
        assertArrayEquals(root, a.root());
        assertEquals(42, a.leafCount());
        assertEquals(r.blockNumber(), a.blockNumber());
        assertEquals(tx, a.tx());
        // another submitter's batch with the same id is not ours
        AccountId other = chain.funded(1);
        EvmAnchorClient otherAnchors = new EvmAnchorClient(chain.evm(), AccountId.of(chain.evm().chain(),
                chain.deployment.notary()), other);
        assertTrue(otherAnchors.anchorOf(batch).isEmpty());
        assertReverts("InvalidRoot", () -> anchors.anchor(new byte[32], batch + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> anchors.anchor(root, batch, 0));
        // anchorStored / anchored
        AccountId notary = AccountId.of(chain.evm().chain(), chain.deployment.notary());
        chain.mined(chain.evm().send(submitter, notary, BigInteger.ZERO, Abi.call("anchorStored(uint64,bytes32,uint32)",
                new Uint64(batch), Abi.bytes32(root), new Uint32(42))));
        var stored = chain.evm().call(notary, Abi.call("anchored(bytes32)", Abi.bytes32(root)),
                new TypeReference<Address>() { }, new TypeReference<Uint32>() { }, new TypeReference<Uint64>() { });
        assertEquals(submitter.address(), ((String) stored.get(0).getValue()).toLowerCase());
        assertEquals(BigInteger.valueOf(42), stored.get(1).getValue());
        assertReverts("AlreadyAnchored", () -> chain.evm().send(submitter, notary, BigInteger.ZERO, Abi.call(
                "anchorStored(uint64,bytes32,uint32)", new Uint64(batch), Abi.bytes32(root), new Uint32(42))));
    }

    private long latestTimestamp() {
        return io.iotpay.chain.evm.internal.rpc.JsonRpcClient.quantity(chain.evm().rpc()
                .call("eth_getBlockByNumber", "latest", false).get("timestamp"));
    }

    private static byte[] transferCall(String device, AccountId to, Instant deadline, Signature f, Signature t) {
        byte[] fb = f.bytes();
        byte[] tb = t.bytes();
        return Abi.call("transferOwnership(bytes32,address,uint256,uint8,bytes32,bytes32,uint8,bytes32,bytes32)",
                Abi.bytes32(EvmDeviceRegistryClient.deviceKey(device)), new Address(to.address()),
                new Uint256(deadline.getEpochSecond()), Abi.uint8(fb[64] & 0xff),
                Abi.bytes32(Arrays.copyOfRange(fb, 0, 32)), Abi.bytes32(Arrays.copyOfRange(fb, 32, 64)),
                Abi.uint8(tb[64] & 0xff), Abi.bytes32(Arrays.copyOfRange(tb, 0, 32)),
                Abi.bytes32(Arrays.copyOfRange(tb, 32, 64)));
    }

}
