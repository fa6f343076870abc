package io.iotpay.web.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.HttpServiceRuntimeConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator, in the log and on the console, that IOTPAY is up and where its HTTP endpoint is.
 *
 * <p>Pax Web registers its HTTP runtime first with a relative endpoint and sets the real address once its connector
 * listens, so this component follows the runtime's property updates (method injection with an {@code updated}
 * callback, the one place where constructor injection cannot see what is needed) and announces each absolute address
 * once.
 */
@Component(immediate = true)
public final class StartupAnnouncer {

    private static final Logger LOG = LoggerFactory.getLogger(StartupAnnouncer.class);

    private final Set<String> announced = ConcurrentHashMap.newKeySet();

    @Reference(name = "runtime", updated = "runtimeUpdated")
    void bindRuntime(ServiceReference<HttpServiceRuntime> runtime) {
        announce(runtime);
    }

    void runtimeUpdated(ServiceReference<HttpServiceRuntime> runtime) {
        announce(runtime);
    }

    void unbindRuntime(ServiceReference<HttpServiceRuntime> runtime) {
        announced.clear();
    }

    private void announce(ServiceReference<HttpServiceRuntime> runtime) {
        List<String> endpoints = endpoints(runtime.getProperty(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT));
        if (endpoints.isEmpty() || !endpoints.get(0).contains("://") || !announced.add(endpoints.get(0))) {
            return; // not listening yet, or already said
        }
        String message = announcement(endpoints);
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
