package io.iotpay.api.channel;

/**
 * Whiteboard service notified of session events. Called on an engine thread; must return quickly and not throw.
 */
@FunctionalInterface
public interface SessionListener {

    /**
     * Called for each session event.
     *
     * @param event the event
     */
    void onSessionEvent(SessionEvent event);
}
