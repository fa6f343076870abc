package io.iotpay.api.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChainIdTest {

    @ParameterizedTest
    @ValueSource(strings = { "eip155:1", "eip155:56", "eip155:11155111", "tezos:NetXdQprcVkpaWU",
            "cosmos:cosmoshub-3", "bip122:000000000019d6689c085ae165831e93", "abc:a", "ab-cd123:A_b-9",
            "eip155:9223372036854775807" })
    void parsesAndPrintsValidIds(String s) {
        ChainId id = ChainId.parse(s);
        assertEquals(s, id.toString());
        assertEquals(id, ChainId.of(id.namespace(), id.reference()));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", ":", "eip155", "eip155:", ":1", "eip155;1", "eip155/1", "eip155:1:2", "eip155 :1",
            "ab:1", "toolongns:1", "EIP155:1", "eip_155:1", "eip155:1 ", "tezos:Net.Xd", "tezos:a/b",
            "tezos:0123456789012345678901234567890123", "eip155:01", "eip155:0", "eip155:-1", "eip155:1a",
            "eip155:0x38", "eip155:9223372036854775808", "eip155:99999999999999999999" })
    void rejectsMalformed(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChainId.parse(s));
        assertTrue(e.getMessage().contains("chain id"), e.getMessage());
    }

    @Test
    void messageNamesInputAndExpectation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChainId.parse("eip155"));
        assertEquals("chain id \"eip155\" is not CAIP-2: expected <namespace>:<reference>, namespace [-a-z0-9]{3,8}, "
                + "reference [-_a-zA-Z0-9]{1,32}", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChainId.parse("eip155:007"));
        assertTrue(e.getMessage().contains("eip155:007") && e.getMessage().contains("leading zero"), e.getMessage());
    }

    @Test
    void referenceLengthLimitIs32() {
        String ref32 = "a".repeat(32);
        assertEquals(ref32, ChainId.of("tezos", ref32).reference());
        assertThrows(IllegalArgumentException.class, () -> ChainId.of("tezos", ref32 + "a"));
    }

    @Test
    void constantsMatchSpec() {
        assertEquals("eip155:31337", ChainId.DEVNET.toString());
        assertEquals("eip155:56", ChainId.BSC.toString());
        assertEquals("eip155:97", ChainId.BSC_TESTNET.toString());
        assertEquals("eip155:1", ChainId.ETHEREUM.toString());
        assertEquals("eip155:11155111", ChainId.SEPOLIA.toString());
        assertEquals("eip155:137", ChainId.POLYGON.toString());
        assertEquals("eip155:100", ChainId.GNOSIS.toString());
        assertEquals("tezos:NetXdQprcVkpaWU", ChainId.TEZOS_MAINNET.toString());
    }

    @Test
    void evmAccessors() {
        assertTrue(ChainId.BSC.isEvm());
        assertEquals(56L, ChainId.BSC.evmChainId());
        assertEquals(ChainId.BSC, ChainId.eip155(56));
        assertFalse(ChainId.TEZOS_MAINNET.isEvm());
        IllegalStateException e = assertThrows(IllegalStateException.class, ChainId.TEZOS_MAINNET::evmChainId);
        assertTrue(e.getMessage().contains("tezos:NetXdQprcVkpaWU"));
        assertThrows(IllegalArgumentException.class, () -> ChainId.eip155(0));
        assertThrows(IllegalArgumentException.class, () -> ChainId.eip155(-5));
    }

    @Test
    void longInputIsShortenedInMessage() {
        String huge = "x".repeat(10_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChainId.parse(huge));
        assertTrue(e.getMessage().length() < 400, "message length " + e.getMessage().length());
    }
}
