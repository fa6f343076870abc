package io.iotpay.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's demo of the README: one runtime with its devnet, {@code iotpay:demo} makes two identities of that
 * runtime buy and sell 2 simulated minutes of a 2 kW plug over the node's own peer endpoint and settle on chain; the
 * printed final line shows the claimed amount read back from the chain, equal to energy x price rounded down.
 */
class DemoIT {

    private static final BigInteger PRICE_WEI_PER_KWH = new BigInteger("300000000000000000"); // 0.3 ETH/kWh
    private static final BigInteger MWH_PER_KWH = BigInteger.valueOf(1_000_000);
    private static final Pattern FINAL = Pattern.compile(
            "Settled: \\S+ kWh \\((\\d+) mWh\\) x 0\\.3 ETH/kWh = \\S+ ETH \\((\\d+)\\); claimed on chain \\S+ ETH"
                    + " \\((\\d+)\\)");

    private static IotpayRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = IotpayRuntime.start("demo", Map.of());
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void demoRunsAPaidSessionBetweenTwoIdentitiesAndTheClaimEqualsEnergyTimesPrice() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> runtime.execute("iotpay:demo --chain eip155:1"));
        assertTrue(refused.getMessage().contains("devnet"), refused.getMessage());

        runtime.await("the devnet chain eip155:31337 is registered", Duration.ofSeconds(120),
                () -> runtime.get("/iotpay/api/status").body().contains("\"eip155:31337\""));
        String out = runtime.execute("iotpay:demo --minutes 2");
        System.out.println(out); // what a newcomer sees at the console
        Matcher m = FINAL.matcher(out);
        assertTrue(m.find(), out);
        BigInteger energy = new BigInteger(m.group(1));
        BigInteger owed = new BigInteger(m.group(2));
        BigInteger claimed = new BigInteger(m.group(3));
        assertTrue(energy.compareTo(BigInteger.valueOf(66_666)) >= 0, "2 simulated minutes of 2 kW: " + out);
        assertEquals(PRICE_WEI_PER_KWH.multiply(energy).divide(MWH_PER_KWH), owed, "energy x price, floor: " + out);
        assertEquals(owed, claimed, "claimed on chain = energy x price rounded down: " + out);
        assertTrue(out.contains("; MATCH"), out);
        assertTrue(out.contains("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"), out);
        assertTrue(out.contains("paid (latest voucher)"), "live lines: " + out);

        // a second run reuses the accounts (and may reuse the channel): it still settles exactly its own session
        String again = runtime.execute("iotpay:demo --minutes 1");
        System.out.println(again);
        Matcher m2 = FINAL.matcher(again);
        assertTrue(m2.find(), again);
        assertEquals(PRICE_WEI_PER_KWH.multiply(new BigInteger(m2.group(1))).divide(MWH_PER_KWH),
                new BigInteger(m2.group(3)), again);
    }
}
