package io.iotpay.api.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccountIdTest {

    // CAIP-10 examples from the CAIP-10 specification text.
    @ParameterizedTest
    @ValueSource(strings = { "eip155:1:0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb",
            "bip122:000000000019d6689c085ae165831e93:128Lkh3S7CkDTBZ8W7BbpsN3YYizJMp8p6",
            "cosmos:cosmoshub-3:cosmos1t2uflqwqe0fsj0shcfkrvpukewcw40yjj6hdc0",
            "polkadot:b0a8d493285c2df73290dfb7e61f870f:5hmuyxw9xdgbpptgypokw4thfyoe3ryenebr381z9iaegmfy",
            "tezos:NetXdQprcVkpaWU:tz1VSUr8wwNhLAzempoch5d6hLRiTh8Cjcjb" })
    void parsesSpecExamples(String s) {
        AccountId a = AccountId.parse(s);
        assertEquals(s, a.toString());
    }

    @Test
    void evmAddressIsLowerCasedAndEqualityIgnoresCase() {
        AccountId mixed = AccountId.parse("eip155:1:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        AccountId lower = AccountId.of(ChainId.ETHEREUM, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        assertEquals("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", mixed.address());
        assertEquals(lower, mixed);
        assertEquals(lower.hashCode(), mixed.hashCode());
        assertNotEquals(lower, AccountId.of(ChainId.BSC, lower.address()));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", "eip155:1", "eip155:1:", ":1:0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb",
            "eip155::0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb",
            "eip155:1:0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcd",
            "eip155:1:0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb0",
            "eip155:1:ab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb00", "eip155:1:0xzb16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb",
            "eip155:01:0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb",
            "eip155:1:0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb:x", "eip155/1/0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb",
            "tezos:NetXdQprcVkpaWU:tz5VSUr8wwNhLAzempoch5d6hLRiTh8Cjcjb",
            "tezos:NetXdQprcVkpaWU:tz1VSUr8wwNhLAzempoch5d6hLRiTh8Cjcj",
            "tezos:NetXdQprcVkpaWU:tz1VSUr8wwNhLAzempoch5d6hLRiTh8Cjcj0",
            "cosmos:cosmoshub-3:cosmos 1", "cosmos:cosmoshub-3:a/b" })
    void rejectsMalformed(String s) {
        assertThrows(IllegalArgumentException.class, () -> AccountId.parse(s));
    }

    @Test
    void genericAddressLengthLimitIs128() {
        ChainId c = ChainId.of("cosmos", "hub");
        assertEquals(128, AccountId.of(c, "a".repeat(128)).address().length());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccountId.of(c, "a".repeat(129)));
        assertTrue(e.getMessage().contains("[-.%a-zA-Z0-9]{1,128}"), e.getMessage());
    }

    @Test
    void messagesNameInputAndExpectation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccountId.of(ChainId.BSC, "0x1234"));
        assertEquals("account address \"0x1234\" on eip155:56 is not an EVM address: expected 0x followed by 40 hex "
                + "digits", e.getMessage());
        assertThrows(NullPointerException.class, () -> AccountId.of(null, "0x1234"));
    }

    @Test
    void tezosKt1Accepted() {
        AccountId a = AccountId.of(ChainId.TEZOS_MAINNET, "KT1PWx2mnDueood7fEmfbBDKx1D9BAnnXitn");
        assertEquals("tezos:NetXdQprcVkpaWU:KT1PWx2mnDueood7fEmfbBDKx1D9BAnnXitn", a.toString());
    }
}
