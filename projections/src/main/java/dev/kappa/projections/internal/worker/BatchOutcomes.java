package dev.kappa.projections.internal.worker;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.projections.internal.metrics.ProjectionMetrics;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.source.SourcePage;
import dev.kappa.projections.source.SourcePartition;

/**
 * What a worker does after a batch, by its {@link Outcome}: moves on after a commit; re-reads its ledger after a
 * fenced commit (the lease was lost, or the checkpoint moved); waits for the database after an interruption; retries
 * a failing event, first committing the events before it; narrows a batch that failed as a whole down to the event at
 * fault.
 *
 * <p>Not thread-safe: it belongs to one worker's thread.
 */
final class BatchOutcomes {

    private static final Logger log = LoggerFactory.getLogger(BatchOutcomes.class);

    private final SegmentKey key;
    private final WorkerEvents events;
    private final SegmentCursor cursor;
    private final SegmentLease lease;
    private final FailingEvent failing;
    private final FailureHunt hunt;
    private final OutageBackoff outages;
    private final IdleWait wait;
    private final ProjectionMetrics.SegmentMeters meters;
    private final SourcePartition source;
    private final BooleanSupplier serving;

    BatchOutcomes(WorkerConfig config, SourcePartition source, SegmentCursor cursor, SegmentLease lease, FailingEvent failing,
                  FailureHunt hunt, OutageBackoff outages, IdleWait wait, ProjectionMetrics.SegmentMeters meters) {
        this.key = config.key();
        this.events = config.events();
        this.cursor = cursor;
        this.lease = lease;
        this.failing = failing;
        this.hunt = hunt;
        this.outages = outages;
        this.wait = wait;
        this.meters = meters;
        this.source = source;
        this.serving = config.serving();
    }

    /** Acts on what became of a batch. */
    void handle(Outcome outcome, SourcePage first) {
        long from = cursor.checkpoint() + 1;
        if (outcome instanceof Outcome.Applied applied) {
            committed(applied);
        } else if (outcome instanceof Outcome.Fenced) {
            log.info("{}: could not commit the batch from offset {}: the lease was lost or the checkpoint moved;"
                    + " re-reading it", key, from);
            lease.renewSoon();
        } else if (outcome instanceof Outcome.Interrupted interrupted) {
            outage(interrupted.cause(), "apply the batch from offset " + from);
            lease.renewSoon();
        } else if (outcome instanceof Outcome.EventFailed failed) {
            cursor.keptThrough(failed.appliedThrough());
            // events of the batch before the failing one that did not stay applied are committed before it is retried
            eventFailed(failed.record(), failed.position(), failed.cause(),
                    failed.appliedThrough() < failed.position() - 1);
        } else if (outcome instanceof Outcome.BatchFailed failed) {
            if (failed.records() > 1) {
                int narrowed = hunt.narrow(failed.records(), failed.through());
                log.warn("{}: offsets {}..{} failed as a batch ({}); applying them in batches of {} to find the event"
                        + " at fault", key, from, failed.through(), DatabaseFailures.describe(failed.cause()),
                        narrowed);
                lease.renewSoon();
            } else if (!first.records().isEmpty()) {
                eventFailed(first.records().get(0), first.position(0), failed.cause(), false);
            } else {
                // no record of this segment to blame: only the checkpoint was to move, over another segment's record
                outage(failed.cause(), "move the checkpoint to offset " + failed.through());
                lease.renewSoon();
            }
        }
    }

    private void committed(Outcome.Applied applied) {
        // the commit renewed the lease too, but the ledger is still asked every renewal interval: that is when the
        // worker learns that it should hand the segment over to balance the load
        long checkpoint = applied.checkpoint();
        cursor.committed(checkpoint, applied.reachedHead());
        outages.answered(checkpoint);
        failing.committed(checkpoint, applied.parked());
        hunt.committed(checkpoint);
        wait.moved();
        meters.handled(applied.handled());
        // caught up before the commit is reported, so that whoever waited for it sees the state that goes with it
        if (applied.reachedHead()) {
            cursor.reachedHead();
        }
        events.committed(key, checkpoint);
        if (serving.getAsBoolean()) {
            mirror(checkpoint);
        }
    }

    /** Tells the source where the generation readers use stands, for its own tools; never the worker's concern. */
    private void mirror(long checkpoint) {
        try {
            source.committed(checkpoint);
        } catch (RuntimeException e) {
            log.debug("{}: the source could not mirror checkpoint {}: {}", key, checkpoint, e.toString());
        }
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

    /** The database is unreachable or in the way: pause with back-off, then try again, however long it takes. */
    private void outage(Throwable cause, String action) {
        wait.pause(outages.failed(cause, action));
    }
}
