package io.iotpay.wallet.internal.shell;

import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.PendingApproval;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SpendingRefusedException;
import io.iotpay.api.wallet.TypedData;
import io.iotpay.wallet.internal.WalletService;
import io.iotpay.wallet.internal.crypto.Bytes;
import io.iotpay.wallet.internal.eip712.Eip712;
import io.iotpay.wallet.internal.eip712.TypedDataJson;

/**
 * {@code iotpay:wallet-sign-typed-data}: signs EIP-712 typed data read from a JSON file in the
 * {@code eth_signTypedData_v4} format and prints the 65-byte signature as hex. Known money-less IOTPAY intents
 * (CloseIntent, OwnershipTransfer) are signed directly; IOTPAY vouchers are refused (they go through the spending
 * policy); anything else needs the owner's approval of its exact digest: the first run prints the approval id and the
 * command to approve it, and running this command again after {@code iotpay:wallet-approvals --approve <id>} signs
 * (once).
 */
@Service
@Command(scope = "iotpay", name = "wallet-sign-typed-data", description = "Signs EIP-712 typed data from a JSON file")
public class WalletSignTypedDataCommand extends WalletCommand {
    @Argument(index = 0, name = "account", description = "alias or address", required = true)
    String alias;

    @Argument(index = 1, name = "file", description = "eth_signTypedData_v4 JSON file", required = true)
    String file;

    @Override
    public Object execute() throws Exception {
        AccountInfo a = account(alias);
        Eip712.TypedData td = TypedDataJson.parse(Paths.get(file));
        byte[] digest = Eip712.digest(td);
        Signature sig;
        try {
            sig = wallet.signTypedData(a.account(), toApi(td));
        } catch (SpendingRefusedException e) {
            if (e.reason() != SpendingRefusedException.Reason.APPROVAL_REQUIRED) {
                throw e;
            }
            String key = WalletService.typedDataApprovalKey(digest);
            PendingApproval p = wallet.pendingApprovals().stream()
                    .filter(x -> x.intent().payer().equals(a.account()) && key.equals(x.intent().sessionKey()))
                    .findFirst().orElseThrow(() -> e);
            out.println("APPROVAL REQUIRED: this typed data is not a known money-less IOTPAY intent and may move "
                    + "money; nothing was signed.");
            out.println("Approval id:  " + p.id());
            out.println("Digest:       " + Bytes.toHex0x(digest));
            out.println("Domain:       " + td.domain());
            out.println("Primary type: " + td.primaryType());
            out.println("Account:      " + display(a));
            out.println("To approve:   iotpay:wallet-approvals --approve " + p.id());
            out.println("Then run this command again to sign (the approval signs this exact digest once).");
            return null;
        }
        ShellTable t = new ShellTable();
        t.column("Account");
        t.column("Digest");
        t.column("Signature");
        t.addRow().addContent(display(a), Bytes.toHex0x(digest), sig.toHex());
        t.print(out);
        return null;
    }

    static TypedData toApi(Eip712.TypedData td) {
        Map<String, List<TypedData.Field>> types = new LinkedHashMap<>();
        td.types().forEach((k, v) -> types.put(k, v.stream().map(f -> new TypedData.Field(f.name(), f.type()))
                .toList()));
        return new TypedData(types, td.primaryType(), td.domain(),
                td.message() == null ? Map.of() : td.message());
    }
}
