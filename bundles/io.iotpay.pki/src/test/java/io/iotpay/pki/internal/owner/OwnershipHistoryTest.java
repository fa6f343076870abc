package io.iotpay.pki.internal.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainEvent;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.identity.OwnershipRecord;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Offline replay of registry events: the checks the contract makes, redone on the log. */
class OwnershipHistoryTest {

    private static final AccountId REGISTRY = AccountId.of(ChainId.DEVNET, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    private static final String A = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private static final String B = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    private static final String C = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
    private static final String KEY = OwnershipTransfers.deviceKey("plug-1");
    private int log;

    private ChainEvent registered(String owner) {
        return event("DeviceRegistered", Map.of("deviceId", KEY, "owner", owner), false);
    }

    private ChainEvent transferred(String from, String to, long nonce) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("deviceId", KEY);
        f.put("from", from);
        f.put("to", to);
        f.put("nonce", BigInteger.valueOf(nonce));
        return event("OwnershipTransferred", f, false);
    }

    private ChainEvent event(String name, Map<String, Object> fields, boolean removed) {
        int i = log++;
        return new ChainEvent(ChainId.DEVNET, REGISTRY, name, 10 + i, "0xb" + i, "0xt" + i, 0, fields, removed);
    }

    private static AccountId acc(String a) {
        return AccountId.of(ChainId.DEVNET, a);
    }

    @Test
    void replaysRegistrationAndTransfers() {
        List<OwnershipRecord> h = OwnershipHistory.replay("plug-1",
                List.of(registered(A), transferred(A, B, 0), transferred(B, C, 1), transferred(C, A, 2)));
        assertEquals(List.of(acc(A), acc(B), acc(C), acc(A)), h.stream().map(OwnershipRecord::to).toList());
        assertTrue(h.get(0).registration());
        assertEquals(Optional.of(acc(C)), h.get(3).from());
        assertEquals(Optional.of(BigInteger.TWO), h.get(3).nonce());
        assertEquals(Optional.of(acc(A)), OwnershipHistory.owner(h));
        assertEquals(List.of(), OwnershipHistory.replay("plug-1", List.of()));
        assertEquals(Optional.empty(), OwnershipHistory.owner(List.of()));
    }

    @Test
    void refusesAChainTheContractWouldNeverProduce() {
        assertRefused("owner was", registered(A), transferred(B, C, 0));
        assertRefused("expected 1", registered(A), transferred(A, B, 0), transferred(B, C, 2));
        assertRefused("expected 0", registered(A), transferred(A, B, 1));
        assertRefused("registered twice", registered(A), registered(B));
        assertRefused("before its registration", transferred(A, B, 0));
        assertRefused("zero address", registered(A), transferred(A, "0x0000000000000000000000000000000000000000", 0));
        ChainEvent foreign = event("DeviceRegistered", Map.of("deviceId", OwnershipTransfers.deviceKey("plug-2"),
                "owner", B), false);
        assertRefused("device key", registered(A), foreign);
    }

    private void assertRefused(String why, ChainEvent... events) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OwnershipHistory.replay("plug-1", List.of(events)));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void aRemovedEventCancelsTheOneItRepeats() {
        ChainEvent reg = registered(A);
        ChainEvent t0 = transferred(A, B, 0);
        List<ChainEvent> events = new ArrayList<>(List.of(reg, t0));
        events.add(new ChainEvent(t0.chain(), t0.contract(), t0.name(), t0.blockNumber(), t0.blockHash(), t0.txHash(),
                t0.logIndex(), t0.fields(), true));
        events.add(transferred(A, C, 0)); // the re-mined chain moved it elsewhere
        List<OwnershipRecord> h = OwnershipHistory.replay("plug-1", events);
        assertEquals(List.of(acc(A), acc(C)), h.stream().map(OwnershipRecord::to).toList());
    }

    @Test
    void deviceKeyMatchesTheRegistryClient() {
        // keccak256("plug-1") computed independently of BouncyCastle by the EVM client in its own tests; here: the
        // bytes32 pass-through and the known keccak256 of the empty-string-free input "abc"
        assertEquals("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
                OwnershipTransfers.deviceKey("abc"));
        String raw = "0x" + "AB".repeat(32);
        assertEquals(raw.toLowerCase(), OwnershipTransfers.deviceKey(raw));
    }
}
