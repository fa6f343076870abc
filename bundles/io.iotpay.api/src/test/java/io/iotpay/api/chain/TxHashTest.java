package io.iotpay.api.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TxHashTest {

    private static final String H = "0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b";

    @Test
    void evmHashIsLowerCased() {
        TxHash t = TxHash.of(ChainId.ETHEREUM, H.toUpperCase().replace("0X", "0x"));
        assertEquals(H, t.hash());
        assertEquals(TxHash.of(ChainId.ETHEREUM, H), t);
        assertEquals("eip155:1/tx/" + H, t.toString());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", "0x", "88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b",
            "0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944",
            "0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944bb",
            "0xg8df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b" })
    void rejectsBadEvmHashes(String h) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TxHash.of(ChainId.BSC, h));
        assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
    }

    @Test
    void tezosOperationHash() {
        String op = "ooVTFf7JHkXLgTA3iwNL6xJCqYJTFmRPxEn6hyZgqPBtGqSeYNu";
        assertEquals(op, TxHash.of(ChainId.TEZOS_MAINNET, op).hash());
        assertThrows(IllegalArgumentException.class, () -> TxHash.of(ChainId.TEZOS_MAINNET, "oo VT"));
        assertThrows(IllegalArgumentException.class, () -> TxHash.of(ChainId.TEZOS_MAINNET, ""));
        assertThrows(NullPointerException.class, () -> TxHash.of(null, H));
    }
}
