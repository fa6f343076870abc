package io.iotpay.pki.internal.shell;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.wallet.Signature;
import io.iotpay.api.wallet.SignatureScheme;
import io.iotpay.pki.internal.owner.OwnershipTransfers;

import java.time.Duration;
import java.time.Instant;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code iotpay:owner-transfer}: transfers a device to a new owner with both owners' EIP-712 signatures.
 * <ul>
 * <li>Both accounts in this wallet: one command signs twice and sends.</li>
 * <li>New owner elsewhere: the new owner runs {@code owner-transfer --sign-only --deadline <epoch> <device> <to>}
 * on its node and hands over the printed signature; the current owner runs
 * {@code owner-transfer --deadline <epoch> --to-signature <hex> <device> <to>}.</li>
 * </ul>
 * Every signature is checked against the registry's digest before sending; the contract checks them again.
 */
@Service
@Command(scope = "iotpay", name = "owner-transfer", description = "Transfers a device to a new owner (both owners"
        + " sign)")
public class OwnerTransferCommand extends PkiCommand {
    @Argument(index = 0, name = "device", description = "device id", required = true)
    String deviceId;

    @Argument(index = 1, name = "to", description = "new owner: wallet alias, CAIP-10 account or 0x address",
            required = true)
    String to;

    @Option(name = "--deadline", description = "signatures expire at this unix time (default: now + --valid)")
    String deadline;

    @Option(name = "--valid", description = "how long the signatures stay usable when no --deadline is given")
    String valid = "1h";

    @Option(name = "--to-signature", description = "the new owner's signature (0x + 130 hex) when its key is not"
            + " in this wallet")
    String toSignature;

    @Option(name = "--sign-only", description = "sign with the new owner's account in this wallet and print the"
            + " signature; send nothing")
    boolean signOnly;

    @Override
    void run() {
        if (transfers == null) {
            throw new IllegalStateException("the chain of the PKI has no device registry: no transfers possible");
        }
        String d = device("device", deviceId);
        AccountId from = pki.ownerOf(d).orElseThrow(() -> new IllegalArgumentException(
                "argument device: device " + d + " is not registered on chain"));
        AccountId target = anyAccount("to", to, from.chainId());
        if (!target.chainId().equals(from.chainId())) {
            throw new IllegalArgumentException("argument to: " + target + " is not on the registry's chain "
                    + from.chainId());
        }
        Instant dl;
        if (deadline != null) {
            try {
                dl = Instant.ofEpochSecond(Long.parseLong(deadline.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option --deadline: \"" + deadline
                        + "\" is not a unix time in seconds");
            }
        } else {
            Duration v = duration("--valid", valid);
            dl = Instant.now().plus(v).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }
        if (!dl.isAfter(Instant.now())) {
            throw new IllegalArgumentException("option --deadline: " + dl + " has passed");
        }
        OwnershipTransfers.Terms terms = transfers.terms(d, target, dl);
        if (signOnly) {
            requireInWallet(target, "to", "--sign-only signs as the new owner");
            Signature s = transfers.sign(terms, target);
            keyValues("Device", d, "From", from.toString(), "To", target.toString(), "Nonce",
                    terms.nonce().toString(), "Deadline", Long.toString(dl.getEpochSecond()), "New owner's signature",
                    s.toHex());
            out.println("Hand the signature to the current owner: iotpay:owner-transfer --deadline "
                    + dl.getEpochSecond() + " --to-signature " + s.toHex() + " " + d + " " + target);
            return;
        }
        requireInWallet(from, "device", "the current owner sends the transfer");
        Signature fromSig = transfers.sign(terms, from);
        Signature toSig;
        if (toSignature != null) {
            try {
                toSig = Signature.fromHex(toSignature.trim(), SignatureScheme.SECP256K1_RECOVERABLE);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("option --to-signature: expected 0x + 130 hex digits ("
                        + e.getMessage() + ")");
            }
        } else {
            requireInWallet(target, "to", "without --to-signature the new owner must sign here; otherwise have it"
                    + " run iotpay:owner-transfer --sign-only --deadline " + dl.getEpochSecond() + " " + d + " "
                    + target);
            toSig = transfers.sign(terms, target);
        }
        TxHash tx = transfers.submit(terms, fromSig, toSig, waiter);
        keyValues("Device", d, "From", from.toString(), "To", target.toString(), "Nonce", terms.nonce().toString(),
                "Transaction", tx.hash(), "Owner now", pki.ownerOf(d).map(AccountId::toString).orElse("-"));
    }

    private void requireInWallet(AccountId a, String argument, String why) {
        if (wallet.accounts().stream().noneMatch(i -> i.account().equals(a))) {
            throw new IllegalArgumentException("argument " + argument + ": " + a + " is not in this wallet ("
                    + why + ")");
        }
    }
}
