package org.openhab.binding.iotpay.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;

import io.iotpay.api.chain.ChainConnector;
import io.iotpay.api.chain.ChainId;

/**
 * The chain connectors currently registered in the OSGi service registry, keyed by CAIP-2 chain id. Connectors come
 * and go (bundle stopped, upgraded, replaced); listeners hear about every change so wallet bridges can go OFFLINE
 * and back ONLINE on their own.
 */
@NonNullByDefault
public class ChainConnectors {

    /** Told when the connector of a chain appears, disappears or is replaced. */
    @FunctionalInterface
    public interface Listener {
        void connectorChanged(ChainId chain);
    }

    private final Map<ChainId, ChainConnector> connectors = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * Adds a connector. The chain is taken from the service property {@link ChainConnector#CHAIN_PROPERTY} when
     * present, else from the connector itself.
     */
    public void add(ChainConnector connector, Map<String, Object> properties) {
        ChainId chain = chainOf(connector, properties);
        connectors.put(chain, connector);
        listeners.forEach(l -> l.connectorChanged(chain));
    }

    /** Removes a connector (only if it is still the one registered for its chain). */
    public void remove(ChainConnector connector, Map<String, Object> properties) {
        ChainId chain = chainOf(connector, properties);
        if (connectors.remove(chain, connector)) {
            listeners.forEach(l -> l.connectorChanged(chain));
        }
    }

    public @Nullable ChainConnector get(ChainId chain) {
        return connectors.get(chain);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    private static ChainId chainOf(ChainConnector connector, Map<String, Object> properties) {
        Object property = properties.get(ChainConnector.CHAIN_PROPERTY);
        if (property instanceof String s && !s.isBlank()) {
            return ChainId.parse(s);
        }
        return connector.chainId();
    }
}
