package dev.kappa.projections.internal.worker;

import java.util.Optional;
import java.util.function.Supplier;

import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.internal.postgres.SegmentRow;

/**
 * An in-memory projection's segment: its checkpoint and failure live here, and every instance holds all its
 * segments. It outlives the segment's workers, so that a restart resumes where the last one stopped. Thread-safe.
 */
public final class MemoryLedger implements SegmentLedger {

    private final int segment;
    private long checkpoint;
    private boolean caughtUp;
    private ProjectionFailure failure;

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

    /** Sets the checkpoint and clears the failure: a reset. */
    public synchronized void reset(long offset) {
        checkpoint = offset;
        caughtUp = false;
        failure = null;
    }

    /** Clears the failure: a restart. */
    public synchronized void clearFailure() {
        failure = null;
    }

    private SegmentRow row() {
        return new SegmentRow(segment, checkpoint, caughtUp, null, true, Optional.ofNullable(failure));
    }

    @Override
    public boolean inDatabase() {
        return false;
    }
}
