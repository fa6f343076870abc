package io.iotpay.channel.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.money.Price;
import io.iotpay.channel.internal.testing.TestKey;

class DemoPlanTest {

    private static final Asset ETH = Asset.DEVNET_ETH;
    private static final Price PRICE = DemoPlan.price(ETH);

    @Test
    void demoKeysAreAnvilsDevelopmentAccountsOneAndTwo() {
        // addresses anvil prints for "test test ... junk", m/44'/60'/0'/0/1 and /2
        assertEquals("0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
                TestKey.fromHex(DemoPlan.SELLER_KEY, ChainId.DEVNET).account().address().toLowerCase());
        assertEquals("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
                TestKey.fromHex(DemoPlan.BUYER_KEY, ChainId.DEVNET).account().address().toLowerCase());
        assertEquals(DemoPlan.SELLER_ADDRESS, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
        assertEquals(DemoPlan.BUYER_ADDRESS, "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
    }

    @Test
    void refusesEveryChainButTheDevnetAndTheDevnetBeforeItIsRegistered() {
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> DemoPlan.checkChain(ChainId.parse("eip155:1"), true));
        assertTrue(other.getMessage().contains("PUBLIC"), other.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DemoPlan.checkChain(ChainId.parse("eip155:56"), true));
        IllegalStateException early = assertThrows(IllegalStateException.class,
                () -> DemoPlan.checkChain(ChainId.DEVNET, false));
        assertTrue(early.getMessage().contains("not registered yet"), early.getMessage());
        DemoPlan.checkChain(ChainId.DEVNET, true);
    }

    @Test
    void engineGetsThePlugsClockSpeedAndTheSellerOnlyWhenNoProviderIsConfigured() {
        assertEquals(Map.of("clockSpeed", 60L, "providerAccount", "demo-seller"), DemoPlan.engineChanges(null));
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("clockSpeed", "60");
        cfg.put("providerAccount", "demo-seller");
        cfg.put("tickMs", "500");
        assertEquals(Map.of(), DemoPlan.engineChanges(cfg));
        cfg.put("clockSpeed", 1L);
        assertEquals(Map.of("clockSpeed", 60L), DemoPlan.engineChanges(cfg));
        cfg.put("providerAccount", "  ");
        assertEquals(Map.of("clockSpeed", 60L, "providerAccount", "demo-seller"), DemoPlan.engineChanges(cfg));
        cfg.put("providerAccount", "my-shop");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DemoPlan.engineChanges(cfg));
        assertTrue(e.getMessage().contains("my-shop"), e.getMessage());
        assertEquals(500, DemoPlan.tickMs(cfg));
        assertEquals(1000, DemoPlan.tickMs(Map.of()));
    }

    @Test
    void energyAndCostOfSimulatedMinutes() {
        // 2 kW for 10 min = 1/3 kWh = 333,333 mWh (floor); x 0.3 ETH/kWh = 0.0999999 ETH
        assertEquals(BigInteger.valueOf(333_333), DemoPlan.energyMilliWattHours(10));
        assertEquals(Amount.parse("0.0999999", ETH), DemoPlan.cost(PRICE, 10));
        assertEquals(BigInteger.valueOf(66_666), DemoPlan.energyMilliWattHours(2));
    }

    @Test
    void creditWindowCoversThreeProjectedIntervalsAndBudgetCoversTheSession() {
        // tick 1 s x 60 = 1 simulated minute per interval: 33,333 mWh = 0.0099999 ETH; x3 under the 0.05 floor
        assertEquals(Amount.parse("0.05", ETH), DemoPlan.creditWindow(PRICE, 1000));
        // tick 5 s x 60 = 5 min: 2 kW x 15 min = 0.5 kWh = 0.15 ETH
        assertEquals(Amount.parse("0.15", ETH), DemoPlan.creditWindow(PRICE, 5000));
        Amount credit = DemoPlan.creditWindow(PRICE, 1000);
        Amount budget = DemoPlan.budget(PRICE, 10, credit);
        assertTrue(budget.isGreaterThan(DemoPlan.cost(PRICE, 10).plus(credit)), budget.toString());
        assertEquals(Amount.parse("0.2", ETH), budget); // 15 min = 0.15 ETH + 0.05
    }

    @Test
    void finalLineMatchesOnlyWhenVoucherAndClaimEqualEnergyTimesPriceRoundedDown() {
        BigInteger delivered = BigInteger.valueOf(333_337); // 0.1000011 ETH exactly
        Amount expected = Amount.parse("0.1000011", ETH);
        Amount before = Amount.parse("0.2", ETH);
        DemoPlan.Outcome ok = DemoPlan.outcome(delivered, PRICE, expected, before, before.plus(expected));
        assertTrue(ok.matches());
        assertEquals(expected, ok.claimedInSession());
        assertTrue(ok.finalLine().contains("claimed on chain 0.1000011 ETH (100001100000000000)"), ok.finalLine());
        assertTrue(ok.finalLine().contains("MATCH"), ok.finalLine());
        assertTrue(ok.finalLine().contains("0.333337 kWh (333337 mWh)"), ok.finalLine());

        // a fraction of a base unit is never paid (0.3 ETH/kWh is a whole number of wei per mWh, so an odd price)
        Price odd = Price.parse("0.0000000000000007 ETH/kWh", ETH); // 700 wei/kWh: 1 mWh = 0.0007 wei
        DemoPlan.Outcome floor = DemoPlan.outcome(BigInteger.valueOf(2_999), odd, Amount.ofUnits(2, ETH),
                Amount.zero(ETH), Amount.ofUnits(2, ETH));
        assertEquals(Amount.ofUnits(2, ETH), floor.expected()); // 2.0993 wei rounded down
        assertTrue(floor.matches());

        DemoPlan.Outcome short1 = DemoPlan.outcome(delivered, PRICE, expected, before,
                before.plus(expected).minus(Amount.ofUnits(1, ETH)));
        assertFalse(short1.matches());
        assertTrue(short1.finalLine().contains("MISMATCH"), short1.finalLine());
        DemoPlan.Outcome unpaid = DemoPlan.outcome(delivered, PRICE, expected.minus(Amount.ofUnits(1, ETH)),
                Amount.zero(ETH), expected);
        assertFalse(unpaid.matches());
    }
}
