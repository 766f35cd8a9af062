package dev.kappa.kafka.internal.relay;

import java.time.Clock;
import java.util.Arrays;

/**
 * Records relayed per second, averaged over the last minute (or over the time since the relay was built, when that is
 * shorter): sixty one-second buckets on the injected clock.
 *
 * <p>Thread-safe: the relay's thread counts, any thread reads.
 */
final class RelayRate {

    private static final int WINDOW_SECONDS = 60;

    private final Clock clock;
    private final long startSecond;
    private final long[] seconds = new long[WINDOW_SECONDS];
    private final long[] counts = new long[WINDOW_SECONDS];

    RelayRate(Clock clock) {
        this.clock = clock;
        this.startSecond = second();
        Arrays.fill(seconds, Long.MIN_VALUE);
    }

    synchronized void add(int records) {
        long now = second();
        int bucket = (int) Math.floorMod(now, WINDOW_SECONDS);
        if (seconds[bucket] != now) {
            seconds[bucket] = now;
            counts[bucket] = 0;
        }
        counts[bucket] += records;
    }

    synchronized double perSecond() {
        long now = second();
        long sum = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (seconds[i] > now - WINDOW_SECONDS && seconds[i] <= now) {
                sum += counts[i];
            }
        }
        long window = Math.max(1, Math.min(WINDOW_SECONDS, now - startSecond + 1));
        return (double) sum / window;
    }

    private long second() {
        return Math.floorDiv(clock.millis(), 1000);
    }
}
