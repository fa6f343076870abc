package io.iotpay.api.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AssetTest {

    private static final String TOKEN = "0x55d398326f99059fF775485246999027B3197955";

    @Test
    void constants() {
        assertEquals(ChainId.DEVNET, Asset.DEVNET_ETH.chain());
        assertNull(Asset.DEVNET_ETH.token());
        assertEquals(18, Asset.DEVNET_ETH.decimals());
        assertEquals("ETH", Asset.DEVNET_ETH.symbol());
        assertEquals(ChainId.BSC, Asset.BNB.chain());
        assertEquals("BNB", Asset.BNB.symbol());
        assertTrue(Asset.BNB.isNative());
    }

    @Test
    void tokenAddressNormalisedAndValidated() {
        Asset usdt = Asset.token(ChainId.BSC, TOKEN, 18, "USDT");
        assertFalse(usdt.isNative());
        assertEquals(TOKEN.toLowerCase(), usdt.token());
        assertEquals(AccountId.of(ChainId.BSC, TOKEN), usdt.tokenContract());
        assertThrows(IllegalStateException.class, Asset.BNB::tokenContract);
        assertThrows(IllegalArgumentException.class, () -> Asset.token(ChainId.BSC, "0x1234", 18, "USDT"));
        assertThrows(NullPointerException.class, () -> Asset.token(ChainId.BSC, null, 18, "USDT"));
    }

    @ParameterizedTest
    @ValueSource(ints = { -1, 78, 1000 })
    void decimalsOutOfRange(int decimals) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Asset.nativeCoin(ChainId.BSC, decimals, "BNB"));
        assertTrue(e.getMessage().contains(Integer.toString(decimals)) && e.getMessage().contains("0..77"));
    }

    @Test
    void decimalsBounds() {
        assertEquals(0, Asset.nativeCoin(ChainId.BSC, 0, "X").decimals());
        assertEquals(77, Asset.nativeCoin(ChainId.BSC, 77, "X").decimals());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "TWELVECHARSX", "US DT", "$", "ÄTH" })
    void badSymbols(String symbol) {
        assertThrows(IllegalArgumentException.class, () -> Asset.nativeCoin(ChainId.BSC, 18, symbol));
    }

    @Test
    void goodSymbols() {
        assertEquals("USDC.e", Asset.nativeCoin(ChainId.BSC, 6, "USDC.e").symbol());
        assertEquals("a-1", Asset.nativeCoin(ChainId.BSC, 6, "a-1").symbol());
        assertThrows(IllegalArgumentException.class, () -> Asset.nativeCoin(ChainId.BSC, 6, null));
    }

    @Test
    void caip19RoundTrip() {
        Asset usdt = Asset.token(ChainId.BSC, TOKEN, 18, "USDT");
        assertEquals("eip155:56/erc20:" + TOKEN.toLowerCase(), usdt.toCaip19());
        assertEquals(usdt, Asset.parseCaip19(usdt.toCaip19(), 18, "USDT"));
        assertEquals("eip155:56/native", Asset.BNB.toCaip19());
        assertEquals(Asset.BNB, Asset.parseCaip19("eip155:56/native", 18, "BNB"));
        Asset tz = Asset.token(ChainId.TEZOS_MAINNET, "KT1PWx2mnDueood7fEmfbBDKx1D9BAnnXitn", 6, "USDt");
        assertEquals("tezos:NetXdQprcVkpaWU/fa1.2:KT1PWx2mnDueood7fEmfbBDKx1D9BAnnXitn", tz.toCaip19());
        assertEquals(tz, Asset.parseCaip19(tz.toCaip19(), 6, "USDt"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "eip155:56", "eip155:56/", "eip155:56/erc20", "eip155:56/fa1.2:" + TOKEN,
            "eip155:56/erc20:0x12", "eip155:56/native/x", "eip155/56/native", "eip155:056/native" })
    void caip19Malformed(String s) {
        assertThrows(IllegalArgumentException.class, () -> Asset.parseCaip19(s, 18, "X"));
    }
}
