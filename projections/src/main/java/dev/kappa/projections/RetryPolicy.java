package dev.kappa.projections;

import java.time.Duration;
import java.util.Objects;

/**
 * How often, and how patiently, a failing event handler is retried before the projection gives up on the event
 * (see {@link FailureMode}). The delay before retry {@code n} (1-based) is {@code initialDelay * 2^(n-1)}, capped at
 * {@code maxDelay}.
 *
 * <p>Failures of the database connection itself are not counted: they are retried, with the same back-off, for as
 * long as they last.
 *
 * @param maxAttempts  how many times an event is tried in all, the first time included; at least 1
 * @param initialDelay the delay before the first retry
 * @param maxDelay     the longest delay between two attempts
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    /** The default: 5 attempts, 100 ms then doubling up to 10 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(10));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1 but was " + maxAttempts);
        }
        requireNotNegative(initialDelay, "initial delay");
        requireNotNegative(maxDelay, "max delay");
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("max delay " + maxDelay + " must not be shorter than initial delay "
                    + initialDelay);
        }
    }

    /** {@code maxAttempts} tries in all, with exponential back-off between them. */
    public static RetryPolicy backOff(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay);
    }

    /** No retry: an event fails for good the first time its handler throws. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The delay before retry {@code retry} (1 for the first retry). */
    public Duration delayBefore(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries are numbered from 1 but got " + retry);
        }
        Duration delay = initialDelay;
        for (int i = 1; i < retry && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    private static void requireNotNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name + " must not be null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative but was " + duration);
        }
    }
}
