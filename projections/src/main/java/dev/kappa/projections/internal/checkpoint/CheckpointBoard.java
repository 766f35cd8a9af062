package dev.kappa.projections.internal.checkpoint;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What this runtime knows of the checkpoints readers depend on: per projection, the generation readers use and its
 * segments' checkpoints, kept current by this runtime's workers as they commit and by other runtimes' commits as the
 * listener hears them. Waiters for a checkpoint, or for catching up, sleep on its condition and are woken by those
 * commits; a projection whose entry is missing or stale is read again from the database by the waiter.
 *
 * <p>Thread-safe: workers, the listener and waiters share it under one lock.
 */
public final class CheckpointBoard {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, View> views = new HashMap<>();
    private long version;

    /** A committed checkpoint of a segment; ignored unless its generation is the one readers use. */
    public void committed(String projection, int generation, int segment, long checkpoint) {
        lock.lock();
        try {
            View view = views.get(projection);
            if (view != null && view.generation == generation && segment < view.checkpoints.length) {
                view.checkpoints[segment] = checkpoint;
            }
            signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces what is known of a projection with what was read from the database, unless the board changed since
     * {@code readSince} (from {@link #version()}, taken before the read): a commit reported meanwhile may be newer than
     * the read, and must not be overwritten by it.
     *
     * @return what the read says
     */
    Known load(String projection, int generation, long[] checkpoints, long failedAt, long readSince) {
        View view = new View(generation, checkpoints.clone(), failedAt);
        lock.lock();
        try {
            if (version == readSince) {
                views.put(projection, view);
                signal();
            }
            return view.known();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a projection: something changed (a reset, a switch) that commits alone do not tell. */
    public void invalidate(String projection) {
        lock.lock();
        try {
            views.remove(projection);
            signal();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets everything (notifications may have been lost). */
    public void invalidateAll() {
        lock.lock();
        try {
            views.clear();
            signal();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the waiters to look again. */
    public void touch() {
        lock.lock();
        try {
            signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What is known of a projection now.
     *
     * @return the lowest checkpoint of the generation readers use, the offset a segment failed at (or
     *         {@code Long.MAX_VALUE}) and every segment's checkpoint; {@code null} if nothing is known
     */
    Known known(String projection) {
        lock.lock();
        try {
            View view = views.get(projection);
            return view == null ? null : view.known();
        } finally {
            lock.unlock();
        }
    }

    /** A counter that moves on every change: pass it to {@link #await} so that a change in between is not missed. */
    long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until something changes after {@code seenVersion}, or {@code nanos} pass.
     *
     * @return whether something changed
     * @throws InterruptedException if interrupted
     */
    boolean await(long seenVersion, long nanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = nanos;
            while (version == seenVersion && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return version != seenVersion;
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        version++;
        changed.signalAll();
    }

    /**
     * What is known of a projection.
     *
     * @param checkpoint the lowest segment checkpoint of the generation readers use
     * @param failedAt    the lowest offset a segment of it is stopped at, {@code Long.MAX_VALUE} if none
     * @param checkpoints each segment's checkpoint, by segment
     */
    record Known(long checkpoint, long failedAt, long[] checkpoints) {

        /** Whether each segment's checkpoint is at or above its position in {@code positions}, one per segment. */
        boolean reaches(long[] positions) {
            if (checkpoints.length != positions.length) {
                return false;
            }
            for (int i = 0; i < positions.length; i++) {
                if (checkpoints[i] < positions[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class View {
        final int generation;
        final long[] checkpoints;
        final long failedAt;

        View(int generation, long[] checkpoints, long failedAt) {
            this.generation = generation;
            this.checkpoints = checkpoints;
            this.failedAt = failedAt;
        }

        Known known() {
            long min = Long.MAX_VALUE;
            for (long checkpoint : checkpoints) {
                min = Math.min(min, checkpoint);
            }
            return new Known(checkpoints.length == 0 ? 0 : min, failedAt, checkpoints.clone());
        }
    }
}
