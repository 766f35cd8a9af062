package dev.kappa.projections.internal.checkpoint;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.kappa.projections.CheckpointWait;

/**
 * Waits on the {@link CheckpointBoard}: for a projection to apply an offset (read your writes), or for any condition
 * the board's changes may make true (caught up, a skipped event passed). Woken by commits, not by polling; a quiet
 * interval bounds the delay a missed report could cause.
 *
 * <p>Thread-safe: each wait runs on its caller's thread.
 */
public final class CheckpointWaiter {

    /** How often waits re-read when notifications are not heard (or might have been missed). */
    private static final long FALLBACK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final CheckpointBoard board;

    public CheckpointWaiter(CheckpointBoard board) {
        this.board = board;
    }

    /** Waits until the projection has applied {@code offset}, is stopped at or below it, or the timeout passes. */
    public CheckpointWait awaitCheckpoint(String projection, long offset, Duration timeout, CheckpointSource source)
            throws InterruptedException {
        return awaitCheckpoint(projection, offset, null, timeout, source);
    }

    /**
     * Waits until the projection has applied {@code offset}, as above, where its segments' positions are not log
     * offsets (a topic's partitions): it has applied the offset once each segment's checkpoint is at or above its
     * position in {@code positions}. The wait's checkpoint is then {@code offset}, and below it until then.
     *
     * @param positions per segment, the checkpoint that applies {@code offset}; {@code null} where positions are log
     *                  offsets (every segment must reach {@code offset})
     */
    public CheckpointWait awaitCheckpoint(String projection, long offset, long[] positions, Duration timeout,
                                         CheckpointSource source) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean quiet = false;
        while (true) {
            long seen = board.version();
            CheckpointBoard.Known known = board.known(projection);
            // the source is read when nothing is known, when commits may go unheard, after a quiet poll interval
            // (which bounds the delay any missed report could cause), and before answering "reached" where the
            // source has the last word
            if (known == null || quiet || !source.commitsReported()
                    || (source.confirmsReached() && reached(known, offset, positions))) {
                known = load(projection, source, seen);
            }
            long remaining = deadline - System.nanoTime();
            if (reached(known, offset, positions) || known.failedAt() <= offset || remaining <= 0) {
                // reached, or stopped below it (waiting longer cannot help until someone restarts it), or out of time
                return new CheckpointWait(projection, offset, positions == null ? known.checkpoint()
                        : reached(known, offset, positions) ? offset : offset - 1);
            }
            quiet = !board.await(seen, Math.min(remaining, FALLBACK_POLL_NANOS));
        }
    }

    /**
     * Waits until {@code condition} holds, looking again at every change of the board and at least every poll
     * interval.
     *
     * @return whether it held before the timeout passed
     */
    public boolean awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen = board.version();
            if (condition.getAsBoolean()) {
                return true;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            board.await(seen, Math.min(remaining, FALLBACK_POLL_NANOS));
        }
    }

    private static boolean reached(CheckpointBoard.Known known, long offset, long[] positions) {
        return positions == null ? known.checkpoint() >= offset : known.reaches(positions);
    }

    /** Reads what readers of the projection see now, and tells the board unless it changed since {@code seen}. */
    private CheckpointBoard.Known load(String projection, CheckpointSource source, long seen) {
        CheckpointSource.Checkpoints read = source.read();
        return board.load(projection, read.generation(), read.checkpoints(), read.failedAt(), seen);
    }
}
