package io.iotpay.wallet.internal.shell;

import java.io.PrintStream;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.crypto.EthAddress;

/** Base of the {@code iotpay:wallet-*} commands. Nothing they print is secret. */
abstract class WalletCommand implements Action {

    @Reference
    Wallet wallet;

    PrintStream out = System.out;

    AccountInfo account(String aliasOrAddress) {
        return wallet.account(aliasOrAddress).orElseThrow(
                () -> new IllegalArgumentException("no account \"" + aliasOrAddress + "\" in the wallet"));
    }

    static String display(AccountInfo a) {
        String addr = a.account().address();
        if (a.account().chainId().isEvm()) {
            return EthAddress.checksum(Bytes.fromHex(addr, "address"));
        }
        return addr;
    }

    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
