package dev.kappa.projections.internal.worker;

import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.projections.FailureMode;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.internal.deadletter.SkipDecision;
import dev.kappa.projections.internal.metrics.ProjectionMetrics;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.segment.SegmentRow;

/**
 * What a worker does about an event whose handling fails: retries it with back-off; when the retries run out, stops
 * the segment there (FAILED, recorded in the ledger) or, for a dead-letter projection, decides to park it and go on.
 * An operator's decision to skip the event a segment stopped at makes it park the event likewise. Either way the event
 * is parked by the next batch, after the events before it, in the transaction that moves the checkpoint past it: the
 * decision waits here until then ({@link #skip()}).
 *
 * <p>Thread-safe for {@link #failure()}, read by status readers; everything else runs on the worker's thread.
 */
final class FailingEvent {

    private static final Logger log = LoggerFactory.getLogger(FailingEvent.class);
    private static final long NONE = -1;

    private final SegmentKey key;
    private final WorkerConfig config;
    private final ProjectionMetrics.SegmentMeters meters;
    private volatile ProjectionFailure failure;
    private long failingPosition = NONE;
    private int attempts;
    /** The event to park as a dead letter instead of applying it, when a batch reaches it. */
    private SkipDecision skip;

    FailingEvent(WorkerConfig config, ProjectionMetrics.SegmentMeters meters) {
        this.key = config.key();
        this.config = config;
        this.meters = meters;
    }

    /** Why the segment stopped, while it is failed. */
    Optional<ProjectionFailure> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether the segment is stopped at a failing event. */
    boolean failed() {
        return failure != null;
    }

    /** The worker crashed (a bug, or an Error): it is failed, here only, until it is started again. */
    void crashed(ProjectionFailure crash) {
        failure = crash;
    }

    /** The event the next batch is to park rather than apply, or {@code null}. */
    SkipDecision skip() {
        return skip;
    }

    /**
     * The event at {@code position} failed once more.
     *
     * @return how long to wait before trying it again; {@code null} if the retries ran out: the segment stopped, or
     *         the event is to be parked
     */
    Duration failed(LogRecord record, long position, Throwable cause) {
        if (position != failingPosition) {
            failingPosition = position;
            attempts = 0;
        }
        attempts++;
        int maxAttempts = config.retry().maxAttempts();
        if (attempts >= maxAttempts) {
            giveUp(record, cause);
            return null;
        }
        meters.retried();
        Duration delay = config.retry().delayBefore(attempts);
        log.warn("{}: event '{}' at offset {} of stream '{}' failed (attempt {} of {}); retrying in {}: {}", key,
                record.type(), record.offset(), record.streamId(), attempts, maxAttempts, delay,
                DatabaseFailures.describe(cause));
        return delay;
    }

    /**
     * The checkpoint moved to {@code checkpoint}: the failing event, if below it, is done, and so is the one to park if
     * the batch parked it.
     */
    void committed(long checkpoint, boolean parkedSkip) {
        if (failingPosition != NONE && checkpoint >= failingPosition) {
            failingPosition = NONE;
            attempts = 0;
        }
        if (skip != null && parkedSkip) {
            parked(skip);
            skip = null;
        }
    }

    /**
     * Takes the ledger's word for the failure and the decision to skip it.
     *
     * @param moved      whether the checkpoint moved elsewhere (a reset): the event is then tried again rather than
     *                   parked
     * @param checkpoint the checkpoint read back
     */
    void adopt(SegmentRow row, boolean moved, long checkpoint) {
        if (moved) {
            skip = null;
        }
        adoptSkip(row.skip().orElse(null), checkpoint);
        ProjectionFailure stored = row.failure().orElse(null);
        if (stored != null && failure == null) {
            log.info("{}: stopped at offset {}, which failed with {}: {}; restart or reset the projection to try"
                    + " again", key, stored.offset(), stored.errorType(), stored.message());
            failure = stored;
            config.events().changed(key);
        } else if (stored == null && failure != null) {
            log.info("{}: failure at offset {} cleared; resuming from checkpoint {}", key, failure.offset(),
                    checkpoint);
            cleared();
        }
    }

    /** Takes an operator's decision to skip the event the segment stopped at, or its withdrawal. */
    private void adoptSkip(SkipDecision decided, long checkpoint) {
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
            cleared();
        }
    }

    private void cleared() {
        failure = null;
        failingPosition = NONE;
        attempts = 0;
        config.events().changed(key);
    }

    private void giveUp(LogRecord record, Throwable cause) {
        // named by its log offset, which every source's records carry: the position is the segment's own
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
            log.error("{}: could not park the event at offset {} in the dead-letter table", key, record.offset(),
                    cause);
            skip = null;
        }
        meters.failed();
        log.error("{}: FAILED at offset {} (event '{}' of stream '{}') after {} attempts; the segment stops there until"
                + " the projection is restarted (once fixed), reset, or the event is skipped", key, record.offset(),
                record.type(), record.streamId(), attempts, cause);
        try {
            config.ledger().recordFailure(given);
        } catch (RuntimeException e) {
            log.warn("{}: could not record the failure in the database ({}); it is kept here", key, e.getMessage());
        }
        // shown as failed once the ledger knows it: whoever sees the failure can then skip the event
        failure = given;
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
}
