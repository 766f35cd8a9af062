package dev.kappa.projections.internal.segment;

import java.util.Objects;
import java.util.Optional;

import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.internal.deadletter.SkipDecision;

/**
 * A segment's row as read from the database.
 *
 * @param segment    the 0-based segment
 * @param checkpoint the last offset committed
 * @param caughtUp   whether the last batch committed reached the head
 * @param owner      the lease holder, or {@code null}
 * @param leaseValid whether the lease has not yet expired (by the database's clock)
 * @param failure    the event the segment stopped at, if it is failed and nobody decided to skip it
 * @param skip       the event the segment stopped at, if an operator decided to skip it: the worker is to park it
 *                   and go on
 */
public record SegmentRow(int segment, long checkpoint, boolean caughtUp, String owner, boolean leaseValid,
                         Optional<ProjectionFailure> failure, Optional<SkipDecision> skip) {

    public SegmentRow {
        Objects.requireNonNull(failure, "failure must not be null (use Optional.empty())");
        Objects.requireNonNull(skip, "skip must not be null (use Optional.empty())");
    }

    /** A row without a skip decision. */
    public SegmentRow(int segment, long checkpoint, boolean caughtUp, String owner, boolean leaseValid,
                      Optional<ProjectionFailure> failure) {
        this(segment, checkpoint, caughtUp, owner, leaseValid, failure, Optional.empty());
    }

    /** This row with its failure decided to be skipped: no longer failed, but skipping. */
    public SegmentRow skipping(SkipDecision decision) {
        return new SegmentRow(segment, checkpoint, caughtUp, owner, leaseValid, Optional.empty(),
                Optional.of(decision));
    }
}
