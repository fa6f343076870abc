package io.iotpay.api.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ChainRecordsTest {

    private static final TxHash TX = TxHash.of(ChainId.DEVNET,
            "0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b");
    private static final AccountId CONTRACT = AccountId.of(ChainId.DEVNET, "0x5fbdb2315678afecb367f032d93f642f64180aa3");

    @Test
    void txReceiptRejectsNegatives() {
        new TxReceipt(TX, 0, "0x00", true, BigInteger.ZERO, 0);
        assertThrows(IllegalArgumentException.class, () -> new TxReceipt(TX, -1, "0x00", true, BigInteger.ONE, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new TxReceipt(TX, 1, "0x00", true, BigInteger.valueOf(-1), 1));
        assertThrows(IllegalArgumentException.class, () -> new TxReceipt(TX, 1, "0x00", true, BigInteger.ONE, -1));
        assertThrows(NullPointerException.class, () -> new TxReceipt(null, 1, "0x00", true, BigInteger.ONE, 1));
    }

    @Test
    void chainStatusAndCursor() {
        assertEquals(-1, new ChainStatus(ChainId.BSC, false, -1, Instant.EPOCH, "down").headBlock());
        assertThrows(IllegalArgumentException.class, () -> new ChainStatus(ChainId.BSC, false, -2, Instant.EPOCH, ""));
        assertThrows(IllegalArgumentException.class, () -> new BlockCursor(-1, "0x"));
        assertThrows(NullPointerException.class, () -> new BlockCursor(1, null));
    }

    @Test
    void chainEventCopiesFieldsAndChecksChain() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("amount", BigInteger.TEN);
        fields.put("note", null);
        ChainEvent e = new ChainEvent(ChainId.DEVNET, CONTRACT, "Claimed", 5, "0xab", TX.hash(), 0, fields, false);
        fields.put("amount", BigInteger.ONE);
        assertEquals(BigInteger.TEN, e.fields().get("amount"));
        assertNull(e.fields().get("note"));
        assertThrows(UnsupportedOperationException.class, () -> e.fields().put("x", 1));
        assertThrows(IllegalArgumentException.class,
                () -> new ChainEvent(ChainId.BSC, CONTRACT, "Claimed", 5, "0xab", TX.hash(), 0, Map.of(), false));
        assertThrows(IllegalArgumentException.class,
                () -> new ChainEvent(ChainId.DEVNET, CONTRACT, "Claimed", 5, "0xab", TX.hash(), -1, Map.of(), false));
    }

    @Test
    void anchorCopiesRootAndComparesByContent() {
        byte[] root = new byte[32];
        root[0] = 7;
        Anchor a = new Anchor(1, root, 3, 10, Instant.EPOCH, TX);
        root[0] = 8;
        assertEquals(7, a.root()[0]);
        a.root()[0] = 9;
        assertEquals(7, a.root()[0]);
        byte[] same = new byte[32];
        same[0] = 7;
        Anchor b = new Anchor(1, same, 3, 10, Instant.EPOCH, TX);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new Anchor(2, same, 3, 10, Instant.EPOCH, TX));
        assertTrue(a.toString().contains("0x07000000"), a.toString());
        assertArrayEquals(same, b.root());
        assertThrows(IllegalArgumentException.class, () -> new Anchor(1, new byte[31], 3, 10, Instant.EPOCH, TX));
        assertThrows(IllegalArgumentException.class, () -> new Anchor(1, new byte[32], 0, 10, Instant.EPOCH, TX));
        assertThrows(IllegalArgumentException.class, () -> new Anchor(-1, new byte[32], 1, 10, Instant.EPOCH, TX));
    }

    @Test
    void exceptionsCarryChainAndDetails() {
        ChainMismatchException m = new ChainMismatchException(ChainId.BSC, ChainId.ETHEREUM);
        assertEquals(ChainId.BSC, m.chain());
        assertEquals(ChainId.ETHEREUM, m.actual());
        assertTrue(m.getMessage().contains("eip155:1") && m.getMessage().contains("eip155:56"));
        TransactionRevertedException r = new TransactionRevertedException(ChainId.DEVNET, TX, "VoucherTooLow()");
        assertEquals(TX, r.tx());
        assertEquals("VoucherTooLow()", r.reason());
        assertTrue(r.getMessage().contains(TX.hash()));
        assertTrue(new TransactionRevertedException(ChainId.DEVNET, null, "x").getMessage().contains("simulation"));
        ChainException c = new ChainUnavailableException(ChainId.BSC, "timeout");
        assertEquals(ChainId.BSC, c.chain());
        assertTrue(new InsufficientFundsException(ChainId.BSC, "x") instanceof ChainException);
        assertTrue(new GasLimitExceededException(ChainId.BSC, "x") instanceof ChainException);
        assertThrows(NullPointerException.class, () -> new ChainException(null, "x"));
    }
}
