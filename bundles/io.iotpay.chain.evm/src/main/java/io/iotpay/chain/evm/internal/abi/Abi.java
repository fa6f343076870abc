package io.iotpay.chain.evm.internal.abi;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** Small helpers over web3j {@code abi}: call data from a canonical signature, return decoding, 32-byte words. */
public final class Abi {

    private Abi() {
    }

    /** @return the 4-byte selector of a canonical signature such as {@code "claim(address,uint256)"} */
    public static byte[] selector(String signature) {
        return Arrays.copyOf(Hash.sha3(signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 4);
    }

    /** @return selector followed by the ABI encoding of the arguments */
    public static byte[] call(String signature, Type<?>... args) {
        String params = FunctionEncoder.encodeConstructor(List.of(args));
        return Numeric.hexStringToByteArray(Numeric.toHexStringNoPrefix(selector(signature)) + params);
    }

    /** @return the ABI encoding of the arguments (no selector), e.g. constructor arguments */
    public static byte[] encode(Type<?>... args) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(List.of(args)));
    }

    /** Decodes return data. */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    public static List<Type> decode(String hex, TypeReference<?>... outputs) {
        return FunctionReturnDecoder.decode(hex, (List) List.of(outputs));
    }

    /** @return an ABI address */
    public static Address address(String hex) {
        return new Address(hex);
    }

    /** @return an ABI uint256 */
    public static Uint256 uint(BigInteger v) {
        return new Uint256(v);
    }

    /** @return an ABI uint256 */
    public static Uint256 uint(long v) {
        return new Uint256(BigInteger.valueOf(v));
    }

    /** @return an ABI uint8 */
    public static Uint8 uint8(int v) {
        return new Uint8(BigInteger.valueOf(v));
    }

    /** @return an ABI bytes32 */
    public static Bytes32 bytes32(byte[] v) {
        if (v.length != 32) {
            throw new IllegalArgumentException("expected 32 bytes, got " + v.length);
        }
        return new Bytes32(v.clone());
    }

    /** @return the 32-byte big-endian word of a non-negative integer */
    public static byte[] word(BigInteger v) {
        return Numeric.toBytesPadded(v, 32);
    }

    /** @return the 32-byte left-padded word of a 20-byte address */
    public static byte[] word(String address) {
        return Numeric.toBytesPadded(Numeric.toBigInt(address), 32);
    }

    /** @return Keccak-256 of the concatenation */
    public static byte[] keccak(byte[]... parts) {
        int len = 0;
        for (byte[] p : parts) {
            len += p.length;
        }
        byte[] all = new byte[len];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, off, p.length);
            off += p.length;
        }
        return Hash.sha3(all);
    }

    /** @return Keccak-256 of the UTF-8 bytes */
    public static byte[] keccak(String text) {
        return Hash.sha3(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
