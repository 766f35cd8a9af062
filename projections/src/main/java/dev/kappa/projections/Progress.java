package dev.kappa.projections;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How far a worker has got through the log, and how fast it goes.
 *
 * @param offset          the checkpoint: the last offset applied
 * @param head            the log's head when the progress was taken
 * @param eventsPerSecond offsets applied per second over the last few seconds; 0 when idle or unknown (a segment
 *                        another instance owns)
 * @param timeLeft        the time to reach the head at that rate: zero when there, empty when the rate is 0
 */
public record Progress(long offset, long head, double eventsPerSecond, Optional<Duration> timeLeft) {

    public Progress {
        Objects.requireNonNull(timeLeft, "time left must not be null (use Optional.empty())");
    }

    /** How many offsets separate the checkpoint from the head. */
    public long lag() {
        return Math.max(0, head - offset);
    }
}
