package org.openhab.binding.iotpay.internal.config;

import org.eclipse.jdt.annotation.NonNullByDefault;

/**
 * Configuration of the {@code iotpay:paidsocket} thing (the provider side).
 */
@NonNullByDefault
public class PaidSocketConfiguration {
    /** Device id announced in offers; blank = the thing id. */
    public String deviceId = "";
    /** Price of one unit as a decimal string in the wallet's asset. */
    public String price = "";
    /** kWh or min. */
    public String unit = "kWh";
    /** How far delivery may run ahead of the last voucher, in the wallet's asset. */
    public String creditWindow = "0";
    /** Smallest channel deposit accepted, in the wallet's asset. */
    public String minimumDeposit = "0";
}
