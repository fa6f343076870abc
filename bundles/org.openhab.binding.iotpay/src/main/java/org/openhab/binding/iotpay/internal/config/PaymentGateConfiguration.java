package org.openhab.binding.iotpay.internal.config;

import org.eclipse.jdt.annotation.NonNullByDefault;

/**
 * Configuration of the {@code iotpay:payment-gate} profile.
 */
@NonNullByDefault
public class PaymentGateConfiguration {
    /** Thing UID of the paid socket that guards this plug, e.g. iotpay:paidsocket:home:garage. */
    public String socket = "";
    /** Let ON through while the socket's owner override channel is ON. */
    public boolean honorOwnerOverride = true;
}
