package dev.kappa.projections.internal.worker;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.LogShare;
import dev.kappa.eventstore.SharePage;
import dev.kappa.eventstore.StoreOutage;
import dev.kappa.projections.FailureMode;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.ProjectionState;
import dev.kappa.projections.Progress;
import dev.kappa.projections.internal.metrics.ProjectionMetrics;
import dev.kappa.projections.internal.postgres.SegmentKey;
import dev.kappa.projections.internal.postgres.SegmentRow;
import dev.kappa.projections.internal.postgres.SkipDecision;

/**
 * Processes one segment of one generation of a projection, on a thread of its own: holds the segment's lease, reads
 * the log from the checkpoint in batches (large ones while behind, with the next one read ahead; small ones once
 * caught up), applies each batch atomically with its checkpoint, and waits for the log's notifications when there is
 * nothing to read.
 *
 * <p>After any failure it trusts nothing it remembers: it reads its checkpoint and lease back from the ledger. A
 * handler failure is retried with back-off; the events before the failing one are committed first, so that the
 * failure is pinned to one offset. When the retries run out, the segment stops there (FAILED) or parks the event in
 * the dead-letter table and goes on; an operator's decision to skip the event it stopped at makes it park the event
 * likewise. Either way the event is parked by the next batch, after the events before it, in the transaction that
 * moves the checkpoint past it. A failure no single event can be blamed for (writing staged rows, say) makes the
 * worker apply the batch again in smaller and smaller batches, down to the one event at fault.
 *
 * <p>Thread-safe: {@link #requestStop()}, {@link #awaitStopped}, {@link #nudge()} and the getters may be called from
 * any thread; everything else runs on the worker's thread.
 */
public final class SegmentWorker {

    private static final Logger log = LoggerFactory.getLogger(SegmentWorker.class);
    /** The longest pause between attempts when the database is unreachable. */
    private static final Duration MAX_OUTAGE_PAUSE = Duration.ofSeconds(5);
    private static final Duration MIN_OUTAGE_PAUSE = Duration.ofMillis(10);
    private static final long NO_OFFSET = -1;

    private final WorkerConfig config;
    private final SegmentKey key;
    private final BatchApplier applier;
    private final ProgressMeter progress;
    private final ProjectionMetrics.SegmentMeters meters;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final long renewIntervalNanos;
    /** The segment's share of the log, which it reads instead of the whole log; {@code null} for a lone segment. */
    private final LogShare share;

    private volatile boolean running = true;
    private volatile boolean owned;
    private volatile boolean caughtUp;
    private volatile long checkpoint;
    private volatile long head;
    private volatile ProjectionFailure failure;
    private volatile StoreOutage outage;

    // guarded by lock
    private boolean waitingForAppend;
    private boolean nudged;

    // the worker thread's own
    private long lastRenewal;
    private boolean renewNow;
    private boolean persistedCaughtUp;
    private boolean lastReadFull = true;
    private boolean liveBatch;
    private long isolate = NO_OFFSET;
    /** While the checkpoint is below this offset, batches are at most {@link #narrowLimit} records: hunting a culprit. */
    private long narrowThrough = NO_OFFSET;
    private int narrowLimit;
    private long failingOffset = NO_OFFSET;
    private int attempts;
    private int outages;
    /** The event to park as a dead letter instead of applying it, when a batch reaches it. */
    private SkipDecision skip;
    private long idleAbove = NO_OFFSET;
    private boolean wokenEmpty;
    private Prefetch prefetch;

    public SegmentWorker(WorkerConfig config) {
        this.config = config;
        this.key = config.key();
        this.applier = new BatchApplier(config);
        this.progress = new ProgressMeter(config.clock());
        this.renewIntervalNanos = config.lease().toNanos() / 3;
        this.share = config.segmentCount() > 1 ? LogShare.of(key.segment(), config.segmentCount()) : null;
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
                return failure != null;
            }
        });
        this.thread = new Thread(this::run, "kappa-projection-" + key.projection() + "-g" + key.generation() + "-s"
                + key.segment());
        this.thread.setDaemon(true);
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
     * cleared failure), interrupting a wait for the log.
     */
    public void nudge() {
        lock.lock();
        try {
            nudged = true;
            wake.signalAll();
            if (waitingForAppend) {
                // only ever while the worker waits for an append, never during its JDBC work
                thread.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The segment. */
    public SegmentKey key() {
        return key;
    }

    /** Whether this instance holds the segment. */
    public boolean owned() {
        return owned;
    }

    /** The instance id of this runtime while it holds the segment, else {@code null}. */
    public String owner() {
        return owned ? config.instanceId() : null;
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
        return Optional.ofNullable(failure);
    }

    /** Since when, and why, the database does not answer it, while it waits for the database. */
    public Optional<StoreOutage> outage() {
        return Optional.ofNullable(outage);
    }

    /** What it is doing. */
    public ProjectionState state() {
        if (!running) {
            return ProjectionState.STOPPED;
        }
        if (owned && failure != null) {
            return ProjectionState.FAILED;
        }
        if (outage != null) {
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
            failure = new ProjectionFailure(checkpoint + 1, "?", t.getClass().getName(), "worker crashed: "
                    + t.getMessage(), 0, config.clock().instant());
            log.error("{}: worker crashed at checkpoint {}", key, checkpoint, t);
            config.events().changed(key);
        } finally {
            discardPrefetch();
            // while the database does not answer, releasing would only wait for it: the lease expires by itself
            if (owned && outage == null) {
                try {
                    config.ledger().release();
                } catch (RuntimeException e) {
                    log.debug("{}: could not release the lease ({}); it expires by itself", key, e.getMessage());
                }
            }
            owned = false;
            meters.close();
            config.events().changed(key);
        }
    }

    private void step() {
        takeNudge();
        if (!owned) {
            if (!claim()) {
                pause(Duration.ofNanos(renewIntervalNanos));
            }
            return;
        }
        if (renewNow || System.nanoTime() - lastRenewal >= renewIntervalNanos) {
            renew();
            return;
        }
        if (failure != null) {
            pause(Duration.ofNanos(renewIntervalNanos));
            renewNow = true;
            return;
        }
        Page first = firstPage();
        if (first == null) {
            return;
        }
        if (first.records().isEmpty()) {
            if (first.through() > checkpoint) {
                // the share holds no record up to there: the checkpoint moves over it
                Outcome moved = applier.passOver(checkpoint, first.through(), first.reachedHead());
                if (moved instanceof Outcome.Applied applied) {
                    committed(applied);
                } else {
                    discardPrefetch();
                    renewNow = true;
                }
                return;
            }
            idle();
            return;
        }
        wokenEmpty = false;
        // after a failure the batch is the first page alone, so that it ends where the isolation wants it to
        boolean more = !first.reachedHead() && isolate == NO_OFFSET && narrowThrough <= checkpoint;
        handle(applier.apply(first, checkpoint, more ? this::nextPage : null,
                liveBatch ? config.liveBatchSize() : config.catchUpBatchSize(), skip), first);
    }

    // ---- the lease --------------------------------------------------------------------------------------------

    private boolean claim() {
        SegmentLedger.Claim claim;
        try {
            claim = config.ledger().claim();
        } catch (RuntimeException e) {
            outage(e, "take its lease");
            return false;
        }
        if (config.ledger().inDatabase()) {
            databaseAnswered();
        }
        if (claim instanceof SegmentLedger.Owned o) {
            owned = true;
            // held by another meanwhile, perhaps: the head must be reached again before it counts as caught up
            caughtUp = false;
            lastRenewal = System.nanoTime();
            renewNow = false;
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
        renewNow = false;
        SegmentLedger.Claim claim;
        try {
            claim = config.ledger().renew();
        } catch (RuntimeException e) {
            outage(e, "renew its lease");
            renewNow = true;
            return;
        }
        lastRenewal = System.nanoTime();
        if (config.ledger().inDatabase()) {
            databaseAnswered();
        }
        if (claim instanceof SegmentLedger.Owned o) {
            adopt(o.row(), false);
            if (o.handOver()) {
                log.info("{}: handing the segment over at checkpoint {}: this instance holds more than its fair share",
                        key, checkpoint);
                release();
            }
        } else if (claim instanceof SegmentLedger.HeldElsewhere) {
            log.info("{}: lost the segment's lease to another instance at checkpoint {}", key, checkpoint);
            owned = false;
            discardPrefetch();
            config.events().changed(key);
        } else {
            retired();
        }
    }

    private void release() {
        discardPrefetch();
        try {
            config.ledger().release();
        } catch (RuntimeException e) {
            log.debug("{}: could not release the lease ({}); it expires by itself", key, e.getMessage());
        }
        owned = false;
        config.events().changed(key);
    }

    private void retired() {
        log.info("{}: its generation was replaced; the worker stops", key);
        running = false;
        owned = false;
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
            isolate = NO_OFFSET;
            narrowThrough = NO_OFFSET;
            idleAbove = NO_OFFSET;
            if (moved) {
                // a reset: the event is tried again rather than parked
                skip = null;
            }
            discardPrefetch();
            config.events().committed(key, checkpoint);
        }
        adoptSkip(row.skip().orElse(null));
        ProjectionFailure stored = row.failure().orElse(null);
        if (stored != null && failure == null) {
            log.info("{}: stopped at offset {}, which failed with {}: {}; restart or reset the projection to try"
                    + " again", key, stored.offset(), stored.errorType(), stored.message());
            failure = stored;
            config.events().changed(key);
        } else if (stored == null && failure != null) {
            log.info("{}: failure at offset {} cleared; resuming from checkpoint {}", key, failure.offset(),
                    checkpoint);
            failure = null;
            failingOffset = NO_OFFSET;
            attempts = 0;
            config.events().changed(key);
        }
    }

    /** Takes an operator's decision to skip the event the segment stopped at, or its withdrawal. */
    private void adoptSkip(SkipDecision decided) {
        if (decided == null) {
            if (skip != null && skip.byOperator()) {
                skip = null;
            }
            return;
        }
        boolean news = skip == null || skip.offset() != decided.offset();
        skip = decided;
        if (news || failure != null) {
            log.debug("{}: skipping the event at offset {} as {} decided; resuming from checkpoint {}", key,
                    decided.offset(), decided.decision().by(), checkpoint);
        }
        if (failure != null) {
            failure = null;
            failingOffset = NO_OFFSET;
            attempts = 0;
            config.events().changed(key);
        }
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /** The first page of the next batch: small once caught up, one record at a time while hunting a failure. */
    private Page firstPage() {
        boolean narrowing = narrowThrough > checkpoint;
        liveBatch = caughtUp && !lastReadFull;
        int limit = narrowing ? narrowLimit : (liveBatch ? config.liveBatchSize()
                : Math.min(config.pageSize(), config.catchUpBatchSize()));
        Page page;
        try {
            page = read(checkpoint, limit, true);
        } catch (RuntimeException e) {
            outage(e, "read the log after offset " + checkpoint);
            return null;
        }
        databaseAnswered();
        lastReadFull = !page.reachedHead();
        if (isolate != NO_OFFSET && !page.records().isEmpty()) {
            List<LogRecord> isolated = isolate(page.records());
            if (isolated != page.records()) {
                discardPrefetch();
                return new Page(isolated, false);
            }
        }
        return page;
    }

    /** The next page within a batch, read while the batch's transaction is open (on another connection). */
    private Page nextPage(long after) {
        return read(after, config.pageSize(), false);
    }

    /**
     * Reads a page, taking the one read ahead if it is the one wanted, and reads the following one ahead when this one
     * is full. Reads never run on a batch's transaction: a batch's first page is read here, before the transaction
     * begins (a live event then reaches its batch without a hand-over between threads), the others on the prefetch
     * threads.
     */
    private Page read(long after, int limit, boolean beforeTransaction) {
        SharePage read = prefetched(after, limit);
        if (read == null) {
            read = beforeTransaction ? fetch(after, limit)
                    : CompletableFuture.supplyAsync(() -> fetch(after, limit), config.prefetcher()).join();
        }
        List<LogRecord> records = read.records();
        if (share != null) {
            head = Math.max(head, read.head());
            if (!read.reachedHead() && limit > 1) {
                startPrefetch(read.throughOffset(), limit);
            }
            return new Page(records, read.reachedHead(), read.throughOffset());
        }
        boolean full = records.size() == limit;
        if (!full) {
            if (!records.isEmpty()) {
                head = Math.max(head, records.get(records.size() - 1).offset());
            }
            return new Page(records, true);
        }
        long last = records.get(records.size() - 1).offset();
        if (limit > 1) {
            startPrefetch(last, limit);
        }
        // a full page that ends at the head (read after it) reached it too
        return new Page(records, last >= refreshHead());
    }

    /** The records below the isolated offset if there are any, else the isolated record alone. */
    private List<LogRecord> isolate(List<LogRecord> records) {
        if (records.get(0).offset() > isolate) {
            // the isolated record is gone (compacted): nothing to isolate any more
            isolate = NO_OFFSET;
            return records;
        }
        if (records.get(0).offset() == isolate) {
            return records.subList(0, 1);
        }
        int end = 0;
        while (end < records.size() && records.get(end).offset() < isolate) {
            end++;
        }
        return records.subList(0, end);
    }

    /**
     * Reads the segment's share of the log, or the log when the projection has one segment (its through offset is
     * then the last record's, and {@link #read} asks for the head).
     */
    private SharePage fetch(long after, int limit) {
        if (share != null) {
            return config.reader().readShare(share, after, limit);
        }
        List<LogRecord> records = config.reader().readLog(after, limit);
        long last = records.isEmpty() ? after : records.get(records.size() - 1).offset();
        return new SharePage(records, last, last);
    }

    private SharePage prefetched(long after, int limit) {
        Prefetch ahead = prefetch;
        prefetch = null;
        if (ahead == null) {
            return null;
        }
        if (ahead.after() != after || ahead.limit() != limit) {
            ahead.records().cancel(false);
            return null;
        }
        try {
            return ahead.records().join();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void startPrefetch(long after, int limit) {
        if (isolate != NO_OFFSET) {
            return;
        }
        prefetch = new Prefetch(after, limit, CompletableFuture.supplyAsync(
                () -> fetch(after, limit), config.prefetcher()));
    }

    private void discardPrefetch() {
        if (prefetch != null) {
            prefetch.records().cancel(false);
            prefetch = null;
        }
    }

    /** Reads the log's head; on failure returns the last one known (it only serves lag figures and hints). */
    private long refreshHead() {
        try {
            head = Math.max(head, config.reader().head());
        } catch (RuntimeException e) {
            // the next batch tries again
        }
        return head;
    }

    // ---- outcomes ---------------------------------------------------------------------------------------------

    private void handle(Outcome outcome, Page first) {
        if (outcome instanceof Outcome.Applied applied) {
            committed(applied);
        } else if (outcome instanceof Outcome.Fenced) {
            log.info("{}: could not commit the batch from offset {}: the lease was lost or the checkpoint moved;"
                    + " re-reading it", key, first.first());
            discardPrefetch();
            renewNow = true;
        } else if (outcome instanceof Outcome.Interrupted interrupted) {
            discardPrefetch();
            outage(interrupted.cause(), "apply the batch from offset " + first.first());
            renewNow = true;
        } else if (outcome instanceof Outcome.EventFailed failed) {
            discardPrefetch();
            if (failed.appliedThrough() > checkpoint) {
                checkpoint = failed.appliedThrough();
                config.events().committed(key, checkpoint);
            }
            // events of the batch before the failing one that did not stay applied are committed before it is retried
            eventFailed(failed.record(), failed.cause(), first.first() < failed.record().offset()
                    && failed.appliedThrough() < first.first());
        } else if (outcome instanceof Outcome.BatchFailed failed) {
            discardPrefetch();
            if (failed.records() > 1) {
                // a tenth of the size each time: the batch holding the culprit fails again, the others commit, and
                // after a few rounds a batch of one names the event
                narrowLimit = Math.max(1, failed.records() / 10);
                narrowThrough = failed.through();
                log.warn("{}: offsets {}..{} failed as a batch ({}); applying them in batches of {} to find the event"
                        + " at fault", key, first.first(), failed.through(), TransientFailures.describe(failed.cause()),
                        narrowLimit);
                renewNow = true;
            } else {
                eventFailed(first.records().get(0), failed.cause(), false);
            }
        }
    }

    private void committed(Outcome.Applied applied) {
        boolean reachedHead = applied.reachedHead();
        // the commit renewed the lease too, but the ledger is still asked every renewal interval: that is when the
        // worker learns that it should hand the segment over to balance the load
        checkpoint = applied.checkpoint();
        databaseAnswered();
        persistedCaughtUp = reachedHead;
        if (failingOffset != NO_OFFSET && checkpoint >= failingOffset) {
            failingOffset = NO_OFFSET;
            attempts = 0;
        }
        if (isolate != NO_OFFSET && checkpoint >= isolate) {
            isolate = NO_OFFSET;
        }
        if (skip != null && checkpoint >= skip.offset()) {
            parked(skip);
            skip = null;
        }
        head = Math.max(head, checkpoint);
        idleAbove = NO_OFFSET;
        progress.sample(checkpoint);
        meters.handled(applied.handled());
        // caught up before the commit is reported, so that whoever waited for it sees the state that goes with it
        if (reachedHead) {
            reachedHead();
        }
        config.events().committed(key, checkpoint);
    }

    private void eventFailed(LogRecord record, Throwable cause, boolean eventsBefore) {
        if (record.offset() != failingOffset) {
            failingOffset = record.offset();
            attempts = 0;
        }
        attempts++;
        // the database is the truth after a failure, not this worker's memory
        renewNow = true;
        int maxAttempts = config.retry().maxAttempts();
        if (attempts >= maxAttempts) {
            giveUp(record, cause);
            return;
        }
        meters.retried();
        if (eventsBefore) {
            // commit the events before it first, so that the retries (and any failure) concern this event alone
            isolate = record.offset();
        }
        Duration delay = config.retry().delayBefore(attempts);
        log.warn("{}: event '{}' at offset {} of stream '{}' failed (attempt {} of {}); retrying in {}: {}", key,
                record.type(), record.offset(), record.streamId(), attempts, maxAttempts, delay,
                TransientFailures.describe(cause));
        pause(delay);
    }

    private void giveUp(LogRecord record, Throwable cause) {
        ProjectionFailure given = new ProjectionFailure(record.offset(), record.type(), cause.getClass().getName(),
                cause.getMessage(), attempts, config.clock().instant());
        boolean parking = skip != null && skip.offset() == record.offset();
        if (config.failureMode() == FailureMode.DEAD_LETTER && !parking) {
            // the next batch parks it, after applying the events before it that did not stay applied: nothing between
            // the checkpoint and the event is skipped with it
            skip = SkipDecision.byFailureMode(given);
            return;
        }
        if (parking) {
            log.error("{}: could not park the event at offset {} in the dead-letter table", key, record.offset(), cause);
            skip = null;
        }
        failure = given;
        meters.failed();
        log.error("{}: FAILED at offset {} (event '{}' of stream '{}') after {} attempts; the segment stops there until"
                + " the projection is restarted (once fixed), reset, or the event is skipped", key, record.offset(), record.type(), record.streamId(),
                attempts, cause);
        try {
            config.ledger().recordFailure(given);
        } catch (RuntimeException e) {
            log.warn("{}: could not record the failure in the database ({}); it is kept here", key, e.getMessage());
        }
        config.events().changed(key);
    }

    private void parked(SkipDecision parked) {
        meters.deadLettered();
        ProjectionFailure failed = parked.failure();
        if (parked.byOperator()) {
            log.debug("{}: parked event '{}' at offset {} in the dead-letter table, skipped as {} decided; moved on",
                    key, failed.eventType(), failed.offset(), parked.decision().by());
        } else {
            log.warn("{}: parked event '{}' at offset {} in the dead-letter table after {} attempts, and moved on: {}:"
                    + " {}", key, failed.eventType(), failed.offset(), failed.attempts(), failed.errorType(),
                    failed.message());
        }
    }

    // ---- waiting ----------------------------------------------------------------------------------------------

    private void idle() {
        if (!persistedCaughtUp) {
            Outcome marked = applier.markCaughtUp(checkpoint);
            if (!(marked instanceof Outcome.Applied)) {
                renewNow = true;
                return;
            }
            persistedCaughtUp = true;
        }
        reachedHead();
        if (wokenEmpty && idleAbove == NO_OFFSET) {
            // woken for a head above the checkpoint, yet nothing to read: the records in between were compacted away
            idleAbove = headWithNothingBelow();
        }
        wokenEmpty = true;
        awaitAppend(Math.max(checkpoint, idleAbove));
    }

    /** The head, if no record lies between the checkpoint and it (read in that order, so none can slip in). */
    private long headWithNothingBelow() {
        try {
            long logHead = config.reader().head();
            return config.reader().readLog(checkpoint, 1).isEmpty() ? logHead : NO_OFFSET;
        } catch (RuntimeException e) {
            return NO_OFFSET;
        }
    }

    private void reachedHead() {
        if (!caughtUp) {
            caughtUp = true;
            log.debug("{}: caught up at checkpoint {}", key, checkpoint);
        }
        config.events().caughtUp(key);
    }

    private void awaitAppend(long above) {
        lock.lock();
        try {
            if (nudged || !running) {
                return;
            }
            waitingForAppend = true;
        } finally {
            lock.unlock();
        }
        long remaining = renewIntervalNanos - (System.nanoTime() - lastRenewal);
        try {
            if (remaining > 0) {
                config.subscriptions().awaitAppend(above, Duration.ofNanos(remaining));
            }
        } catch (InterruptedException e) {
            // nudged
        } catch (RuntimeException e) {
            outage(e, "wait for the log to grow");
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

    private void takeNudge() {
        lock.lock();
        try {
            if (nudged) {
                nudged = false;
                if (owned) {
                    renewNow = true;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits, unless nudged or stopped first. */
    private void pause(Duration duration) {
        long remaining = duration.toNanos();
        lock.lock();
        try {
            while (remaining > 0 && running && !nudged) {
                remaining = wake.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            // only stop() and nudge() interrupt, and both set a flag the loop looks at
        } finally {
            lock.unlock();
        }
    }

    /**
     * The database is unreachable or in the way: report it once, say so in the status, pause with back-off, and try
     * again, however long it takes.
     */
    private void outage(Throwable cause, String action) {
        outages++;
        String error = "could not " + action + ": " + TransientFailures.describe(cause);
        StoreOutage current = outage;
        if (current == null && outages == 1) {
            log.warn("{}: {}; retrying until the database answers", key, error);
        } else {
            log.debug("{}: {} (attempt {})", key, error, outages);
        }
        if (current != null) {
            outage = new StoreOutage(current.since(), error);
        } else if (TransientFailures.isUnavailable(cause)) {
            // a deadlock or a lock timeout is retried alike, but the database answers: only this is an outage
            outage = new StoreOutage(config.clock().instant(), error);
            config.events().changed(key);
        }
        Duration delay = min(config.retry().delayBefore(Math.min(outages, 30)), MAX_OUTAGE_PAUSE);
        // even without back-off, a dead database must not be hammered in a tight loop
        pause(delay.compareTo(MIN_OUTAGE_PAUSE) < 0 ? MIN_OUTAGE_PAUSE : delay);
    }

    /** The database answered: the back-off starts afresh, and an outage is over. */
    private void databaseAnswered() {
        outages = 0;
        StoreOutage ended = outage;
        if (ended != null) {
            outage = null;
            log.info("{}: the database answers again (it did not since {}); resuming at checkpoint {}", key,
                    ended.since(), checkpoint);
            config.events().changed(key);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "SegmentWorker[" + key + ", checkpoint " + checkpoint + ", " + state() + "]";
    }

    /** The next page, read while the current one is applied. */
    private record Prefetch(long after, int limit, CompletableFuture<SharePage> records) {
    }
}
