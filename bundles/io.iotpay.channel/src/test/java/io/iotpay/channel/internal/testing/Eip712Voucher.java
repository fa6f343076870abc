package io.iotpay.channel.internal.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.encoders.Hex;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.channel.internal.protocol.Secp256k1;

/** EIP-712 digest of the IotpayChannels voucher (test double of the EVM settlement scheme's digest). */
public final class Eip712Voucher {

    private static final byte[] DOMAIN_TYPEHASH = Secp256k1.keccak256(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                    .getBytes(StandardCharsets.US_ASCII));
    private static final byte[] VOUCHER_TYPEHASH = Secp256k1.keccak256(
            "Voucher(bytes32 channelId,uint256 cumulativeAmount)".getBytes(StandardCharsets.US_ASCII));

    private static final byte[] CLOSE_TYPEHASH = Secp256k1.keccak256(
            "CloseIntent(bytes32 channelId,uint256 finalAmount)".getBytes(StandardCharsets.US_ASCII));

    private Eip712Voucher() {
    }

    public static byte[] digest(AccountId contract, ChannelId channel, BigInteger cumulative) {
        return typed(contract, VOUCHER_TYPEHASH, channel, cumulative);
    }

    /** EIP-712 digest of {@code CloseIntent(bytes32 channelId,uint256 finalAmount)}. */
    public static byte[] closeDigest(AccountId contract, ChannelId channel, BigInteger finalAmount) {
        return typed(contract, CLOSE_TYPEHASH, channel, finalAmount);
    }

    private static byte[] typed(AccountId contract, byte[] typeHash, ChannelId channel, BigInteger cumulative) {
        byte[] domain = Secp256k1.keccak256(DOMAIN_TYPEHASH,
                Secp256k1.keccak256("IOTPAY".getBytes(StandardCharsets.UTF_8)),
                Secp256k1.keccak256("1".getBytes(StandardCharsets.UTF_8)),
                word(BigInteger.valueOf(contract.chainId().evmChainId())),
                word(new BigInteger(1, Hex.decode(contract.address().substring(2)))));
        byte[] struct = Secp256k1.keccak256(typeHash, channel.bytes(), word(cumulative));
        return Secp256k1.keccak256(new byte[] {0x19, 0x01}, domain, struct);
    }

    private static byte[] word(BigInteger v) {
        return BigIntegers.asUnsignedByteArray(32, v);
    }
}
