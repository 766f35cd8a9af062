package dev.kappa.projections.internal.deadletter;

import java.util.Objects;

import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.ProjectionFailure;

/**
 * A decision to move past the event a segment failed on without applying it: the worker parks the event as a dead
 * letter in the transaction that moves its checkpoint past it. Taken by an operator (kept in the segment's row until
 * the worker has acted on it) or by a {@code DEAD_LETTER} projection's worker itself.
 *
 * @param failure  the failure the decision was taken on: the event's offset and the last error
 * @param state    {@link DeadLetter.State#SKIPPED} for an operator's decision, {@link DeadLetter.State#PARKED} for
 *                 the failure mode's
 * @param decision who decided, why and when
 */
public record SkipDecision(ProjectionFailure failure, DeadLetter.State state, DeadLetter.Decision decision) {

    public SkipDecision {
        Objects.requireNonNull(failure, "failure must not be null");
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(decision, "decision must not be null");
        if (state == DeadLetter.State.REPLAYED) {
            throw new IllegalArgumentException("a skip decision parks or skips an event; it cannot replay one");
        }
    }

    /** An operator's decision to skip the failed event. */
    public static SkipDecision byOperator(ProjectionFailure failure, DeadLetter.Decision decision) {
        return new SkipDecision(failure, DeadLetter.State.SKIPPED, decision);
    }

    /** A {@code DEAD_LETTER} projection's decision to park the event its retries gave up on. */
    public static SkipDecision byFailureMode(ProjectionFailure failure) {
        return new SkipDecision(failure, DeadLetter.State.PARKED, new DeadLetter.Decision(
                DeadLetter.Decision.FAILURE_MODE, "", failure.failedAt()));
    }

    /** The offset of the event to move past. */
    public long offset() {
        return failure.offset();
    }

    /** Whether an operator took it (and so it is kept in the segment's row). */
    public boolean byOperator() {
        return state == DeadLetter.State.SKIPPED;
    }
}
