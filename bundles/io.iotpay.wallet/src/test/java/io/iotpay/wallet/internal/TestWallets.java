package io.iotpay.wallet.internal;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

import io.iotpay.wallet.internal.crypto.NativeSecp256k1;

/** Starts a {@link WalletService} for tests in other packages (fast scrypt, given folder and passphrase). */
public final class TestWallets {
    private TestWallets() {
    }

    public static WalletService start(Path folder, String passphrase) {
        return new WalletService(WalletServiceTest.config(folder.toString(), passphrase), Map.of(), Clock.systemUTC(),
                NativeSecp256k1.load(), new SecureRandom());
    }

    public static void stop(WalletService w) {
        w.deactivate();
    }
}
