package io.iotpay.chain.evm.internal.rpc;

import java.time.Duration;

/**
 * Exponential backoff for transient RPC failures.
 *
 * @param maxAttempts total attempts (at least 1)
 * @param initialDelay delay before the second attempt
 * @param maxDelay upper bound of one delay
 * @param requestTimeout timeout of one HTTP request
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration requestTimeout) {

    /** Defaults: 5 attempts, 200 ms doubling up to 5 s, 20 s per request. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5),
            Duration.ofSeconds(20));

    /** Validates. */
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry maxAttempts " + maxAttempts + " must be at least 1");
        }
        if (initialDelay.isNegative() || maxDelay.isNegative() || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException("retry delays must be non-negative and the request timeout positive");
        }
    }

    /** @return the delay before attempt {@code attempt} (1-based; attempt 2 waits initialDelay) */
    public Duration delayBefore(int attempt) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        long ms = initialDelay.toMillis();
        for (int i = 2; i < attempt && ms < maxDelay.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, maxDelay.toMillis()));
    }
}
