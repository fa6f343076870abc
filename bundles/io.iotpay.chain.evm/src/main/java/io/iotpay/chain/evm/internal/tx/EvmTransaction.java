package io.iotpay.chain.evm.internal.tx;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.web3j.crypto.Hash;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;
import org.web3j.utils.Numeric;

/**
 * An unsigned EVM transaction, legacy with EIP-155 replay protection or EIP-1559 (type 2), with its signing hash and
 * signed encoding (RLP via web3j {@code rlp}).
 *
 * @param type legacy or EIP-1559
 * @param chainId the chain id bound into the signature
 * @param nonce the sender's nonce
 * @param gasLimit the gas limit
 * @param gasPrice legacy gas price (null for EIP-1559)
 * @param maxPriorityFeePerGas EIP-1559 tip (null for legacy)
 * @param maxFeePerGas EIP-1559 fee cap (null for legacy)
 * @param to recipient, 20 bytes, or null for contract creation
 * @param value value in wei
 * @param data call data (never null)
 */
public record EvmTransaction(Type type, long chainId, BigInteger nonce, BigInteger gasLimit, BigInteger gasPrice,
        BigInteger maxPriorityFeePerGas, BigInteger maxFeePerGas, byte[] to, BigInteger value, byte[] data) {

    /** Transaction envelope types. */
    public enum Type {
        /** Pre-EIP-2718 transaction with EIP-155 chain id in v (BSC and older chains). */
        LEGACY,
        /** EIP-1559 dynamic fee transaction, envelope type 0x02. */
        EIP1559
    }

    /** Validates and copies. */
    public EvmTransaction {
        if (type == null || nonce == null || gasLimit == null || value == null) {
            throw new IllegalArgumentException("transaction type, nonce, gas limit and value are required");
        }
        if (chainId <= 0) {
            throw new IllegalArgumentException("transaction chain id " + chainId + " must be positive");
        }
        if (type == Type.LEGACY && gasPrice == null) {
            throw new IllegalArgumentException("legacy transaction needs a gas price");
        }
        if (type == Type.EIP1559 && (maxFeePerGas == null || maxPriorityFeePerGas == null)) {
            throw new IllegalArgumentException("EIP-1559 transaction needs maxFeePerGas and maxPriorityFeePerGas");
        }
        if (to != null && to.length != 20) {
            throw new IllegalArgumentException("transaction recipient has " + to.length + " bytes, expected 20");
        }
        for (BigInteger v : new BigInteger[] { nonce, gasLimit, value, gasPrice, maxFeePerGas, maxPriorityFeePerGas }) {
            if (v != null && (v.signum() < 0 || v.bitLength() > 256)) {
                throw new IllegalArgumentException("transaction field " + v + " is outside 0..2^256-1");
            }
        }
        to = to == null ? null : to.clone();
        data = data == null ? new byte[0] : data.clone();
    }

    @Override
    public byte[] to() {
        return to == null ? null : to.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** @return the recipient as 0x hex, or null for contract creation */
    public String toHex() {
        return to == null ? null : Numeric.toHexString(to);
    }

    private List<RlpType> fields() {
        List<RlpType> f = new ArrayList<>();
        if (type == Type.EIP1559) {
            f.add(RlpString.create(BigInteger.valueOf(chainId)));
            f.add(RlpString.create(nonce));
            f.add(RlpString.create(maxPriorityFeePerGas));
            f.add(RlpString.create(maxFeePerGas));
            f.add(RlpString.create(gasLimit));
            f.add(to == null ? RlpString.create(new byte[0]) : RlpString.create(to));
            f.add(RlpString.create(value));
            f.add(RlpString.create(data));
            f.add(new RlpList()); // empty access list
        } else {
            f.add(RlpString.create(nonce));
            f.add(RlpString.create(gasPrice));
            f.add(RlpString.create(gasLimit));
            f.add(to == null ? RlpString.create(new byte[0]) : RlpString.create(to));
            f.add(RlpString.create(value));
            f.add(RlpString.create(data));
        }
        return f;
    }

    /** @return the bytes whose Keccak-256 is signed */
    public byte[] signingPayload() {
        List<RlpType> f = fields();
        if (type == Type.LEGACY) {
            f.add(RlpString.create(BigInteger.valueOf(chainId)));
            f.add(RlpString.create(BigInteger.ZERO));
            f.add(RlpString.create(BigInteger.ZERO));
            return RlpEncoder.encode(new RlpList(f));
        }
        return typed(RlpEncoder.encode(new RlpList(f)));
    }

    /** @return Keccak-256 of {@link #signingPayload()}: what the wallet signs */
    public byte[] signingHash() {
        return Hash.sha3(signingPayload());
    }

    /**
     * Encodes the signed transaction for {@code eth_sendRawTransaction}.
     *
     * @param signature 65 bytes r || s || v, v in {27, 28} (or {0, 1})
     * @return the raw transaction
     */
    public byte[] encodeSigned(byte[] signature) {
        if (signature == null || signature.length != 65) {
            throw new IllegalArgumentException("transaction signature must be 65 bytes r||s||v");
        }
        int v = signature[64] & 0xff;
        int recId = v >= 27 ? v - 27 : v;
        if (recId != 0 && recId != 1) {
            throw new IllegalArgumentException("transaction signature recovery id " + v + " is not 0/1/27/28");
        }
        byte[] r = Numeric.toBytesPadded(new BigInteger(1, Arrays.copyOfRange(signature, 0, 32)), 32);
        byte[] s = Numeric.toBytesPadded(new BigInteger(1, Arrays.copyOfRange(signature, 32, 64)), 32);
        List<RlpType> f = fields();
        if (type == Type.LEGACY) {
            f.add(RlpString.create(BigInteger.valueOf(chainId).multiply(BigInteger.TWO)
                    .add(BigInteger.valueOf(35 + recId))));
        } else {
            f.add(RlpString.create(BigInteger.valueOf(recId)));
        }
        f.add(RlpString.create(Numeric.toBigInt(r)));
        f.add(RlpString.create(Numeric.toBigInt(s)));
        byte[] rlp = RlpEncoder.encode(new RlpList(f));
        return type == Type.LEGACY ? rlp : typed(rlp);
    }

    /** @return the transaction hash of the signed encoding */
    public static String hashOf(byte[] rawSigned) {
        return Numeric.toHexString(Hash.sha3(rawSigned));
    }

    private static byte[] typed(byte[] rlp) {
        byte[] out = new byte[rlp.length + 1];
        out[0] = 0x02;
        System.arraycopy(rlp, 0, out, 1, rlp.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvmTransaction t && type == t.type && chainId == t.chainId && nonce.equals(t.nonce)
                && gasLimit.equals(t.gasLimit) && java.util.Objects.equals(gasPrice, t.gasPrice)
                && java.util.Objects.equals(maxFeePerGas, t.maxFeePerGas)
                && java.util.Objects.equals(maxPriorityFeePerGas, t.maxPriorityFeePerGas) && Arrays.equals(to, t.to)
                && value.equals(t.value) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(type, chainId, nonce, gasLimit, Arrays.hashCode(to), value, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "EvmTransaction[" + type + " chain=" + chainId + " nonce=" + nonce + " gas=" + gasLimit + " to="
                + toHex() + " value=" + value + " data=" + data.length + " bytes]";
    }
}
