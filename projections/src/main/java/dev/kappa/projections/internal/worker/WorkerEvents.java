package dev.kappa.projections.internal.worker;

import dev.kappa.projections.internal.segment.SegmentKey;

/**
 * What a worker tells its runtime. Called on the worker's thread; implementations must be quick and thread-safe.
 */
public interface WorkerEvents {

    /** The segment's checkpoint is now {@code checkpoint} (committed, or read from the database). */
    void committed(SegmentKey key, long checkpoint);

    /** The segment reached the head of the log. */
    void caughtUp(SegmentKey key);

    /** The segment's state changed otherwise: it failed, or changed hands. */
    void changed(SegmentKey key);

    /** The segment's generation was replaced: the worker has stopped for good. */
    void gone(SegmentKey key);
}
