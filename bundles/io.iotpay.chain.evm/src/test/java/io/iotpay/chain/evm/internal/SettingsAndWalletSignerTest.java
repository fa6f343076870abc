package io.iotpay.chain.evm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.wallet.EvmTransactionFields;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;
import io.iotpay.api.wallet.UnsignedTransaction;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.chain.evm.internal.tx.EvmTransaction;
import io.iotpay.chain.evm.internal.tx.TxSender;

/** Configuration resolution (presets) and the wallet adapter that signs transactions. */
class SettingsAndWalletSignerTest {

    @Test
    void presetsResolveAndContradictionsAreRefused() {
        EvmSettings custom = EvmSettings.from(Devchain.config("http://127.0.0.1:9", null, "auto", "3000000", 56));
        assertEquals(ChainId.BSC, custom.chain());
        assertThrows(IllegalArgumentException.class, () -> EvmSettings.from(Devchain.config("", null, "auto",
                "3000000", 56)), "custom needs an rpcUrl");
        assertEquals(NetworkPreset.BSC, NetworkPreset.of("BSC"));
        assertEquals(NetworkPreset.BSC_TESTNET, NetworkPreset.of("bsc_testnet"));
        assertEquals(EvmTransaction.Type.LEGACY, NetworkPreset.BSC.txType());
        assertEquals(97, NetworkPreset.BSC_TESTNET.chainId());
        assertEquals(11155111, NetworkPreset.SEPOLIA.chainId());
        assertEquals(137, NetworkPreset.POLYGON.chainId());
        assertEquals(100, NetworkPreset.GNOSIS.chainId());
        assertEquals(1, NetworkPreset.ETHEREUM.chainId());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkPreset.of("moon"));
        assertTrue(e.getMessage().contains("bsc-testnet"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EvmSettings.from(Devchain.config("http://127.0.0.1:1",
                null, "sideways", "3000000", 31337)));
    }

    @Test
    void walletSignerPassesTheWholeTransactionAndNoHash() {
        Wallet wallet = mock(Wallet.class);
        byte[] sig = TestKeys.sign(BigInteger.TWO, new byte[32]);
        when(wallet.signTransaction(any(), any())).thenReturn(new Signature(sig,
                SignatureScheme.SECP256K1_RECOVERABLE));
        EvmSettings settings = EvmSettings.from(Devchain.config("http://127.0.0.1:8545", null, "auto", "3000000",
                31337));
        AccountId from = AccountId.of(ChainId.DEVNET, "0x00000000000000000000000000000000000000aa");
        byte[] to = new byte[20];
        to[19] = 0x42;
        EvmTransaction tx = new EvmTransaction(EvmTransaction.Type.EIP1559, 31337, BigInteger.ONE,
                BigInteger.valueOf(50_000), null, BigInteger.ONE, BigInteger.TEN, to, BigInteger.valueOf(123),
                new byte[] { 1, 2, 3 });
        assertArrayEquals(sig, EvmChainConnector.walletSigner(wallet, settings).sign(from, tx, tx.signingHash()));
        ArgumentCaptor<UnsignedTransaction> u = ArgumentCaptor.forClass(UnsignedTransaction.class);
        verify(wallet).signTransaction(eq(from), u.capture());
        assertEquals("0x0000000000000000000000000000000000000042", u.getValue().to().address());
        assertEquals(BigInteger.valueOf(123), u.getValue().value().units());
        assertTrue(u.getValue().value().asset().isNative());
        assertArrayEquals(new byte[] { 1, 2, 3 }, u.getValue().data());
        assertEquals(EvmTransactionFields.eip1559(ChainId.DEVNET, BigInteger.ONE, BigInteger.valueOf(50_000),
                BigInteger.ONE, BigInteger.TEN), u.getValue().fields());
        EvmTransaction deploy = new EvmTransaction(EvmTransaction.Type.LEGACY, 31337, BigInteger.TWO,
                BigInteger.valueOf(70_000), BigInteger.valueOf(7), null, null, null, BigInteger.ZERO, null);
        EvmChainConnector.walletSigner(wallet, settings).sign(from, deploy, deploy.signingHash());
        verify(wallet, times(2)).signTransaction(eq(from), u.capture());
        assertNull(u.getValue().to());
        assertEquals(EvmTransactionFields.legacy(ChainId.DEVNET, BigInteger.TWO, BigInteger.valueOf(70_000),
                BigInteger.valueOf(7)), u.getValue().fields());
    }

    @Test
    void theWalletsViewOfATransactionHashesToTheConnectorsSigningHash() {
        // the wallet and the connector compute the same digest for every shape of transaction (both RLP-encode with
        // web3j; the wallet's hash is checked against EIP-155 and ethers vectors in the wallet's own tests)
        EvmSettings settings = EvmSettings.from(Devchain.config("http://127.0.0.1:8545", null, "auto", "3000000",
                31337));
        byte[] to = new byte[20];
        to[0] = 0x70;
        for (EvmTransaction tx : new EvmTransaction[] {
            new EvmTransaction(EvmTransaction.Type.EIP1559, 31337, BigInteger.valueOf(9), BigInteger.valueOf(21000),
                    null, BigInteger.ONE, BigInteger.TEN, to, BigInteger.TEN.pow(18), null),
            new EvmTransaction(EvmTransaction.Type.LEGACY, 31337, BigInteger.ZERO, BigInteger.valueOf(3_000_000),
                    BigInteger.valueOf(20_000_000_000L), null, null, null, BigInteger.ZERO, new byte[] { 0x60, 0x00 }),
            new EvmTransaction(EvmTransaction.Type.LEGACY, 31337, BigInteger.valueOf(300), BigInteger.valueOf(60000),
                    BigInteger.ONE, null, null, to, BigInteger.ZERO, new byte[] { (byte) 0xa9, 0x05, (byte) 0x9c }) }) {
            UnsignedTransaction u = EvmChainConnector.unsigned(tx, settings);
            assertArrayEquals(tx.signingHash(), io.iotpay.wallet.internal.tx.EvmSigningPayload.signingHash(u),
                    tx.toString());
        }
    }

    @Test
    void theConnectorRefusesASignatureThatDoesNotRecoverToTheSender() {
        BigInteger key = BigInteger.valueOf(0x1234567);
        AccountId from = AccountId.of(ChainId.DEVNET, TestKeys.address(key));
        byte[] hash = new byte[32];
        hash[31] = 1;
        byte[] other = new byte[32];
        other[31] = 2;
        TxSender.requireSignedBy(from, hash, TestKeys.sign(key, hash));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TxSender.requireSignedBy(from, hash,
                        TestKeys.sign(key, other)));
        assertTrue(e.getMessage().contains("not broadcast"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> TxSender
                .requireSignedBy(from, hash, TestKeys.sign(BigInteger.TEN, hash)));
        assertThrows(IllegalStateException.class, () -> TxSender
                .requireSignedBy(from, hash, new byte[65]));
    }
}
