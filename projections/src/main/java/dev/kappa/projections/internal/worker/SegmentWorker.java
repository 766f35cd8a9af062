package dev.kappa.projections.internal.worker;

import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.StoreOutage;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.ProjectionState;
import dev.kappa.projections.Progress;
import dev.kappa.projections.internal.metrics.ProjectionMetrics;
import dev.kappa.projections.internal.postgres.SegmentKey;
import dev.kappa.projections.internal.postgres.SegmentRow;
import dev.kappa.projections.source.SourcePage;
import dev.kappa.projections.source.SourcePartition;

/**
 * Processes one segment of one generation of a projection, on a thread of its own, in a loop: hold the segment's
 * lease ({@link SegmentLease}); read its partition of the record source from the checkpoint (large pages while behind,
 * small ones once caught up); apply each batch atomically with its checkpoint ({@link BatchApplier}); and when there is
 * nothing to read, wait for the source to grow ({@link IdleWait}).
 *
 * <p>After any failure it trusts nothing it remembers: it reads its checkpoint and lease back from the ledger. A
 * failing event is retried, then stops the segment or is parked ({@link FailingEvent}); a failure no single event can
 * be blamed for is narrowed down to the event at fault ({@link FailureHunt}); a database that does not answer is waited
 * for with back-off ({@link OutageBackoff}).
 *
 * <p>Thread-safe: {@link #requestStop()}, {@link #awaitStopped}, {@link #nudge()} and the getters may be called from
 * any thread; everything else runs on the worker's thread.
 */
public final class SegmentWorker {

    private static final Logger log = LoggerFactory.getLogger(SegmentWorker.class);

    private final WorkerConfig config;
    private final SegmentKey key;
    private final SourcePartition source;
    private final BatchApplier applier;
    private final ProgressMeter progress;
    private final ProjectionMetrics.SegmentMeters meters;
    private final SegmentLease lease;
    private final FailingEvent failing;
    private final FailureHunt hunt = new FailureHunt();
    private final OutageBackoff outages;
    private final Thread thread;
    private final IdleWait wait;

    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile long checkpoint;
    private volatile long head;

    // the worker thread's own
    private boolean persistedCaughtUp;
    private boolean lastReadFull = true;
    private boolean liveBatch;

    public SegmentWorker(WorkerConfig config) {
        this.config = config;
        this.key = config.key();
        this.source = config.source().partition(key.segment(), config.segmentCount());
        this.applier = new BatchApplier(config);
        this.progress = new ProgressMeter(config.clock());
        this.lease = new SegmentLease(key, config.ledger(), config.lease());
        this.outages = new OutageBackoff(key, config.retry(), config.clock(), config.events());
        this.meters = config.metrics().segment(key, new ProjectionMetrics.SegmentGauges() {
            @Override
            public long checkpoint() {
                return checkpoint;
            }

            @Override
            public long lag() {
                return Math.max(0, head - checkpoint);
            }

            @Override
            public boolean failed() {
                return failure().isPresent();
            }
        });
        this.failing = new FailingEvent(config, meters);
        this.thread = new Thread(this::run, "kappa-projection-" + key.projection() + "-g" + key.generation() + "-s"
                + key.segment());
        this.thread.setDaemon(true);
        this.wait = new IdleWait(thread, () -> running);
    }

    /** Starts the worker's thread. */
    public void start() {
        thread.start();
    }

    /** Asks the worker to stop after the batch in hand; it releases its lease on the way out. */
    public void requestStop() {
        running = false;
        nudge();
    }

    /**
     * Waits for the worker to stop, after {@link #requestStop()}.
     *
     * @return whether it stopped within the wait
     */
    public boolean awaitStopped(Duration wait) {
        if (Thread.currentThread() == thread) {
            return true;
        }
        try {
            thread.join(Math.max(1, wait.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /**
     * Makes the worker look at its ledger again at once (something changed elsewhere: a reset, a released lease, a
     * cleared failure), interrupting a wait for the source.
     */
    public void nudge() {
        wait.nudge();
    }

    /** The segment. */
    public SegmentKey key() {
        return key;
    }

    /** Whether this instance holds the segment. */
    public boolean owned() {
        return lease.held();
    }

    /** The instance id of this runtime while it holds the segment, else {@code null}. */
    public String owner() {
        return owned() ? config.instanceId() : null;
    }

    /** Whether it reached the head since it started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Whether its thread still runs. */
    public boolean alive() {
        return thread.isAlive();
    }

    /** The last checkpoint it committed or read. */
    public long checkpoint() {
        return checkpoint;
    }

    /** Why it stopped, while it is failed. */
    public Optional<ProjectionFailure> failure() {
        return failing == null ? Optional.empty() : failing.failure();
    }

    /** Since when, and why, the database does not answer it, while it waits for the database. */
    public Optional<StoreOutage> outage() {
        return outages.current();
    }

    /** What it is doing. */
    public ProjectionState state() {
        boolean owned = owned();
        if (!running) {
            return ProjectionState.STOPPED;
        }
        if (owned && failing.failed()) {
            return ProjectionState.FAILED;
        }
        if (outage().isPresent()) {
            return ProjectionState.WAITING_FOR_DATABASE;
        }
        if (!owned) {
            return ProjectionState.STOPPED;
        }
        if (config.rebuilding() && !caughtUp) {
            return ProjectionState.REBUILDING;
        }
        return caughtUp ? ProjectionState.RUNNING : ProjectionState.CATCHING_UP;
    }

    /** Its progress towards {@code head}. */
    public Progress progress(long logHead) {
        return progress.progress(checkpoint, Math.max(logHead, checkpoint));
    }

    private void run() {
        try {
            while (running) {
                step();
            }
        } catch (Throwable t) {
            // a bug of ours, or an Error: never die silently
            failing.crashed(new ProjectionFailure(checkpoint + 1, "?", t.getClass().getName(), "worker crashed: "
                    + t.getMessage(), 0, config.clock().instant()));
            log.error("{}: worker crashed at checkpoint {}", key, checkpoint, t);
            config.events().changed(key);
        } finally {
            source.close();
            // while the database does not answer, releasing would only wait for it: the lease expires by itself
            if (lease.held() && outage().isEmpty()) {
                lease.release();
            }
            lease.forget();
            meters.close();
            config.events().changed(key);
        }
    }

    private void step() {
        if (wait.takeNudge() && lease.held()) {
            lease.renewSoon();
        }
        if (!lease.held()) {
            if (!claim()) {
                wait.pause(lease.renewInterval());
            }
            return;
        }
        if (lease.due()) {
            renew();
            return;
        }
        if (failing.failed()) {
            wait.pause(lease.renewInterval());
            lease.renewSoon();
            return;
        }
        SourcePage first = firstPage();
        if (first == null) {
            return;
        }
        if (first.records().isEmpty() && first.through() <= checkpoint) {
            idle();
            return;
        }
        wait.read();
        // after a failure the batch is the first page alone, so that it ends where the hunt wants it to
        boolean more = !first.reachedHead() && hunt.wholeBatches(checkpoint);
        handle(applier.apply(first, checkpoint, more ? this::nextPage : null,
                liveBatch ? config.liveBatchSize() : config.catchUpBatchSize(), failing.skip()), first);
    }

    // ---- the lease --------------------------------------------------------------------------------------------

    private boolean claim() {
        SegmentLedger.Claim claim;
        try {
            claim = lease.claim();
        } catch (RuntimeException e) {
            outage(e, "take its lease");
            return false;
        }
        if (config.ledger().inDatabase()) {
            outages.answered(checkpoint);
        }
        if (claim instanceof SegmentLedger.Owned o) {
            // held by another meanwhile, perhaps: the head must be reached again before it counts as caught up
            caughtUp = false;
            if (o.previousOwner() != null && !o.previousOwner().equals(o.row().owner())) {
                log.info("{}: took the segment over from {} at checkpoint {}", key, o.previousOwner(),
                        o.row().checkpoint());
            }
            adopt(o.row(), true);
            config.events().changed(key);
            return true;
        }
        if (claim instanceof SegmentLedger.Gone) {
            retired();
        }
        return false;
    }

    private void renew() {
        SegmentLedger.Claim claim;
        try {
            claim = lease.renew();
        } catch (RuntimeException e) {
            outage(e, "renew its lease");
            return;
        }
        if (config.ledger().inDatabase()) {
            outages.answered(checkpoint);
        }
        if (claim instanceof SegmentLedger.Owned o) {
            adopt(o.row(), false);
            if (o.handOver()) {
                log.info("{}: handing the segment over at checkpoint {}: this instance holds more than its fair share",
                        key, checkpoint);
                lease.release();
                config.events().changed(key);
            }
        } else if (claim instanceof SegmentLedger.HeldElsewhere) {
            log.info("{}: lost the segment's lease to another instance at checkpoint {}", key, checkpoint);
            config.events().changed(key);
        } else {
            retired();
        }
    }

    private void retired() {
        log.info("{}: its generation was replaced; the worker stops", key);
        running = false;
        lease.forget();
        config.events().gone(key);
    }

    /**
     * Takes the ledger's word for the checkpoint and the failure. A checkpoint that moved without this worker (a reset
     * elsewhere) starts its replay afresh.
     */
    private void adopt(SegmentRow row, boolean claimed) {
        boolean moved = row.checkpoint() != checkpoint;
        if (moved || claimed) {
            if (moved && !claimed) {
                log.info("{}: checkpoint moved elsewhere from {} to {} (a reset); continuing from there", key,
                        checkpoint, row.checkpoint());
                caughtUp = false;
                progress.clear();
            }
            checkpoint = row.checkpoint();
            persistedCaughtUp = row.caughtUp();
            hunt.forget();
            wait.moved();
            config.events().committed(key, checkpoint);
        }
        failing.adopt(row, moved, checkpoint);
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /** The first page of the next batch: small once caught up, fewer records while hunting a failure. */
    private SourcePage firstPage() {
        boolean narrowing = hunt.narrowing(checkpoint);
        liveBatch = caughtUp && !lastReadFull;
        int limit = narrowing ? hunt.narrowLimit() : (liveBatch ? config.liveBatchSize()
                : Math.min(config.pageSize(), config.catchUpBatchSize()));
        SourcePage page;
        try {
            page = source.read(checkpoint, limit);
        } catch (RuntimeException e) {
            outage(e, "read the log after offset " + checkpoint);
            return null;
        }
        outages.answered(checkpoint);
        head = Math.max(head, page.head());
        lastReadFull = !page.reachedHead();
        return hunt.cut(page, checkpoint);
    }

    /** The next page within a batch, read while the batch's transaction is open. */
    private SourcePage nextPage(long after) {
        SourcePage page = source.read(after, config.pageSize());
        head = Math.max(head, page.head());
        return page;
    }

    // ---- outcomes ---------------------------------------------------------------------------------------------

    private void handle(Outcome outcome, SourcePage first) {
        if (outcome instanceof Outcome.Applied applied) {
            committed(applied);
        } else if (outcome instanceof Outcome.Fenced) {
            log.info("{}: could not commit the batch from offset {}: the lease was lost or the checkpoint moved;"
                    + " re-reading it", key, checkpoint + 1);
            lease.renewSoon();
        } else if (outcome instanceof Outcome.Interrupted interrupted) {
            outage(interrupted.cause(), "apply the batch from offset " + (checkpoint + 1));
            lease.renewSoon();
        } else if (outcome instanceof Outcome.EventFailed failed) {
            if (failed.appliedThrough() > checkpoint) {
                checkpoint = failed.appliedThrough();
                config.events().committed(key, checkpoint);
            }
            // events of the batch before the failing one that did not stay applied are committed before it is retried
            eventFailed(failed.record(), failed.position(), failed.cause(),
                    failed.appliedThrough() < failed.position() - 1);
        } else if (outcome instanceof Outcome.BatchFailed failed) {
            if (failed.records() > 1 || (failed.records() == 1 && first.records().isEmpty())) {
                int narrowed = hunt.narrow(failed.records(), failed.through());
                log.warn("{}: offsets {}..{} failed as a batch ({}); applying them in batches of {} to find the event"
                        + " at fault", key, checkpoint + 1, failed.through(), TransientFailures.describe(failed.cause()),
                        narrowed);
                lease.renewSoon();
            } else if (failed.records() == 1) {
                eventFailed(first.records().get(0), first.position(0), failed.cause(), false);
            } else {
                // no record of this segment to blame: only the checkpoint was to move, over other segments' records
                outage(failed.cause(), "move the checkpoint to offset " + failed.through());
                lease.renewSoon();
            }
        }
    }

    private void committed(Outcome.Applied applied) {
        boolean reachedHead = applied.reachedHead();
        // the commit renewed the lease too, but the ledger is still asked every renewal interval: that is when the
        // worker learns that it should hand the segment over to balance the load
        checkpoint = applied.checkpoint();
        outages.answered(checkpoint);
        persistedCaughtUp = reachedHead;
        failing.committed(checkpoint);
        hunt.committed(checkpoint);
        head = Math.max(head, checkpoint);
        wait.moved();
        progress.sample(checkpoint);
        meters.handled(applied.handled());
        // caught up before the commit is reported, so that whoever waited for it sees the state that goes with it
        if (reachedHead) {
            reachedHead();
        }
        config.events().committed(key, checkpoint);
    }

    private void eventFailed(LogRecord record, long position, Throwable cause, boolean eventsBefore) {
        // the database is the truth after a failure, not this worker's memory
        lease.renewSoon();
        Duration retryIn = failing.failed(record, position, cause);
        if (retryIn != null) {
            if (eventsBefore) {
                // commit the events before it first, so that the retries (and any failure) concern this event alone
                hunt.isolate(position);
            }
            wait.pause(retryIn);
        }
    }

    // ---- waiting ----------------------------------------------------------------------------------------------

    private void idle() {
        if (!persistedCaughtUp) {
            Outcome marked = applier.markCaughtUp(checkpoint);
            if (!(marked instanceof Outcome.Applied)) {
                lease.renewSoon();
                return;
            }
            persistedCaughtUp = true;
        }
        reachedHead();
        try {
            wait.awaitRecords(source, checkpoint, lease.nanosUntilDue());
        } catch (RuntimeException e) {
            outage(e, "wait for the log to grow");
        }
    }

    private void reachedHead() {
        if (!caughtUp) {
            caughtUp = true;
            log.debug("{}: caught up at checkpoint {}", key, checkpoint);
        }
        config.events().caughtUp(key);
    }

    /**
     * The database is unreachable or in the way: report it once, say so in the status, pause with back-off, and try
     * again, however long it takes.
     */
    private void outage(Throwable cause, String action) {
        wait.pause(outages.failed(cause, action));
    }

    @Override
    public String toString() {
        return "SegmentWorker[" + key + ", checkpoint " + checkpoint + ", " + state() + "]";
    }
}
