package io.iotpay.wallet.internal.shell;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.Price;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.SpendingPolicy;

/**
 * {@code iotpay:wallet-policy-set}: changes settings of an account's policy; amounts are decimals in the policy's
 * asset ("0.5"), "none" removes an optional limit. Settings not given stay as they are.
 */
@Service
@Command(scope = "iotpay", name = "wallet-policy-set", description = "Sets the spending policy of an account")
public class WalletPolicySetCommand extends WalletCommand {
    @Argument(index = 0, name = "account", description = "alias or address", required = true)
    String alias;

    @Option(name = "--day", description = "per-day limit, e.g. 0.5")
    String day;

    @Option(name = "--session", description = "per-session limit or none")
    String session;

    @Option(name = "--approval-above", description = "approval threshold or none")
    String approval;

    @Option(name = "--max-price", description = "maximum unit price, e.g. \"0.0003 ETH/kWh\", or none")
    String maxPrice;

    @Option(name = "--allow", description = "allowed payee (CAIP-10); repeat; \"any\" clears the list",
            multiValued = true)
    List<String> allow;

    @Option(name = "--payee-day", description = "per-payee daily limit as <CAIP-10>=<amount>; repeat",
            multiValued = true)
    List<String> payeeDay;

    @Option(name = "--zone", description = "time zone of the daily reset, e.g. Europe/Berlin")
    String zone;

    @Override
    public Object execute() {
        AccountInfo a = account(alias);
        SpendingPolicy p = wallet.policy(a.account());
        Asset asset = p.asset();
        Amount perDay = day != null ? Amount.parse(day, asset) : p.perDayLimit();
        Amount perSession = session != null ? opt(session, asset) : p.perSessionLimit();
        Amount threshold = approval != null ? opt(approval, asset) : p.approvalThreshold();
        Price price = maxPrice != null ? ("none".equals(maxPrice) ? null : Price.parse(maxPrice, asset))
                : p.maxUnitPrice();
        Set<AccountId> allowed = new LinkedHashSet<>(p.allowedPayees());
        if (allow != null) {
            allowed.clear();
            for (String s : allow) {
                if (!"any".equals(s)) {
                    allowed.add(AccountId.parse(s));
                }
            }
        }
        Map<AccountId, Amount> perPayee = new LinkedHashMap<>(p.perPayeeDailyLimit());
        if (payeeDay != null) {
            for (String s : payeeDay) {
                int eq = s.lastIndexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("--payee-day \"" + s + "\": expected <CAIP-10>=<amount>");
                }
                perPayee.put(AccountId.parse(s.substring(0, eq)), Amount.parse(s.substring(eq + 1), asset));
            }
        }
        ZoneId z = zone != null ? ZoneId.of(zone) : p.dayZone();
        SpendingPolicy updated = new SpendingPolicy(perSession, perDay, perPayee, price, allowed, threshold, z);
        wallet.setPolicy(a.account(), updated);
        WalletPolicyCommand.print(a, wallet.policy(a.account()), out);
        return null;
    }

    private static Amount opt(String s, Asset asset) {
        return "none".equals(s) ? null : Amount.parse(s, asset);
    }
}
