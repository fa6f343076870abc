package org.openhab.binding.iotpay.internal;

import org.eclipse.jdt.annotation.NonNullByDefault;

import io.iotpay.api.channel.SessionEvent;

/**
 * A handler that follows session events of the channel engine; the handler factory routes every event to every
 * sink and each sink keeps the ones that concern it.
 */
@NonNullByDefault
public interface SessionEventSink {
    void onSessionEvent(SessionEvent event);
}
