package dev.kappa.projections.internal.worker;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import dev.kappa.projections.source.SourcePage;
import dev.kappa.projections.source.SourcePartition;

/**
 * How a worker waits: for its source to grow when it has read everything (woken by the source's notifications, or
 * at the latest when its lease is due for renewal), and for a pause to pass (a retry's back-off, a lease held
 * elsewhere). Either wait ends early when the runtime nudges the worker (something changed elsewhere: a reset, a
 * released lease, a cleared failure) or stops it.
 *
 * <p>When the worker is woken for new records yet reads none (those in between were compacted away), it waits for a
 * record above the head from then on, rather than being woken again and again for the same ones.
 *
 * <p>Thread-safe: {@link #nudge()} may be called from any thread; everything else runs on the worker's thread.
 */
final class IdleWait {

    private static final long NONE = -1;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread worker;
    private final BooleanSupplier running;

    // guarded by lock
    private boolean waitingForAppend;
    private boolean nudged;

    // the worker thread's own
    private long idleAbove = NONE;
    private boolean wokenEmpty;

    /**
     * @param worker  the worker's thread, interrupted by a nudge while it waits for its source
     * @param running whether the worker is to go on
     */
    IdleWait(Thread worker, BooleanSupplier running) {
        this.worker = worker;
        this.running = running;
    }

    /** Ends the current or next wait at once. */
    void nudge() {
        lock.lock();
        try {
            nudged = true;
            wake.signalAll();
            if (waitingForAppend) {
                // only ever while the worker waits for an append, never during its JDBC work
                worker.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the worker was nudged since it last asked; clears the nudge. */
    boolean takeNudge() {
        lock.lock();
        try {
            boolean was = nudged;
            nudged = false;
            return was;
        } finally {
            lock.unlock();
        }
    }

    /** Waits, unless nudged or stopped first. */
    void pause(Duration duration) {
        long remaining = duration.toNanos();
        lock.lock();
        try {
            while (remaining > 0 && running.getAsBoolean() && !nudged) {
                remaining = wake.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            // only stop() and nudge() interrupt, and both set a flag the loop looks at
        } finally {
            lock.unlock();
        }
    }

    /** The worker read something: a wake-up that finds nothing to read is news again. */
    void read() {
        wokenEmpty = false;
    }

    /** The checkpoint moved: whatever was known about the records above the old one no longer holds. */
    void moved() {
        idleAbove = NONE;
    }

    /**
     * Waits for the source to hold a record above {@code checkpoint}, for at most {@code timeoutNanos}, unless nudged
     * or stopped first.
     *
     * @throws RuntimeException if the source cannot be watched
     */
    void awaitRecords(SourcePartition source, long checkpoint, long timeoutNanos) {
        if (wokenEmpty && idleAbove == NONE) {
            // woken for a head above the checkpoint, yet nothing to read: the records in between were compacted away
            idleAbove = headWithNothingBelow(source, checkpoint);
        }
        wokenEmpty = true;
        long above = Math.max(checkpoint, idleAbove);
        lock.lock();
        try {
            if (nudged || !running.getAsBoolean()) {
                return;
            }
            waitingForAppend = true;
        } finally {
            lock.unlock();
        }
        try {
            if (timeoutNanos > 0) {
                source.awaitAfter(above, Duration.ofNanos(timeoutNanos));
            }
        } catch (InterruptedException e) {
            // nudged
        } finally {
            lock.lock();
            try {
                waitingForAppend = false;
                // a nudge may have interrupted the wait after it ended: the flag must not reach the next JDBC call
                Thread.interrupted();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The head, if nothing lies between the checkpoint and it (read in that order, so nothing can slip in). */
    private static long headWithNothingBelow(SourcePartition source, long checkpoint) {
        try {
            long head = source.head();
            SourcePage next = source.read(checkpoint, 1);
            return next.records().isEmpty() && next.through() <= checkpoint ? head : NONE;
        } catch (RuntimeException e) {
            return NONE;
        }
    }
}
