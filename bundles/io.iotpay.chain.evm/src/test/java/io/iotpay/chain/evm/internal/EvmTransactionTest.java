package io.iotpay.chain.evm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

import io.iotpay.chain.evm.internal.abi.Secp256k1;
import io.iotpay.chain.evm.internal.tx.EvmTransaction;

/** Transaction encoding against the published EIP-155 example, and signature recovery. */
class EvmTransactionTest {

    // EIP-155 specification, "Example": nonce 9, gas price 20 gwei, gas 21000, to 0x3535..., value 1 ether, chain 1.
    private static final BigInteger EIP155_KEY = Numeric
            .toBigInt("0x4646464646464646464646464646464646464646464646464646464646464646");

    private static EvmTransaction eip155Example() {
        return new EvmTransaction(EvmTransaction.Type.LEGACY, 1, BigInteger.valueOf(9), BigInteger.valueOf(21000),
                BigInteger.valueOf(20_000_000_000L), null, null,
                Numeric.hexStringToByteArray("0x3535353535353535353535353535353535353535"),
                new BigInteger("1000000000000000000"), new byte[0]);
    }

    @Test
    void legacySigningPayloadAndHashMatchEip155Example() {
        EvmTransaction tx = eip155Example();
        assertEquals("0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080",
                Numeric.toHexString(tx.signingPayload()));
        assertEquals("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53",
                Numeric.toHexString(tx.signingHash()));
    }

    @Test
    void legacySignedEncodingMatchesEip155Example() {
        EvmTransaction tx = eip155Example();
        byte[] sig = TestKeys.sign(EIP155_KEY, tx.signingHash());
        assertEquals("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a0"
                + "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800cc"
                + "f555c9f3dc64214b297fb1966a3b6d83", Numeric.toHexString(tx.encodeSigned(sig)));
    }

    @Test
    void recoversTheSignerAndRejectsHighS() {
        byte[] digest = eip155Example().signingHash();
        byte[] sig = TestKeys.sign(EIP155_KEY, digest);
        assertEquals(TestKeys.address(EIP155_KEY), Secp256k1.recoverAddress(digest, sig));
        assertEquals("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f", TestKeys.address(EIP155_KEY));
        byte[] high = sig.clone();
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
        System.arraycopy(Numeric.toBytesPadded(Secp256k1.CURVE.getN().subtract(s), 32), 0, high, 32, 32);
        high[64] = (byte) (sig[64] == 27 ? 28 : 27);
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.recoverAddress(digest, high));
    }

    @Test
    void eip1559PayloadIsTypedAndRejectsBadFields() {
        EvmTransaction tx = new EvmTransaction(EvmTransaction.Type.EIP1559, 31337, BigInteger.ZERO,
                BigInteger.valueOf(21000), null, BigInteger.ONE, BigInteger.TEN, new byte[20], BigInteger.ONE, null);
        assertEquals(0x02, tx.signingPayload()[0]);
        assertEquals(0x02, tx.encodeSigned(TestKeys.sign(EIP155_KEY, tx.signingHash()))[0]);
        assertThrows(IllegalArgumentException.class, () -> new EvmTransaction(EvmTransaction.Type.EIP1559, 1,
                BigInteger.ZERO, BigInteger.ONE, null, null, null, null, BigInteger.ZERO, null));
        assertThrows(IllegalArgumentException.class, () -> new EvmTransaction(EvmTransaction.Type.LEGACY, 1,
                BigInteger.ONE.negate(), BigInteger.ONE, BigInteger.ONE, null, null, null, BigInteger.ZERO, null));
        assertArrayEquals(new byte[0], tx.data());
    }
}
