package io.iotpay.channel.internal.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.money.Amount;
import io.iotpay.api.money.Asset;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.channel.internal.osgi.ChannelEngineComponent;

/** Base of the {@code iotpay:offer-*}, {@code iotpay:channel-*} and {@code iotpay:session-*} commands. */
abstract class ChannelCommand implements Action {

    @Reference
    ChannelEngineComponent engine;

    @Reference
    Wallet wallet;

    PrintStream out = System.out;

    /** Human units and base units, e.g. {@code 0.0012 ETH (1200000000000000)}. */
    static String amount(Amount a) {
        return a == null ? "-" : a.toDecimalString() + " " + a.asset().symbol() + " (" + a.units() + ")";
    }

    Asset asset(String chain) {
        return engine.nativeAsset(ChainId.parse(chain));
    }

    AccountId payer(String aliasOrAddress, ChainId chain) {
        AccountInfo a = wallet.account(aliasOrAddress).orElseThrow(
                () -> new IllegalArgumentException("no account \"" + aliasOrAddress + "\" in the wallet"));
        return AccountId.of(chain, a.account().address());
    }
}
