package io.iotpay.wallet.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.iotpay.api.chain.ChainId;
import io.iotpay.api.wallet.AccountInfo;

/**
 * {@code iotpay:wallet-create}: derives the next account from the household seed; when there is no household seed
 * yet, generates a mnemonic, makes it the household seed and derives account 0. The mnemonic is printed only with
 * {@code --show-mnemonic} (write it down: it is the only backup).
 */
@Service
@Command(scope = "iotpay", name = "wallet-create", description = "Creates an account from the household seed "
        + "(creating the seed if needed)")
public class WalletCreateCommand extends WalletCommand {
    @Argument(index = 0, name = "alias", description = "alias of the new account", required = true)
    String alias;

    @Option(name = "--chain", description = "CAIP-2 chain id (eip155:<id> or tezos:<ref>)")
    String chain = ChainId.DEVNET.toString();

    @Option(name = "--index", description = "account index in the derivation path")
    int index = -1;

    @Option(name = "--words", description = "words of a new mnemonic (12..24)")
    int words = 24;

    @Option(name = "--show-mnemonic", description = "print a newly generated mnemonic once (it is a secret)")
    boolean showMnemonic;

    @Override
    public Object execute() {
        ChainId c = ChainId.parse(chain);
        int i = index >= 0 ? index
                : (int) wallet.accounts().stream().filter(a -> a.account().chainId().equals(c)
                        && a.origin() == AccountInfo.KeyOrigin.MNEMONIC).count();
        AccountInfo a;
        try {
            a = wallet.deriveAccount(alias, c, i);
        } catch (IllegalStateException noSeed) {
            if (!showMnemonic) {
                throw new IllegalStateException("there is no household seed yet; run again with --show-mnemonic to "
                        + "create one and write the mnemonic down (it is printed once), or import one with "
                        + "iotpay:wallet-import --mnemonic-file");
            }
            String mnemonic = wallet.generateMnemonic(words);
            a = wallet.importMnemonic(alias, mnemonic, c, i);
            out.println("New household mnemonic (write it down, it is not shown again):");
            out.println("  " + mnemonic);
        }
        new WalletListCommand().print(wallet, out);
        return null;
    }
}
