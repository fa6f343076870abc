package io.iotpay.api.channel;

import static io.iotpay.api.internal.Checks.quote;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Identifies a metering session, {@code [A-Za-z0-9_-]{8,64}} (a UUID fits).
 *
 * @param value the id text
 */
public record SessionId(String value) {

    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the value does not match {@code [A-Za-z0-9_-]{8,64}}
     */
    public SessionId {
        if (value == null || !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("session id " + quote(value)
                    + " is invalid: expected [A-Za-z0-9_-]{8,64}");
        }
    }

    /**
     * Creates a random session id (a UUID).
     *
     * @return a new id
     */
    public static SessionId random() {
        return new SessionId(UUID.randomUUID().toString());
    }

    /**
     * Returns the id text.
     *
     * @return the value
     */
    @Override
    public String toString() {
        return value;
    }
}
