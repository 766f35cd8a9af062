package dev.kappa.projections.internal.lease;

import java.time.Duration;
import java.util.Objects;

import dev.kappa.projections.internal.segment.SegmentKey;

/**
 * A runtime's claim to process one segment of a database projection, alone, for a while: written into the segment's
 * row ({@code owner}, {@code lease_until}) when taken, extended by every renewal and every batch the holder commits,
 * and judged by the database's clock. A holder that stops renewing (a crash) loses it when it expires, and another
 * instance takes the segment over from the checkpoint the last holder committed.
 *
 * @param segment  the segment
 * @param holder   the holder's instance id
 * @param duration how long a renewal lasts; the holder renews every third of it
 */
public record Lease(SegmentKey segment, String holder, Duration duration) {

    public Lease {
        Objects.requireNonNull(segment, "segment must not be null");
        Objects.requireNonNull(holder, "holder must not be null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a lease must last a while, not " + duration);
        }
    }

    /** How often the holder renews: a third of the duration, so that two renewals may fail before it expires. */
    public Duration renewInterval() {
        return duration.dividedBy(3);
    }
}
