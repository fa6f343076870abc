package io.iotpay.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StartupAnnouncerTest {

    @Test
    void announcesTheStatusUrlUnderTheFirstEndpoint() {
        assertEquals("IOTPAY is up: HTTP endpoint http://127.0.0.1:8181/iotpay/api/status",
                StartupAnnouncer.announcement(StartupAnnouncer.endpoints(new String[] {"http://127.0.0.1:8181/"})));
        assertEquals("IOTPAY is up: HTTP endpoint http://[::1]:9000/iotpay/api/status",
                StartupAnnouncer.announcement(StartupAnnouncer.endpoints(List.of("http://[::1]:9000"))));
    }

    @Test
    void saysSoWhenTheRuntimeGivesNoAddress() {
        assertEquals("IOTPAY is up (the HTTP runtime did not say its address)",
                StartupAnnouncer.announcement(StartupAnnouncer.endpoints(null)));
    }
}
