package dev.kappa.projections.internal.worker;

import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.StoreOutage;
import dev.kappa.projections.Progress;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.ProjectionState;
import dev.kappa.projections.internal.metrics.ProjectionMetrics;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.segment.SegmentRow;
import dev.kappa.projections.source.SourcePage;
import dev.kappa.projections.source.SourcePartition;

/**
 * Processes one segment of one generation of a projection, on a thread of its own, in a loop: hold the segment's
 * lease ({@link SegmentLease}); read its partition of the record source from the checkpoint (large pages while behind,
 * small ones once caught up); apply each batch atomically with its checkpoint ({@link BatchApplier}), keeping track of
 * where it stands ({@link SegmentCursor}); and when there is nothing to read, wait for the source to grow
 * ({@link IdleWait}). It never learns where the records come from: the {@link SourcePartition} hides it.
 *
 * <p>What it does after a batch depends on its {@link Outcome} ({@link BatchOutcomes}). After any failure it trusts
 * nothing it remembers: it reads its checkpoint and lease back from the ledger. A failing event is retried, then stops
 * the segment or is parked ({@link FailingEvent}); a failure no single event can be blamed for is narrowed down to the
 * event at fault ({@link FailureHunt}); a database that does not answer is waited for with back-off
 * ({@link OutageBackoff}).
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
    private final SegmentCursor cursor;
    private final ProjectionMetrics.SegmentMeters meters;
    private final OutageBackoff outages;
    private final SegmentLease lease;
    private final FailingEvent failing;
    private final FailureHunt hunt = new FailureHunt();
    private final Thread thread;
    private final IdleWait wait;
    private final BatchOutcomes outcomes;
    private volatile boolean running = true;
    /** Whether the last read found more than the batch could take: the worker is behind. The thread's own. */
    private boolean lastReadFull = true;

    public SegmentWorker(WorkerConfig config) {
        this.config = config;
        this.key = config.key();
        this.source = config.source().partition(key.segment(), config.segmentCount());
        this.applier = new BatchApplier(config);
        this.cursor = new SegmentCursor(key, new ProgressMeter(config.clock()), config.events());
        this.meters = config.metrics().segment(key, new ProjectionMetrics.SegmentGauges() {
            @Override
            public long checkpoint() {
                return cursor.checkpoint();
            }

            @Override
            public long lag() {
                return cursor.lag();
            }

            @Override
            public boolean failed() {
                return failure().isPresent();
            }
        });
        this.outages = new OutageBackoff(key, config.retry(), config.clock(), config.events());
        this.lease = new SegmentLease(config, source, outages, new LeaseEvents());
        this.failing = new FailingEvent(config, meters);
        this.thread = new Thread(this::run, "kappa-projection-" + key.projection() + "-g" + key.generation() + "-s"
                + key.segment());
        this.thread.setDaemon(true);
        this.wait = new IdleWait(thread, () -> running);
        this.outcomes = new BatchOutcomes(config, source, cursor, lease, failing, hunt, outages, wait, meters);
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
        return cursor.caughtUp();
    }

    /** Whether its thread still runs. */
    public boolean alive() {
        return thread.isAlive();
    }

    /** The last checkpoint it committed or read. */
    public long checkpoint() {
        return cursor.checkpoint();
    }

    /** Why it stopped, while it is failed. */
    public Optional<ProjectionFailure> failure() {
        // read by gauges, which may be registered before the worker is complete
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
        if (config.rebuilding() && !cursor.caughtUp()) {
            return ProjectionState.REBUILDING;
        }
        return cursor.caughtUp() ? ProjectionState.RUNNING : ProjectionState.CATCHING_UP;
    }

    /** Its progress towards {@code head}. */
    public Progress progress(long logHead) {
        return cursor.progress(logHead);
    }

    private void run() {
        try {
            while (running) {
                step();
            }
        } catch (Throwable t) {
            // a bug of ours, or an Error: never die silently
            failing.crashed(new ProjectionFailure(cursor.checkpoint() + 1, "?", t.getClass().getName(),
                    "worker crashed: " + t.getMessage(), 0, config.clock().instant()));
            log.error("{}: worker crashed at checkpoint {}", key, cursor.checkpoint(), t);
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

    /** One turn of the loop: hold the lease, then apply a batch, or wait. */
    private void step() {
        if (wait.takeNudge() && lease.held()) {
            lease.renewSoon();
        }
        if (!lease.held()) {
            if (!lease.take()) {
                wait.pause(lease.retryInterval());
            }
            return;
        }
        if (lease.due()) {
            lease.renew();
            return;
        }
        if (failing.failed()) {
            wait.pause(lease.renewInterval());
            lease.renewSoon();
            return;
        }
        long checkpoint = cursor.checkpoint();
        boolean liveBatch = cursor.caughtUp() && !lastReadFull;
        SourcePage first = firstPage(checkpoint, liveBatch);
        if (first == null) {
            return;
        }
        if (first.records().isEmpty() && first.through() <= checkpoint) {
            if (first.reachedHead()) {
                idle();
            } else {
                // nothing now, yet not known to be the head (a topic's partition not fetched yet): wait, not caught up
                awaitSource();
            }
            return;
        }
        wait.read();
        // after a failure the batch is the first page alone, so that it ends where the hunt wants it to
        boolean more = !first.reachedHead() && hunt.wholeBatches(checkpoint);
        outcomes.handle(applier.apply(first, checkpoint, more ? this::nextPage : null,
                liveBatch ? config.liveBatchSize() : config.catchUpBatchSize(), config.catchUpStagedRows(),
                failing.skip()), first);
    }

    /**
     * Takes the ledger's word for the checkpoint and the failure. A checkpoint that moved without this worker (a reset
     * elsewhere) starts its replay afresh.
     */
    private void adopt(SegmentRow row, boolean claimed) {
        boolean moved = row.checkpoint() != cursor.checkpoint();
        if (moved || claimed) {
            cursor.adopt(row.checkpoint(), row.caughtUp(), claimed);
            hunt.forget();
            wait.moved();
        }
        failing.adopt(row, moved, cursor.checkpoint());
    }

    /** The first page of the next batch: small once caught up, fewer records while hunting a failure. */
    private SourcePage firstPage(long checkpoint, boolean liveBatch) {
        int limit = hunt.narrowing(checkpoint) ? hunt.narrowLimit() : (liveBatch ? config.liveBatchSize()
                : Math.min(config.pageSize(), config.catchUpBatchSize()));
        SourcePage page;
        try {
            page = source.read(checkpoint, limit);
        } catch (RuntimeException e) {
            outage(e, "read the log after offset " + checkpoint);
            return null;
        }
        outages.answered(checkpoint);
        cursor.sawHead(page.head());
        lastReadFull = !page.reachedHead();
        return hunt.cut(page, checkpoint);
    }

    /** The next page within a batch, read while the batch's transaction is open. */
    private SourcePage nextPage(long after) {
        SourcePage page = source.read(after, config.pageSize());
        cursor.sawHead(page.head());
        return page;
    }

    /** Nothing to read: records that the segment is caught up, and waits for the source to grow. */
    private void idle() {
        if (!cursor.persistedCaughtUp()) {
            if (!(applier.markCaughtUp(cursor.checkpoint()) instanceof Outcome.Applied)) {
                lease.renewSoon();
                return;
            }
            cursor.caughtUpRecorded();
        }
        cursor.reachedHead();
        awaitSource();
    }

    /** Waits for the source to grow, at most until the lease is due. */
    private void awaitSource() {
        try {
            wait.awaitRecords(source, cursor.checkpoint(), lease.nanosUntilDue());
        } catch (RuntimeException e) {
            outage(e, "wait for the log to grow");
        }
    }

    /** The database is unreachable or in the way: pause with back-off, then try again, however long it takes. */
    private void outage(Throwable cause, String action) {
        wait.pause(outages.failed(cause, action));
    }

    @Override
    public String toString() {
        return "SegmentWorker[" + key + ", checkpoint " + cursor.checkpoint() + ", " + state() + "]";
    }

    /** What the lease tells this worker. */
    private final class LeaseEvents implements SegmentLease.Holder {

        @Override
        public void adopt(SegmentRow row, boolean claimed) {
            SegmentWorker.this.adopt(row, claimed);
        }

        @Override
        public void retired() {
            log.info("{}: its generation was replaced; the worker stops", key);
            running = false;
            lease.forget();
            config.events().gone(key);
        }

        @Override
        public long checkpoint() {
            return cursor.checkpoint();
        }

        @Override
        public void outage(Throwable cause, String action) {
            SegmentWorker.this.outage(cause, action);
        }
    }
}
