package io.iotpay.chain.evm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;
import io.iotpay.api.wallet.UnsignedTransaction;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.chain.evm.internal.tx.EvmTransaction;

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
    void walletSignerPassesRecipientValueDataGasAndHash() {
        Wallet wallet = mock(Wallet.class);
        byte[] sig = TestKeys.sign(BigInteger.TWO, new byte[32]);
        when(wallet.signTransaction(any(), any(), any())).thenReturn(new Signature(sig,
                SignatureScheme.SECP256K1_RECOVERABLE));
        EvmSettings settings = EvmSettings.from(Devchain.config("http://127.0.0.1:8545", null, "auto", "3000000",
                31337));
        AccountId from = AccountId.of(ChainId.DEVNET, "0x00000000000000000000000000000000000000aa");
        byte[] to = new byte[20];
        to[19] = 0x42;
        EvmTransaction tx = new EvmTransaction(EvmTransaction.Type.EIP1559, 31337, BigInteger.ONE,
                BigInteger.valueOf(50_000), null, BigInteger.ONE, BigInteger.TEN, to, BigInteger.valueOf(123),
                new byte[] { 1, 2, 3 });
        byte[] hash = tx.signingHash();
        assertArrayEquals(sig, EvmChainConnector.walletSigner(wallet, settings).sign(from, tx, hash));
        ArgumentCaptor<UnsignedTransaction> u = ArgumentCaptor.forClass(UnsignedTransaction.class);
        verify(wallet).signTransaction(eq(from), u.capture(), eq(hash));
        assertEquals("0x0000000000000000000000000000000000000042", u.getValue().to().address());
        assertEquals(BigInteger.valueOf(123), u.getValue().value().units());
        assertTrue(u.getValue().value().asset().isNative());
        assertArrayEquals(new byte[] { 1, 2, 3 }, u.getValue().data());
        assertEquals(BigInteger.valueOf(50_000), u.getValue().gasLimit());
        EvmTransaction deploy = new EvmTransaction(EvmTransaction.Type.LEGACY, 31337, BigInteger.ONE,
                BigInteger.ONE, BigInteger.ONE, null, null, null, BigInteger.ZERO, null);
        EvmChainConnector.walletSigner(wallet, settings).sign(from, deploy, deploy.signingHash());
        verify(wallet).signTransaction(eq(from), u.capture(), eq(deploy.signingHash()));
        assertNull(u.getValue().to());
    }
}
