package io.iotpay.pki.internal.shell;

import io.iotpay.api.chain.AccountId;
import io.iotpay.api.chain.ChainId;
import io.iotpay.api.chain.TxHash;
import io.iotpay.api.device.DeviceIds;
import io.iotpay.api.identity.DeviceIdentity;
import io.iotpay.api.wallet.AccountInfo;
import io.iotpay.api.wallet.Wallet;
import io.iotpay.pki.internal.DeviceIdentityComponent;
import io.iotpay.pki.internal.PkiService;
import io.iotpay.pki.internal.owner.OwnershipTransfers;
import io.iotpay.pki.internal.x509.DeviceProfile;

import java.io.PrintStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/**
 * Base of the {@code iotpay:ca-*}, {@code iotpay:cert-*} and {@code iotpay:owner-*} commands. They print tables and
 * public material only (certificates, hashes, addresses, signatures of public statements); never a key or a
 * passphrase. Bad input fails with a message naming the argument and what was expected.
 */
abstract class PkiCommand implements Action {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})([smhdy])");

    @Reference
    DeviceIdentity identity;

    PrintStream out = System.out;

    // Resolved from the component; tests set them directly.
    PkiService pki;
    Wallet wallet;
    OwnershipTransfers transfers;
    Consumer<TxHash> waiter;

    @Override
    public final Object execute() throws Exception {
        if (pki == null) {
            if (!(identity instanceof DeviceIdentityComponent c)) {
                throw new IllegalStateException("the IOTPAY device PKI component is not active");
            }
            pki = c.pki();
            wallet = c.wallet();
            waiter = c::awaitSuccess;
            transfers = null;
            try {
                transfers = c.transfers();
            } catch (UnsupportedOperationException e) {
                // no registry on this chain: owner-transfer says so
            }
        }
        run();
        return null;
    }

    abstract void run() throws Exception;

    static String device(String argument, String value) {
        if (value == null || !DeviceIds.PATTERN.matcher(value).matches()) {
            throw new IllegalArgumentException(kind(argument) + ": \"" + value
                    + "\" is not a device id (expected 1 to 128 characters of A-Z a-z 0-9 . _ : -)");
        }
        return value;
    }

    /** A wallet account by alias, address or CAIP-10. */
    AccountInfo walletAccount(String argument, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(kind(argument) + ": expected a wallet account alias or address");
        }
        Optional<AccountInfo> a = wallet.account(value);
        if (a.isEmpty() && value.contains(":")) {
            AccountId id = parseCaip10(argument, value);
            a = wallet.accounts().stream().filter(i -> i.account().equals(id)).findFirst();
        }
        return a.orElseThrow(() -> new IllegalArgumentException(kind(argument) + ": no account \"" + value
                + "\" in the wallet (see iotpay:wallet-list)"));
    }

    /** Any account: a wallet alias, a CAIP-10 id, or a 0x address on {@code chain}. */
    AccountId anyAccount(String argument, String value, ChainId chain) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(kind(argument) + ": expected a wallet alias, a CAIP-10 account"
                    + " or a 0x address");
        }
        Optional<AccountInfo> a = wallet.account(value);
        if (a.isPresent()) {
            return a.get().account();
        }
        if (value.contains(":")) {
            return parseCaip10(argument, value);
        }
        try {
            return AccountId.of(chain, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(kind(argument) + ": \"" + value + "\" is neither a wallet alias,"
                    + " a CAIP-10 account nor an address on " + chain + " (" + e.getMessage() + ")");
        }
    }

    static AccountId parseCaip10(String argument, String value) {
        try {
            return AccountId.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(kind(argument) + ": \"" + value
                    + "\" is not a CAIP-10 account such as eip155:31337:0x... (" + e.getMessage() + ")");
        }
    }

    /** {@code 365d}, {@code 12h}, {@code 90m}, {@code 30s}, {@code 2y} (365 days) or ISO-8601 ({@code P30D}). */
    static Duration duration(String argument, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT_DURATION.matcher(v);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> ChronoUnit.DAYS.getDuration().multipliedBy(365L * n);
            };
        } else {
            try {
                d = Duration.parse(value == null ? "" : value.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(kind(argument) + ": \"" + value
                        + "\" is not a duration (expected e.g. 365d, 12h, 90m, 30s, 2y or ISO-8601 P30D)");
            }
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(kind(argument) + ": duration \"" + value + "\" must be positive");
        }
        return d;
    }

    /** "option --x" or "argument x". */
    static String kind(String argument) {
        return (argument.startsWith("--") ? "option " : "argument ") + argument;
    }

    static String sha256Hex(X509Certificate c) {
        return "0x" + HexFormat.of().formatHex(DeviceProfile.hash(c));
    }

    static String fingerprint(X509Certificate c) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < h.length; i++) {
                b.append(i == 0 ? "" : ":").append(String.format("%02X", h[i]));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String age(Duration d) {
        return d.toSeconds() + " s";
    }

    /** Prints a two-column key/value table. */
    void keyValues(String... kv) {
        org.apache.karaf.shell.support.table.ShellTable t = new org.apache.karaf.shell.support.table.ShellTable();
        t.column("Field");
        t.column("Value");
        for (int i = 0; i + 1 < kv.length; i += 2) {
            t.addRow().addContent(kv[i], kv[i + 1]);
        }
        t.print(out);
    }
}
