package io.iotpay.pki.internal.testing;

import io.iotpay.wallet.internal.WalletConfig;
import io.iotpay.wallet.internal.WalletService;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real wallet (io.iotpay.wallet's DS component, constructed directly) over a folder, with cheap scrypt. A new
 * instance over the same folder is a wallet restart.
 */
public final class TestWallet {
    private TestWallet() {
    }

    /**
     * @param folder the keystore folder
     * @param passphrase the wallet passphrase; empty: a locked wallet
     * @return the wallet
     */
    public static WalletService start(Path folder, String passphrase) {
        Map<String, Object> values = Map.of("keystoreFolder", folder.toString(), "passphrase", passphrase,
                "scryptN", 1024, "scryptR", 8, "scryptP", 1);
        WalletConfig config = (WalletConfig) Proxy.newProxyInstance(WalletConfig.class.getClassLoader(),
                new Class<?>[] {WalletConfig.class}, (p, m, args) -> {
                    if (m.getName().equals("annotationType")) {
                        return WalletConfig.class;
                    }
                    return values.containsKey(m.getName()) ? values.get(m.getName()) : m.getDefaultValue();
                });
        return new WalletService(config);
    }
}
