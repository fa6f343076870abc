package org.openhab.binding.iotpay.internal.config;

import org.eclipse.jdt.annotation.NonNullByDefault;

/**
 * Configuration of the {@code iotpay:purchase} thing (the consumer side).
 */
@NonNullByDefault
public class PurchaseConfiguration {
    /** The provider's IOTPAY endpoint, e.g. http://192.168.1.20:8181/iotpay/offers/plug1. */
    public String providerUrl = "";
    /** The most this purchase may spend, decimal in the wallet's asset. */
    public String budget = "";
    /** The highest accepted price per unit, decimal in the wallet's asset. */
    public String maxPrice = "";
    /** kWh or min. */
    public String unit = "kWh";
    /** Seconds between offer and session refreshes. */
    public int refreshInterval = 60;
}
