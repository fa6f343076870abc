package io.iotpay.web.internal;

import io.iotpay.api.chain.ChainConnector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Read-only view of the IOTPAY services currently registered in the framework (any service whose interface lives in
 * an {@code io.iotpay.api} package), and of the chain connectors by CAIP-2 chain id.
 */
@Component(service = ServiceCatalog.class)
public final class ServiceCatalog {

    private static final String API_PREFIX = "io.iotpay.api.";

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final List<ServiceReference<ChainConnector>> connectors = new CopyOnWriteArrayList<>();

    /**
     * @param context the web bundle's context, used to look services up
     * @param scr the Declarative Services runtime, asked for the state of IOTPAY's components
     */
    @Activate
    public ServiceCatalog(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    /**
     * @return every Declarative Services component of an IOTPAY bundle (including the openHAB binding) with its
     *     state: {@code ACTIVE}, {@code SATISFIED}, {@code UNSATISFIED_REFERENCE}, {@code UNSATISFIED_CONFIGURATION},
     *     {@code FAILED_ACTIVATION}, {@code DISABLED}, or {@code NOT_CONFIGURED} (requires a configuration nobody has
     *     given yet)
     */
    public Map<String, String> components() {
        Map<String, String> states = new TreeMap<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            String bundle = description.bundle.symbolicName;
            if (!bundle.startsWith("io.iotpay") && !bundle.startsWith("org.openhab.binding.iotpay")) {
                continue;
            }
            if (!scr.isComponentEnabled(description)) {
                states.put(description.name, "DISABLED");
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                states.merge(description.name, stateName(configuration.state), (a, b) -> a + "," + b);
            }
            // A component that requires a configuration and has none (a factory PID nobody configured yet, such as a
            // simulated plug) is waiting for an operator, not broken.
            states.putIfAbsent(description.name,
                    "require".equals(description.configurationPolicy) ? "NOT_CONFIGURED" : "UNSATISFIED_CONFIGURATION");
        }
        return states;
    }

    static String stateName(int state) {
        switch (state) {
            case ComponentConfigurationDTO.ACTIVE:
                return "ACTIVE";
            case ComponentConfigurationDTO.SATISFIED:
                return "SATISFIED";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                return "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return "FAILED_ACTIVATION";
            default:
                return "UNKNOWN(" + state + ")";
        }
    }

    /** Binds a chain connector (dynamic: connectors come and go with their bundles). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addConnector(ServiceReference<ChainConnector> ref) {
        connectors.add(ref);
    }

    void removeConnector(ServiceReference<ChainConnector> ref) {
        connectors.remove(ref);
    }

    /** @return the web bundle's version, which is IOTPAY's version */
    public String version() {
        return context.getBundle().getVersion().toString();
    }

    /**
     * @return for every IOTPAY API interface with at least one registered service, how many services provide it,
     *     sorted by interface name
     */
    public Map<String, Integer> registeredServices() {
        Map<String, Integer> counts = new TreeMap<>();
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(null, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("null filter cannot be invalid", e);
        }
        if (refs == null) {
            return counts;
        }
        for (ServiceReference<?> ref : refs) {
            Object classes = ref.getProperty("objectClass");
            if (classes instanceof String[]) {
                for (String name : (String[]) classes) {
                    if (name.startsWith(API_PREFIX)) {
                        counts.merge(name, 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    /** @return the CAIP-2 chain ids of the registered chain connectors, sorted */
    public List<String> chains() {
        TreeSet<String> ids = new TreeSet<>();
        for (ServiceReference<ChainConnector> ref : connectors) {
            Object chain = ref.getProperty(ChainConnector.CHAIN_PROPERTY);
            if (chain != null) {
                ids.add(chain.toString());
            }
        }
        return new ArrayList<>(ids);
    }
}
