package org.openhab.binding.iotpay.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;
import org.openhab.binding.iotpay.internal.handler.PaidSocketHandler;
import org.openhab.core.thing.ThingUID;
import org.osgi.service.component.annotations.Component;

/**
 * The paid socket handlers that are alive, by thing UID. The payment gate profile asks it whether a plug may be
 * switched on. A DS component private to the bundle, shared by the handler factory and the profile factory.
 */
@NonNullByDefault
@Component(service = PaidSocketRegistry.class)
public class PaidSocketRegistry {

    private final Map<ThingUID, PaidSocketHandler> sockets = new ConcurrentHashMap<>();

    public void register(ThingUID uid, PaidSocketHandler handler) {
        sockets.put(uid, handler);
    }

    public void unregister(ThingUID uid, PaidSocketHandler handler) {
        sockets.remove(uid, handler);
    }

    public @Nullable PaidSocketHandler get(ThingUID uid) {
        return sockets.get(uid);
    }
}
