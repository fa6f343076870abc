package io.iotpay.wallet.internal.tx;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

import io.iotpay.api.wallet.EvmTransactionFields;
import io.iotpay.api.wallet.UnsignedTransaction;
import io.iotpay.wallet.internal.crypto.EthAddress;
import io.iotpay.wallet.internal.crypto.Keccak;

/**
 * The signing payload of an EVM transaction, built by the wallet from the whole transaction (security finding H4(a):
 * the wallet never signs a hash a caller computed). RLP by web3j {@code rlp} (embedded privately), Keccak-256 by
 * BouncyCastle.
 * <ul>
 * <li>EIP-1559: {@code 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data,
 * []])};</li>
 * <li>legacy with EIP-155: {@code rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0])}.</li>
 * </ul>
 * A contract creation encodes {@code to} as the empty string.
 */
public final class EvmSigningPayload {

    private static final byte EIP1559_TYPE = 0x02;

    private EvmSigningPayload() {
    }

    /**
     * Builds the payload whose Keccak-256 is signed.
     *
     * @param tx the transaction; its fields must be {@link EvmTransactionFields}
     * @return the payload bytes
     * @throws IllegalArgumentException if the fields are not EVM fields
     */
    public static byte[] payload(UnsignedTransaction tx) {
        if (!(tx.fields() instanceof EvmTransactionFields f)) {
            throw new IllegalArgumentException("transaction fields " + tx.fields().getClass().getSimpleName()
                    + " are not EVM transaction fields");
        }
        RlpString to = tx.to() == null ? RlpString.create(new byte[0])
                : RlpString.create(EthAddress.parse(tx.to().address(), "transaction recipient"));
        RlpString value = RlpString.create(tx.value().units());
        RlpString data = RlpString.create(tx.data());
        BigInteger chainId = BigInteger.valueOf(f.chain().evmChainId());
        List<RlpType> items = new ArrayList<>();
        if (f.type() == EvmTransactionFields.Type.EIP1559) {
            items.add(RlpString.create(chainId));
            items.add(RlpString.create(f.nonce()));
            items.add(RlpString.create(f.maxPriorityFeePerGas()));
            items.add(RlpString.create(f.maxFeePerGas()));
            items.add(RlpString.create(f.gasLimit()));
            items.add(to);
            items.add(value);
            items.add(data);
            items.add(new RlpList()); // access list: always empty
            byte[] rlp = RlpEncoder.encode(new RlpList(items));
            byte[] out = new byte[rlp.length + 1];
            out[0] = EIP1559_TYPE;
            System.arraycopy(rlp, 0, out, 1, rlp.length);
            return out;
        }
        items.add(RlpString.create(f.nonce()));
        items.add(RlpString.create(f.gasPrice()));
        items.add(RlpString.create(f.gasLimit()));
        items.add(to);
        items.add(value);
        items.add(data);
        items.add(RlpString.create(chainId));
        items.add(RlpString.create(BigInteger.ZERO));
        items.add(RlpString.create(BigInteger.ZERO));
        return RlpEncoder.encode(new RlpList(items));
    }

    /**
     * Computes the digest the wallet signs.
     *
     * @param tx the transaction
     * @return Keccak-256 of {@link #payload(UnsignedTransaction)}
     */
    public static byte[] signingHash(UnsignedTransaction tx) {
        return Keccak.keccak256(payload(tx));
    }
}
