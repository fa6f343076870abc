package io.iotpay.web.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.HttpServiceRuntimeConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator, in the log and on the console, that IOTPAY is up and where its HTTP endpoint is. It activates
 * once the HTTP runtime is there, so the address it prints is the one really served.
 */
@Component(immediate = true)
public final class StartupAnnouncer {

    private static final Logger LOG = LoggerFactory.getLogger(StartupAnnouncer.class);

    /**
     * @param runtime the OSGi HTTP whiteboard runtime (Pax Web); its {@code osgi.http.endpoint} property is the address
     */
    @Activate
    public StartupAnnouncer(@Reference ServiceReference<HttpServiceRuntime> runtime) {
        String message = announcement(endpoints(runtime.getProperty(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT)));
        LOG.info(message);
        // The console line is on purpose: someone who just typed the run command looks at the terminal, not the log.
        System.out.println(message);
    }

    /**
     * @param endpoints the base URLs of the HTTP runtime
     * @return the line printed at start-up
     */
    static String announcement(List<String> endpoints) {
        if (endpoints.isEmpty()) {
            return "IOTPAY is up (the HTTP runtime did not say its address)";
        }
        String base = endpoints.get(0);
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return "IOTPAY is up: HTTP endpoint " + root + "/iotpay/api/status";
    }

    static List<String> endpoints(Object property) {
        List<String> out = new ArrayList<>();
        if (property instanceof String) {
            out.add((String) property);
        } else if (property instanceof String[]) {
            out.addAll(List.of((String[]) property));
        } else if (property instanceof Collection<?>) {
            for (Object o : (Collection<?>) property) {
                out.add(String.valueOf(o));
            }
        }
        return out;
    }
}
