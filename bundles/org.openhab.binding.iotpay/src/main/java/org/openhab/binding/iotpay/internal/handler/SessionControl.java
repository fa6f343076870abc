package org.openhab.binding.iotpay.internal.handler;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;

import io.iotpay.api.channel.SessionSnapshot;

/**
 * What rule actions and the {@code control} channel can do with a thing's session. Every method returns the engine's
 * new snapshot, or throws: {@link IllegalStateException} when there is nothing to act on, the engine's own exceptions
 * (ProtocolException, SpendingRefusedException, ChainException) when it refuses.
 */
@NonNullByDefault
public interface SessionControl {
    SessionSnapshot start();

    SessionSnapshot pause();

    SessionSnapshot resume();

    SessionSnapshot stop();

    @Nullable
    SessionSnapshot current();
}
