package org.openhab.binding.iotpay.internal.handler;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.eclipse.jdt.annotation.NonNullByDefault;
import org.eclipse.jdt.annotation.Nullable;

/**
 * Builds localisable status descriptions ({@code @text/<key> ["arg", ...]}); the texts are in
 * {@code OH-INF/i18n/iotpay.properties}. Double quotes inside arguments become single quotes so the argument list
 * stays parseable.
 */
@NonNullByDefault
final class StatusText {

    private StatusText() {
    }

    static String text(String key, @Nullable Object... args) {
        if (args.length == 0) {
            return "@text/" + key;
        }
        return "@text/" + key + " ["
                + Arrays.stream(args).map(a -> "\"" + String.valueOf(a).replace('"', '\'') + "\"")
                        .collect(Collectors.joining(", "))
                + "]";
    }
}
