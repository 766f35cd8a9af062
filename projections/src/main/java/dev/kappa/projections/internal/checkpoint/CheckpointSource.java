package dev.kappa.projections.internal.checkpoint;

/**
 * Where a waiter reads the checkpoints readers of one projection depend on: Kappa's tables for a database projection,
 * the ledgers in this process for an in-memory one.
 */
public interface CheckpointSource {

    /** What readers of the projection see now. */
    Checkpoints read();

    /**
     * Whether every commit reaches the board as it happens (an in-memory projection's, or any while the listener
     * listens): if not, the board cannot be trusted and each look reads again.
     */
    boolean commitsReported();

    /** Whether "reached" is only answered after a read confirms it: the board decides when to look, not what is true. */
    boolean confirmsReached();

    /**
     * The checkpoints of a projection's generation that readers use.
     *
     * @param generation  that generation, {@code -1} if there is none yet
     * @param checkpoints its segments' checkpoints
     * @param failedAt    the lowest offset a segment of it is stopped at, {@code Long.MAX_VALUE} if none
     */
    record Checkpoints(int generation, long[] checkpoints, long failedAt) {
    }
}
