package io.iotpay.wallet.internal.policy;

import java.math.BigInteger;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.MeteringUnit;
import io.iotpay.api.money.Price;
import io.iotpay.api.wallet.SpendingPolicy;

/** JSON form of {@link SpendingPolicy} for the wallet's {@code policies.json} (amounts in base units, exact). */
public final class PolicyJson {
    private PolicyJson() {
    }

    public static ObjectNode write(ObjectMapper m, SpendingPolicy p) {
        ObjectNode n = m.createObjectNode();
        Asset a = p.asset();
        ObjectNode asset = n.putObject("asset");
        asset.put("chain", a.chain().toString());
        asset.put("token", a.token());
        asset.put("decimals", a.decimals());
        asset.put("symbol", a.symbol());
        n.put("perSessionLimit", units(p.perSessionLimit()));
        n.put("perDayLimit", units(p.perDayLimit()));
        ObjectNode payees = n.putObject("perPayeeDailyLimit");
        p.perPayeeDailyLimit().forEach((k, v) -> payees.put(k.toString(), units(v)));
        if (p.maxUnitPrice() != null) {
            ObjectNode price = n.putObject("maxUnitPrice");
            price.put("units", units(p.maxUnitPrice().amount()));
            price.put("unit", p.maxUnitPrice().unit().name());
        }
        p.allowedPayees().forEach(x -> n.withArray("allowedPayees").add(x.toString()));
        n.put("approvalThreshold", units(p.approvalThreshold()));
        n.put("dayZone", p.dayZone().getId());
        return n;
    }

    public static SpendingPolicy read(JsonNode n) {
        JsonNode a = n.get("asset");
        Asset asset = new Asset(ChainId.parse(a.get("chain").asText()),
                a.hasNonNull("token") ? a.get("token").asText() : null, a.get("decimals").asInt(),
                a.get("symbol").asText());
        Map<AccountId, Amount> payees = new LinkedHashMap<>();
        if (n.has("perPayeeDailyLimit")) {
            n.get("perPayeeDailyLimit").fields()
                    .forEachRemaining(e -> payees.put(AccountId.parse(e.getKey()), amount(e.getValue(), asset)));
        }
        Price max = null;
        if (n.hasNonNull("maxUnitPrice")) {
            max = Price.of(amount(n.get("maxUnitPrice").get("units"), asset),
                    MeteringUnit.valueOf(n.get("maxUnitPrice").get("unit").asText()));
        }
        Set<AccountId> allowed = new LinkedHashSet<>();
        if (n.has("allowedPayees")) {
            n.get("allowedPayees").forEach(x -> allowed.add(AccountId.parse(x.asText())));
        }
        return new SpendingPolicy(amount(n.get("perSessionLimit"), asset), amount(n.get("perDayLimit"), asset), payees,
                max, allowed, amount(n.get("approvalThreshold"), asset), ZoneId.of(n.get("dayZone").asText()));
    }

    private static String units(Amount a) {
        return a == null ? null : a.units().toString();
    }

    private static Amount amount(JsonNode n, Asset asset) {
        return n == null || n.isNull() ? null : Amount.ofUnits(new BigInteger(n.asText()), asset);
    }
}
