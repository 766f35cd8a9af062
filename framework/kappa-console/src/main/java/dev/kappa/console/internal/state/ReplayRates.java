package dev.kappa.console.internal.state;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rate at which each projection's generations move through the log, measured from their checkpoints as the state
 * is put together, and where a reset started the console made. Used where the runtime reports no rate of its own (a
 * segment another instance holds).
 *
 * <p>Thread-safe.
 */
final class ReplayRates {

    private static final Duration WINDOW = Duration.ofSeconds(30);

    private final Clock clock;
    private final Map<String, RateSamples> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, Long> resetStarts = new ConcurrentHashMap<>();

    ReplayRates(Clock clock) {
        this.clock = clock;
    }

    /** Records a generation's checkpoint now and answers its rate per second over the last ten seconds. */
    double sample(String projection, int generation, long checkpoint) {
        RateSamples samples = checkpoints.computeIfAbsent(key(projection, generation), k -> new RateSamples(WINDOW));
        samples.add(clock.instant(), checkpoint);
        return samples.rate(LogSampler.RATE_SPAN);
    }

    /** Forgets the generations not in {@code live}, as {@link #key} makes them. */
    void retain(Set<String> live) {
        checkpoints.keySet().retainAll(live);
    }

    static String key(String projection, int generation) {
        return projection + "#" + generation;
    }

    /** Remembers that the console reset {@code projection} to {@code offset}: its progress is measured from there. */
    void resetStarted(String projection, long offset) {
        resetStarts.put(projection, offset);
    }

    /** Where the reset of {@code projection} started, 0 if the console did not make it. */
    long resetStart(String projection) {
        return resetStarts.getOrDefault(projection, 0L);
    }

    /** The reset of {@code projection} is over (or was refused). */
    void resetEnded(String projection) {
        resetStarts.remove(projection);
    }
}
