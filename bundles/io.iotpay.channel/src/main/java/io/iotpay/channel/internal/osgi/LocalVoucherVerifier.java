package io.iotpay.channel.internal.osgi;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.channel.ChannelId;
import io.iotpay.api.channel.ErrorCode;
import io.iotpay.api.channel.ProtocolException;
import io.iotpay.api.money.Amount;
import io.iotpay.api.wallet.Signature;
import io.iotpay.channel.internal.protocol.Secp256k1;

/**
 * Verifies vouchers of IOTPAY's own EVM settlement scheme ({@code iotpay-channels-v1}) without the chain connector:
 * the EIP-712 digest of {@code Voucher(bytes32 channelId,uint256 cumulativeAmount)} in the domain
 * {@code {name: "IOTPAY", version, chainId, verifyingContract}} (docs/contracts.md) and secp256k1 recovery. The
 * engine uses it only while the connector is away, so a provider keeps accepting vouchers (and delivering) when the
 * connector bundle is being replaced; a test proves the digest equal to the connector's.
 */
final class LocalVoucherVerifier {

    static final String SCHEME = "iotpay-channels-v1";

    private static final byte[] DOMAIN_TYPEHASH = Secp256k1.keccak256(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                    .getBytes(StandardCharsets.US_ASCII));
    private static final byte[] VOUCHER_TYPEHASH = Secp256k1.keccak256(
            "Voucher(bytes32 channelId,uint256 cumulativeAmount)".getBytes(StandardCharsets.US_ASCII));

    private LocalVoucherVerifier() {
    }

    static byte[] digest(AccountId contract, String domainVersion, ChannelId channel, BigInteger cumulative) {
        byte[] domain = Secp256k1.keccak256(DOMAIN_TYPEHASH,
                Secp256k1.keccak256("IOTPAY".getBytes(StandardCharsets.UTF_8)),
                Secp256k1.keccak256(domainVersion.getBytes(StandardCharsets.UTF_8)),
                word(BigInteger.valueOf(contract.chainId().evmChainId())),
                word(new BigInteger(contract.address().substring(2), 16)));
        byte[] struct = Secp256k1.keccak256(VOUCHER_TYPEHASH, channel.bytes(), word(cumulative));
        return Secp256k1.keccak256(new byte[] { 0x19, 0x01 }, domain, struct);
    }

    static void verify(AccountId contract, String domainVersion, ChannelId channel, Amount cumulative,
            Signature signature, AccountId payer) {
        String signer;
        try {
            signer = Secp256k1.recoverAddress(digest(contract, domainVersion, channel, cumulative.units()),
                    signature);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "voucher signature is invalid: " + e.getMessage());
        }
        if (!signer.equalsIgnoreCase(payer.address())) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "voucher is not signed by the channel payer " + payer);
        }
    }

    private static byte[] word(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return Arrays.copyOf(out, 32);
    }
}
