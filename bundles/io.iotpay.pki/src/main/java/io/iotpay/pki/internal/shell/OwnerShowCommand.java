package io.iotpay.pki.internal.shell;

import io.iotpay.api.chain.AccountId;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code iotpay:owner-show}: the registry's {@code ownerOf(device)} and the next transfer nonce. */
@Service
@Command(scope = "iotpay", name = "owner-show", description = "Shows the on-chain owner of a device")
public class OwnerShowCommand extends PkiCommand {
    @Argument(index = 0, name = "device", description = "device id", required = true)
    String deviceId;

    @Override
    void run() {
        String d = device("device", deviceId);
        Optional<AccountId> owner = pki.ownerOf(d);
        String nonce;
        try {
            nonce = owner.isPresent() && pki.registry() != null ? pki.registry().transferNonce(d).toString() : "-";
        } catch (UnsupportedOperationException e) {
            nonce = "unknown";
        }
        boolean mine = owner.isPresent() && wallet.accounts().stream().anyMatch(a -> a.account().equals(owner.get()));
        keyValues("Device", d, "Owner", owner.map(AccountId::toString).orElse("(not registered)"),
                "Owner in this wallet", owner.isEmpty() ? "-" : mine ? "yes" : "no", "Transfers so far", nonce);
    }
}
