package org.openhab.binding.iotpay.internal.config;

import org.eclipse.jdt.annotation.NonNullByDefault;

/**
 * Configuration of the {@code iotpay:wallet} bridge. Money values are decimal strings in the chain's native asset
 * (never floating point); blank means "not set".
 */
@NonNullByDefault
public class WalletConfiguration {
    /** Alias or address of an account held by the IOTPAY wallet. */
    public String account = "";
    /** CAIP-2 chain id, e.g. eip155:31337 (devnet) or eip155:56 (BSC). */
    public String network = "eip155:31337";
    /** Seconds between balance and chain status refreshes. */
    public int refreshInterval = 60;
    public String perDayLimit = "";
    public String perSessionLimit = "";
    public String maxUnitPrice = "";
    /** Comma separated CAIP-10 accounts or addresses on the network; blank = any payee. */
    public String allowedPayees = "";
    public String approvalThreshold = "";
}
