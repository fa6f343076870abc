package io.iotpay.api.identity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;

import java.math.BigInteger;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class OwnershipRecordTest {

    private static final AccountId A = AccountId.parse("eip155:31337:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    private static final AccountId B = AccountId.parse("eip155:31337:0x70997970c51812dc3a010c7d01b50e0d17dc79c8");

    @Test
    void registrationHasNeitherPreviousOwnerNorNonce() {
        assertTrue(new OwnershipRecord("plug-1", Optional.empty(), A, Optional.empty(), 3, "0xab", 0).registration());
        assertFalse(new OwnershipRecord("plug-1", Optional.of(A), B, Optional.of(BigInteger.ZERO), 4, "0xcd", 1)
                .registration());
        assertThrows(IllegalArgumentException.class,
                () -> new OwnershipRecord("plug-1", Optional.of(A), B, Optional.empty(), 4, "0xcd", 1));
        assertThrows(IllegalArgumentException.class,
                () -> new OwnershipRecord("plug-1", Optional.empty(), B, Optional.of(BigInteger.ONE), 4, "0xcd", 1));
        assertThrows(IllegalArgumentException.class, () -> new OwnershipRecord("plug-1", Optional.of(A), B,
                Optional.of(BigInteger.valueOf(-1)), 4, "0xcd", 1));
        assertThrows(IllegalArgumentException.class,
                () -> new OwnershipRecord("plug-1", Optional.empty(), A, Optional.empty(), -1, "0xab", 0));
    }

    @Test
    void historyDefaultsToUnsupported() {
        DeviceIdentity id = (DeviceIdentity) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DeviceIdentity.class}, (p, m, a) -> {
                    if (m.isDefault()) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(p, m, a);
                    }
                    throw new AssertionError(m.getName());
                });
        assertThrows(UnsupportedOperationException.class, () -> id.history("plug-1"));
    }
}
