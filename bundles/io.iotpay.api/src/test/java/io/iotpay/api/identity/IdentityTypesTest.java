package io.iotpay.api.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class IdentityTypesTest {

    static final AccountId A = AccountId.of(ChainId.DEVNET, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");

    @Test
    void certificateCopiesHash() {
        byte[] h = new byte[32];
        DeviceCertificate c = new DeviceCertificate("plug1", A, A, "CN=plug1", "CN=owner", Instant.EPOCH,
                Instant.EPOCH.plusSeconds(1), h, "pem");
        h[0] = 1;
        assertEquals(0, c.sha256()[0]);
        c.sha256()[0] = 1;
        assertEquals(0, c.sha256()[0]);
        DeviceCertificate d = new DeviceCertificate("plug1", A, A, "CN=plug1", "CN=owner", Instant.EPOCH,
                Instant.EPOCH.plusSeconds(1), new byte[32], "pem");
        assertEquals(c, d);
        assertEquals(c.hashCode(), d.hashCode());
        assertTrue(c.toString().contains("0x0000"));
        assertThrows(IllegalArgumentException.class, () -> new DeviceCertificate("plug1", A, A, "s", "i",
                Instant.EPOCH, Instant.EPOCH, new byte[32], "pem"));
        assertThrows(IllegalArgumentException.class, () -> new DeviceCertificate("plug1", A, A, "s", "i",
                Instant.EPOCH, Instant.EPOCH.plusSeconds(1), new byte[20], "pem"));
    }

    @Test
    void verificationResultConsistency() {
        VerificationResult ok = VerificationResult.of(VerificationResult.Status.VALID, "ok", Instant.EPOCH,
                Duration.ZERO);
        assertTrue(ok.valid());
        assertFalse(VerificationResult.of(VerificationResult.Status.REVOKED, "r", Instant.EPOCH, Duration.ZERO)
                .valid());
        assertThrows(IllegalArgumentException.class, () -> new VerificationResult(true,
                VerificationResult.Status.EXPIRED, "x", Instant.EPOCH, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new VerificationResult(true,
                VerificationResult.Status.VALID, "x", Instant.EPOCH, Duration.ofSeconds(-1)));
    }
}
