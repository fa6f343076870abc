package io.iotpay.wallet.internal.keys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A BIP-32 path such as {@code m/44'/60'/0'/0/3}; hardened steps are marked with ', h or H. */
public record DerivationPath(List<Integer> indexes) {
    public static final int HARDENED = 0x80000000;

    public DerivationPath {
        indexes = List.copyOf(indexes);
    }

    /** EVM account {@code i}: m/44'/60'/0'/0/i. */
    public static DerivationPath evm(int account) {
        return parse("m/44'/60'/0'/0/" + account);
    }

    /** Tezos account {@code i}: m/44'/1729'/i'/0' (all hardened, as SLIP-10 Ed25519 requires). */
    public static DerivationPath tezos(int account) {
        return parse("m/44'/1729'/" + account + "'/0'");
    }

    public static DerivationPath parse(String path) {
        if (path == null || !(path.equals("m") || path.startsWith("m/"))) {
            throw new IllegalArgumentException("derivation path \"" + path + "\" must start with m/");
        }
        List<Integer> out = new ArrayList<>();
        if (!path.equals("m")) {
            for (String part : path.substring(2).split("/", -1)) {
                boolean hard = part.endsWith("'") || part.endsWith("h") || part.endsWith("H");
                String num = hard ? part.substring(0, part.length() - 1) : part;
                if (!num.matches("0|[1-9][0-9]{0,9}")) {
                    throw new IllegalArgumentException("derivation path \"" + path + "\": step \"" + part
                            + "\" is not a number (optionally followed by ')");
                }
                long v = Long.parseLong(num);
                if (v >= 0x80000000L) {
                    throw new IllegalArgumentException("derivation path \"" + path + "\": index " + v
                            + " must be below 2^31");
                }
                out.add((int) v | (hard ? HARDENED : 0));
            }
        }
        return new DerivationPath(Collections.unmodifiableList(out));
    }

    public static boolean isHardened(int index) {
        return (index & HARDENED) != 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("m");
        for (int i : indexes) {
            sb.append('/').append(i & 0x7fffffff);
            if (isHardened(i)) {
                sb.append('\'');
            }
        }
        return sb.toString();
    }
}
