package io.iotpay.wallet.internal;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

import io.iotpay.wallet.internal.crypto.Secp256k1Provider;

/** Starts a {@link WalletService} for tests in other packages (fast scrypt, given folder and passphrase). */
public final class TestWallets {
    private TestWallets() {
    }

    public static WalletService start(Path folder, String passphrase) {
        return new WalletService(WalletServiceTest.config(folder.toString(), passphrase), Map.of(), Clock.systemUTC(),
                Secp256k1Provider.create(), new SecureRandom());
    }

    public static void stop(WalletService w) {
        w.deactivate();
    }
}
