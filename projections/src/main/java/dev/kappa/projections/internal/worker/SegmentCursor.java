package dev.kappa.projections.internal.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.projections.Progress;
import dev.kappa.projections.internal.segment.SegmentKey;

/**
 * Where a worker stands in its partition: the checkpoint it committed or read back, the head as far as its reads know,
 * whether it reached the head since it (re)gained its segment, whether the ledger knows that, and how fast the
 * checkpoint moves.
 *
 * <p>Thread-safe for the getters, read by status readers and gauges; the worker's thread is the only writer.
 */
final class SegmentCursor {

    private static final Logger log = LoggerFactory.getLogger(SegmentCursor.class);

    private final SegmentKey key;
    private final ProgressMeter rate;
    private final WorkerEvents events;
    private volatile long checkpoint;
    private volatile long head;
    private volatile boolean caughtUp;
    private boolean persistedCaughtUp;

    SegmentCursor(SegmentKey key, ProgressMeter rate, WorkerEvents events) {
        this.key = key;
        this.rate = rate;
        this.events = events;
    }

    long checkpoint() {
        return checkpoint;
    }

    /** How far behind the head it is, as far as it knows. */
    long lag() {
        return Math.max(0, head - checkpoint);
    }

    /** Whether it reached the head since it started (or last gained the segment, or saw a reset). */
    boolean caughtUp() {
        return caughtUp;
    }

    /** Whether the ledger records that the segment reached the head at the current checkpoint. */
    boolean persistedCaughtUp() {
        return persistedCaughtUp;
    }

    /** Progress towards {@code logHead}. */
    Progress progress(long logHead) {
        return rate.progress(checkpoint, Math.max(logHead, checkpoint));
    }

    /** A read saw the head at (at least) {@code seen}. */
    void sawHead(long seen) {
        head = Math.max(head, seen);
    }

    /**
     * Takes the ledger's checkpoint, read back when the segment was claimed (then it must reach the head again before
     * it counts as caught up: someone else may have held it meanwhile) or when the lease was renewed and the
     * checkpoint had moved without this worker (a reset elsewhere: the replay starts afresh).
     */
    void adopt(long stored, boolean storedCaughtUp, boolean claimed) {
        if (claimed) {
            caughtUp = false;
        } else {
            log.info("{}: checkpoint moved elsewhere from {} to {} (a reset); continuing from there", key,
                    checkpoint, stored);
            caughtUp = false;
            rate.clear();
        }
        checkpoint = stored;
        persistedCaughtUp = storedCaughtUp;
        events.committed(key, checkpoint);
    }

    /** A batch committed, moving the checkpoint to {@code committed}. */
    void committed(long committed, boolean reachedHead) {
        checkpoint = committed;
        persistedCaughtUp = reachedHead;
        head = Math.max(head, committed);
        rate.sample(committed);
    }

    /** In memory, the events before a failing one stayed applied: the checkpoint moved up to them. */
    void keptThrough(long applied) {
        if (applied > checkpoint) {
            checkpoint = applied;
            events.committed(key, checkpoint);
        }
    }

    /** The ledger now records that the segment reached the head. */
    void caughtUpRecorded() {
        persistedCaughtUp = true;
    }

    /** The worker found nothing more to read: it is caught up. */
    void reachedHead() {
        if (!caughtUp) {
            caughtUp = true;
            log.debug("{}: caught up at checkpoint {}", key, checkpoint);
        }
        events.caughtUp(key);
    }
}
