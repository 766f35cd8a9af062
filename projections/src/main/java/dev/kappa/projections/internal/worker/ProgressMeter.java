package dev.kappa.projections.internal.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import dev.kappa.projections.Progress;

/**
 * The rate at which a worker's checkpoint moves, over a sliding window of the last few seconds, read from the
 * runtime's clock. Thread-safe: the worker samples, status readers read.
 */
final class ProgressMeter {

    private static final long WINDOW_MILLIS = 10_000;

    private final Clock clock;
    private final Deque<long[]> samples = new ArrayDeque<>();

    ProgressMeter(Clock clock) {
        this.clock = clock;
    }

    /** Records the checkpoint reached now. */
    synchronized void sample(long checkpoint) {
        long now = clock.millis();
        samples.addLast(new long[] {now, checkpoint});
        while (samples.size() > 2 && samples.peekFirst()[0] < now - WINDOW_MILLIS) {
            samples.removeFirst();
        }
    }

    /** Forgets the samples: after a reset, the old rate says nothing. */
    synchronized void clear() {
        samples.clear();
    }

    /** Progress towards {@code head} from {@code checkpoint}. */
    synchronized Progress progress(long checkpoint, long head) {
        double rate = 0;
        if (samples.size() >= 2) {
            long[] first = samples.peekFirst();
            long[] last = samples.peekLast();
            long now = clock.millis();
            // a rate from samples that all lie far in the past describes a worker that has gone idle
            if (last[0] - first[0] > 0 && now - last[0] < WINDOW_MILLIS) {
                rate = (last[1] - first[1]) * 1000.0 / (last[0] - first[0]);
            }
        }
        long lag = Math.max(0, head - checkpoint);
        Optional<Duration> left = lag == 0 ? Optional.of(Duration.ZERO)
                : rate > 0 ? Optional.of(Duration.ofMillis((long) (lag * 1000.0 / rate))) : Optional.empty();
        return new Progress(checkpoint, head, rate, left);
    }
}
