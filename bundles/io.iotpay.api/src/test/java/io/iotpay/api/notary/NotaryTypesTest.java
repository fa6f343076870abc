package io.iotpay.api.notary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class NotaryTypesTest {

    static byte[] h(int b) {
        byte[] x = new byte[32];
        x[0] = (byte) b;
        return x;
    }

    @Test
    void leafRefCopies() {
        byte[] hash = h(1);
        LeafRef l = new LeafRef("readings", 0, 2, hash);
        hash[0] = 9;
        assertEquals(1, l.leafHash()[0]);
        assertEquals(l, new LeafRef("readings", 0, 2, h(1)));
        assertEquals(l.hashCode(), new LeafRef("readings", 0, 2, h(1)).hashCode());
        assertThrows(IllegalArgumentException.class, () -> new LeafRef("readings", -1, 0, h(1)));
        assertThrows(IllegalArgumentException.class, () -> new LeafRef(" ", 0, 0, h(1)));
        assertThrows(IllegalArgumentException.class, () -> new LeafRef("r", 0, 0, new byte[33]));
    }

    @Test
    void inclusionProofDeepCopies() {
        LeafRef l = new LeafRef("readings", 0, 2, h(1));
        List<byte[]> sib = new ArrayList<>(List.of(h(2), h(3)));
        InclusionProof p = new InclusionProof(l, sib, h(4), 4, null);
        sib.get(0)[0] = 99;
        sib.clear();
        assertEquals(2, p.siblings().size());
        assertEquals(2, p.siblings().get(0)[0]);
        p.siblings().get(0)[0] = 77;
        assertEquals(2, p.siblings().get(0)[0]);
        assertEquals(p, new InclusionProof(l, List.of(h(2), h(3)), h(4), 4, null));
        assertEquals(p.hashCode(), new InclusionProof(l, List.of(h(2), h(3)), h(4), 4, null).hashCode());
        assertNotEquals(p, new InclusionProof(l, List.of(h(2), h(5)), h(4), 4, null));
        assertThrows(IllegalArgumentException.class, () -> new InclusionProof(l, List.of(new byte[31]), h(4), 4,
                null));
        assertThrows(IllegalArgumentException.class, () -> new InclusionProof(l, List.of(), h(4), 2, null));
    }
}
