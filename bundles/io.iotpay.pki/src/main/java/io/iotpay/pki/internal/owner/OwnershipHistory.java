package io.iotpay.pki.internal.owner;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainEvent;
import io.iotpay.api.identity.OwnershipRecord;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuilds a device's ownership chain offline from the registry's {@code DeviceRegistered} and
 * {@code OwnershipTransferred} events, checking it as the contract would: exactly one registration, first; every
 * transfer starts at the current owner, goes to a non-zero account and consumes the next nonce (0, 1, 2, ...). Events
 * flagged {@link ChainEvent#removed()} (reorganisation) cancel the event they repeat. The result does not depend on
 * a call of {@code ownerOf}: comparing the two detects a lying or lagging node.
 */
public final class OwnershipHistory {

    private static final String ZERO = "0x0000000000000000000000000000000000000000";

    private OwnershipHistory() {
    }

    /**
     * Replays events.
     *
     * @param deviceId the device (copied into the records)
     * @param events the registry events of this device, in chain order (other event names are ignored)
     * @return the ownership chain, registration first; empty if there was no registration
     * @throws IllegalStateException if the events do not form a consistent chain (the message says where)
     */
    public static List<OwnershipRecord> replay(String deviceId, List<ChainEvent> events) {
        Map<String, ChainEvent> live = new LinkedHashMap<>();
        for (ChainEvent e : events) {
            String id = e.txHash() + "#" + e.logIndex();
            if (e.removed()) {
                live.remove(id);
            } else {
                live.put(id, e);
            }
        }
        List<OwnershipRecord> out = new ArrayList<>();
        Object deviceKey = null;
        AccountId owner = null;
        BigInteger nextNonce = BigInteger.ZERO;
        for (ChainEvent e : live.values()) {
            String where = e.name() + " in block " + e.blockNumber() + " (tx " + e.txHash() + ", log " + e.logIndex()
                    + ")";
            if (!e.name().equals("DeviceRegistered") && !e.name().equals("OwnershipTransferred")) {
                continue;
            }
            Object key = e.fields().get("deviceId");
            if (deviceKey == null) {
                deviceKey = key;
            } else if (!deviceKey.equals(key)) {
                throw new IllegalStateException(where + " is about device key " + key + ", not " + deviceKey);
            }
            if (e.name().equals("DeviceRegistered")) {
                if (owner != null) {
                    throw new IllegalStateException(where + ": device " + deviceId + " registered twice");
                }
                owner = account(e, "owner", where);
                out.add(new OwnershipRecord(deviceId, Optional.empty(), owner, Optional.empty(), e.blockNumber(),
                        e.txHash(), e.logIndex()));
            } else {
                if (owner == null) {
                    throw new IllegalStateException(where + ": transfer of device " + deviceId
                            + " before its registration");
                }
                AccountId from = account(e, "from", where);
                AccountId to = account(e, "to", where);
                Object n = e.fields().get("nonce");
                if (!(n instanceof BigInteger nonce)) {
                    throw new IllegalStateException(where + ": nonce missing or not a number: " + n);
                }
                if (!from.equals(owner)) {
                    throw new IllegalStateException(where + ": transfer from " + from + " but the owner was " + owner);
                }
                if (!nonce.equals(nextNonce)) {
                    throw new IllegalStateException(where + ": transfer nonce " + nonce + ", expected " + nextNonce);
                }
                out.add(new OwnershipRecord(deviceId, Optional.of(from), to, Optional.of(nonce), e.blockNumber(),
                        e.txHash(), e.logIndex()));
                owner = to;
                nextNonce = nextNonce.add(BigInteger.ONE);
            }
        }
        return List.copyOf(out);
    }

    private static AccountId account(ChainEvent e, String field, String where) {
        Object v = e.fields().get(field);
        String text = v instanceof AccountId a ? a.address() : v instanceof String s ? s : null;
        if (text == null || text.toLowerCase(Locale.ROOT).equals(ZERO)) {
            throw new IllegalStateException(where + ": field " + field + " is missing or the zero address: " + v);
        }
        return AccountId.of(e.chain(), text.toLowerCase(Locale.ROOT));
    }

    /**
     * @param history a replayed chain
     * @return its current owner, empty if the device was never registered
     */
    public static Optional<AccountId> owner(List<OwnershipRecord> history) {
        return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1).to());
    }
}
