package dev.kappa.projections.internal.segment;

import java.util.Optional;
import java.util.function.Supplier;

import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.internal.deadletter.SkipDecision;
import dev.kappa.projections.internal.segment.SegmentRow;

/**
 * An in-memory projection's segment: its checkpoint and failure live here, and every instance holds all its
 * segments. It outlives the segment's workers, so that a restart resumes where the last one stopped. Thread-safe.
 */
public final class MemoryLedger implements SegmentLedger {

    private final int segment;
    private long checkpoint;
    private boolean caughtUp;
    private ProjectionFailure failure;
    private SkipDecision skip;

    public MemoryLedger(int segment) {
        this.segment = segment;
    }

    @Override
    public synchronized Claim claim() {
        return new Owned(row(), null, false);
    }

    @Override
    public synchronized Claim renew() {
        return new Owned(row(), null, false);
    }

    @Override
    public synchronized boolean advance(long from, long to, boolean caughtUp) {
        if (checkpoint != from) {
            return false;
        }
        checkpoint = to;
        this.caughtUp = caughtUp;
        return true;
    }

    @Override
    public synchronized void recordFailure(ProjectionFailure failure) {
        this.failure = failure;
        this.skip = null;
    }

    @Override
    public synchronized boolean clearSkipped(long offset) {
        if (skip == null || skip.offset() != offset) {
            return false;
        }
        failure = null;
        skip = null;
        return true;
    }

    /**
     * Records an operator's decision to skip the event the segment stopped at.
     *
     * @return whether the segment is stopped at {@code offset}
     */
    public synchronized boolean decideSkip(long offset, DeadLetter.Decision decision) {
        if (failure == null || failure.offset() != offset) {
            return false;
        }
        skip = SkipDecision.byOperator(failure, decision);
        return true;
    }

    @Override
    public void release() {
        // nobody else could take it
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return work.get();
    }

    @Override
    public boolean keepsPartialProgress() {
        return true;
    }

    /** The current checkpoint. */
    public synchronized long checkpoint() {
        return checkpoint;
    }

    /** Whether an operator's decision to skip the event the segment stopped at waits for the worker. */
    public synchronized boolean skipping() {
        return skip != null;
    }

    /** Sets the checkpoint and clears the failure: a reset. */
    public synchronized void reset(long offset) {
        checkpoint = offset;
        caughtUp = false;
        failure = null;
        skip = null;
    }

    /** Clears the failure: a restart. */
    public synchronized void clearFailure() {
        failure = null;
        skip = null;
    }

    private SegmentRow row() {
        SegmentRow row = new SegmentRow(segment, checkpoint, caughtUp, null, true, Optional.ofNullable(failure));
        return skip == null ? row : row.skipping(skip);
    }

    @Override
    public boolean inDatabase() {
        return false;
    }
}
