package dev.kappa.projections.internal.postgres;

import java.util.Objects;
import java.util.Optional;

import dev.kappa.projections.ProjectionFailure;

/**
 * A segment's row as read from the database.
 *
 * @param segment    the 0-based segment
 * @param checkpoint the last offset committed
 * @param caughtUp   whether the last batch committed reached the head
 * @param owner      the lease holder, or {@code null}
 * @param leaseValid whether the lease has not yet expired (by the database's clock)
 * @param failure    the event the segment stopped at, if it is failed
 */
public record SegmentRow(int segment, long checkpoint, boolean caughtUp, String owner, boolean leaseValid,
                         Optional<ProjectionFailure> failure) {

    public SegmentRow {
        Objects.requireNonNull(failure, "failure must not be null (use Optional.empty())");
    }
}
