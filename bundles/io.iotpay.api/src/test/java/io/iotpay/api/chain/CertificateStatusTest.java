package io.iotpay.api.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iotpay.api.chain.CertificateStatus.State;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CertificateStatusTest {

    private static final Optional<Instant> T = Optional.of(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void timesMustFitTheState() {
        assertEquals(State.VALID, new CertificateStatus(State.VALID, T, Optional.empty()).state());
        assertEquals(T, new CertificateStatus(State.REVOKED, T, T).revokedAt());
        new CertificateStatus(State.NOT_ANCHORED, Optional.empty(), Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> new CertificateStatus(State.NOT_ANCHORED, T,
                Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new CertificateStatus(State.VALID, Optional.empty(),
                Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new CertificateStatus(State.VALID, T, T));
        assertThrows(IllegalArgumentException.class, () -> new CertificateStatus(State.REVOKED, T, Optional.empty()));
        assertThrows(NullPointerException.class, () -> new CertificateStatus(null, T, T));
    }

    @Test
    void defaultsOfOlderRegistryClientsSayUnsupported() {
        DeviceRegistryClient minimal = (DeviceRegistryClient) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DeviceRegistryClient.class}, (p, m, a) -> {
                    if (m.isDefault()) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(p, m, a);
                    }
                    throw new AssertionError(m.getName());
                });
        assertThrows(UnsupportedOperationException.class, minimal::contract);
        assertThrows(UnsupportedOperationException.class, () -> minimal.certificateStatus(new byte[32]));
        assertThrows(UnsupportedOperationException.class, () -> minimal.transferNonce("plug-1"));
        assertThrows(UnsupportedOperationException.class, () -> minimal.ownershipEvents("plug-1"));
    }
}
