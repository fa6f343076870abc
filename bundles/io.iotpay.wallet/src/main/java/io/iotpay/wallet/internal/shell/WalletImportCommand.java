package io.iotpay.wallet.internal.shell;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

import io.iotpay.api.chain.ChainId;
import io.iotpay.wallet.internal.crypto.Bytes;

/**
 * {@code iotpay:wallet-import}: imports a mnemonic or a hex private key from a file (never from the command line,
 * which ends up in the shell history), or a Web3 Secret Storage file whose passphrase is asked for.
 */
@Service
@Command(scope = "iotpay", name = "wallet-import", description = "Imports a mnemonic, a raw key or a keystore file")
public class WalletImportCommand extends WalletCommand {
    @Argument(index = 0, name = "alias", description = "alias of the new account", required = true)
    String alias;

    @Option(name = "--mnemonic-file", description = "file holding a BIP-39 mnemonic")
    String mnemonicFile;

    @Option(name = "--key-file", description = "file holding a hex private key")
    String keyFile;

    @Option(name = "--keystore", description = "Web3 Secret Storage v3 file (its passphrase is prompted)")
    String keystore;

    @Option(name = "--chain", description = "CAIP-2 chain id")
    String chain = ChainId.DEVNET.toString();

    @Option(name = "--index", description = "account index (mnemonic import)")
    int index;

    @Reference(optional = true)
    Session session;

    @Override
    public Object execute() throws Exception {
        int given = (mnemonicFile != null ? 1 : 0) + (keyFile != null ? 1 : 0) + (keystore != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("give exactly one of --mnemonic-file, --key-file, --keystore");
        }
        if (mnemonicFile != null) {
            wallet.importMnemonic(alias, Files.readString(Paths.get(mnemonicFile), StandardCharsets.UTF_8).trim(),
                    ChainId.parse(chain), index);
        } else if (keyFile != null) {
            byte[] key = Bytes.fromHex(Files.readString(Paths.get(keyFile), StandardCharsets.US_ASCII).trim(),
                    "private key file");
            try {
                wallet.importPrivateKey(alias, ChainId.parse(chain), key);
            } finally {
                Bytes.wipe(key);
            }
        } else {
            Path file = Paths.get(keystore);
            if (session == null) {
                throw new IllegalStateException("no console session to ask for the keystore passphrase");
            }
            String pw = session.readLine("Keystore passphrase: ", '*');
            char[] chars = pw.toCharArray();
            try {
                wallet.importKeystore(alias, file, chars);
            } finally {
                Bytes.wipe(chars);
            }
        }
        new WalletListCommand().print(wallet, out);
        return null;
    }
}
