package io.iotpay.wallet.internal.tezos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.iotpay.wallet.internal.TestResources;
import io.iotpay.wallet.internal.keys.Bip39;
import io.iotpay.wallet.internal.keys.DerivationPath;
import io.iotpay.wallet.internal.keys.Slip10Ed25519;

class TezosTest {
    private final JsonNode v = TestResources.json("tezos-taquito-vector.json");

    @Test
    void addressAndPublicKeyOfTheSandboxKey() {
        byte[] seed = Tezos.decodeEdskSeed(v.get("edskSeed").asText());
        byte[] pk = Tezos.publicKey(seed);
        assertEquals(v.get("tz1").asText(), Tezos.tz1(pk));
        assertEquals(v.get("edpk").asText(), Tezos.edpk(pk));
    }

    @Test
    void signatureMatchesTaquitoAndVerifies() {
        byte[] seed = Tezos.decodeEdskSeed(v.get("edskSeed").asText());
        byte[] bytes = Hex.decode(v.get("bytes").asText());
        byte[] sig = Tezos.sign(seed, (byte) v.get("watermark").asInt(), bytes);
        assertEquals(v.get("signature").asText(), Hex.toHexString(sig));
        assertEquals(v.get("edsig").asText(), Tezos.edsig(sig));
        byte[] pk = Tezos.publicKey(seed);
        assertTrue(Tezos.verify(pk, Tezos.WATERMARK_MICHELSON, bytes, sig));
        // another watermark is another message: the signature must not carry over
        assertFalse(Tezos.verify(pk, Tezos.WATERMARK_OPERATION, bytes, sig));
        bytes[0] ^= 1;
        assertFalse(Tezos.verify(pk, Tezos.WATERMARK_MICHELSON, bytes, sig));
    }

    @Test
    void householdSeedDerivesDistinctTezosAccounts() {
        byte[] seed = Bip39.toSeed("test test test test test test test test test test test junk", "");
        Slip10Ed25519.Node m = Slip10Ed25519.master(seed);
        String a0 = Tezos.tz1(m.derive(DerivationPath.tezos(0)).publicKey());
        String a1 = Tezos.tz1(m.derive(DerivationPath.tezos(1)).publicKey());
        assertTrue(a0.startsWith("tz1") && a0.length() == 36, a0);
        assertFalse(a0.equals(a1));
        assertArrayEquals(m.derive(DerivationPath.tezos(0)).publicKey(), m.derive(DerivationPath.tezos(0)).publicKey());
    }
}
