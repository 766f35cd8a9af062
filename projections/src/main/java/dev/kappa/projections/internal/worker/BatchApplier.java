package dev.kappa.projections.internal.worker;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.jdbc.datasource.DataSourceUtils;

import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.projections.EventContext;
import dev.kappa.projections.internal.deadletter.SkipDecision;
import dev.kappa.projections.internal.model.HandlerMethod;
import dev.kappa.projections.internal.upsert.WriteBatch;
import dev.kappa.projections.source.SourcePage;

/**
 * Applies one batch of records atomically: the records of types the projection handles are decoded and handed to
 * their handlers, the rows they staged are written, and the checkpoint moves, all in the ledger's
 * transaction; or nothing takes effect. Whatever goes wrong is reported as an {@link Outcome}, never thrown. It knows
 * records only as pages of its source's partition, and positions only as the pages give them.
 *
 * <p>Not thread-safe: it belongs to one worker.
 */
final class BatchApplier {

    private static final long NO_PROGRESS = -1;
    private final WorkerConfig config;
    private final BatchObservations observations;

    BatchApplier(WorkerConfig config) {
        this.config = config;
        this.observations = new BatchObservations(config.observationRegistry(), config.key());
    }

    /**
     * Applies a batch, in one transaction: the first page, whose records all lie above {@code from}, then, while the
     * batch's pages held fewer than {@code maxEvents} records, its handlers staged fewer than {@code maxStagedRows}
     * rows (either may end a page beyond), it has run for less than a third of the lease (the interval at which the
     * lease is renewed, between batches: a batch that outlived its lease would be fenced at its commit by an instance
     * that took the segment over, and a slow projection would then never commit in a fleet) and the source goes on,
     * the pages {@code more} hands out; the checkpoint moves to the last page's end. A page is let go once applied
     * (only the next one, read ahead, is held beside it), so a large batch (which merges more staged rows, and so
     * writes fewer) costs no more memory than two pages and its staged rows.
     *
     * @param more the following pages; {@code null} to apply the first page alone
     * @param skip the event to park as a dead letter instead of applying it, if the batch reaches it; or {@code null}
     */
    Outcome apply(SourcePage first, long from, Pages more, int maxEvents, int maxStagedRows, SkipDecision skip) {
        if (observations.off()) {
            return applyObserved(first, from, more, maxEvents, maxStagedRows, skip);
        }
        return observations.observe(first, from, () -> applyObserved(first, from, more, maxEvents, maxStagedRows,
                skip));
    }

    private Outcome applyObserved(SourcePage first, long from, Pages more, int maxEvents, int maxStagedRows,
                                  SkipDecision skip) {
        Reading reading = new Reading();
        try {
            return config.ledger().inTransaction(() -> applyInTransaction(first, from, more, maxEvents,
                    maxStagedRows, skip, reading));
        } catch (EventFailure failure) {
            return DatabaseFailures.isTransient(failure.getCause()) ? new Outcome.Interrupted(failure.getCause())
                    : new Outcome.EventFailed(failure.record, failure.position, failure.getCause(),
                            failure.appliedThrough);
        } catch (FencedException e) {
            return new Outcome.Fenced();
        } catch (RuntimeException e) {
            return DatabaseFailures.isTransient(e) ? new Outcome.Interrupted(e)
                    : new Outcome.BatchFailed(e, reading.records, reading.through);
        }
    }

    /** Records that the segment has reached the head without moving its checkpoint. */
    Outcome markCaughtUp(long checkpoint) {
        return commit(() -> new Outcome.Applied(checkpoint, 0, true, false), checkpoint, checkpoint, true);
    }

    /**
     * Applies one record again, outside the segment's order, in one transaction that runs {@code before} first and
     * {@code after} last: a replayed dead letter. Whatever {@code before} or {@code after} throw is thrown.
     *
     * @return empty if the record was applied and the transaction committed; the failure of its handling (decoding,
     *         handler or staged rows) otherwise, after a rollback
     */
    Optional<Throwable> replay(LogRecord record, Runnable before, Runnable after) {
        try {
            return config.ledger().inTransaction(() -> {
                before.run();
                try (WriteBatch writes = WriteBatch.open(config.key().projection(), config.database(), true)) {
                    try {
                        handle(record);
                        if (config.database()) {
                            flush(writes);
                        }
                    } catch (Exception | StackOverflowError | LinkageError e) {
                        throw new EventFailure(record, NO_PROGRESS, e, NO_PROGRESS);
                    }
                }
                after.run();
                return Optional.empty();
            });
        } catch (EventFailure failure) {
            return Optional.of(failure.getCause());
        }
    }

    /** Runs {@code work} and moves the checkpoint from {@code from} to {@code to} in one transaction. */
    private Outcome commit(Supplier<Outcome> work, long from, long to, boolean caughtUp) {
        try {
            return config.ledger().inTransaction(() -> {
                Outcome outcome = work.get();
                if (!config.ledger().advance(from, to, caughtUp)) {
                    throw new FencedException();
                }
                return outcome;
            });
        } catch (FencedException e) {
            return new Outcome.Fenced();
        } catch (RuntimeException e) {
            return DatabaseFailures.isTransient(e) ? new Outcome.Interrupted(e)
                    : new Outcome.BatchFailed(e, 1, to);
        }
    }

    private Outcome applyInTransaction(SourcePage first, long from, Pages more, int maxEvents, int maxStagedRows,
                                       SkipDecision skip, Reading reading) {
        try (WriteBatch writes = WriteBatch.open(config.key().projection(), config.database(),
                config.segmentCount() > 1)) {
            long applied = from;
            long renewalDue = System.nanoTime() + config.lease().toNanos() / 3;
            int handled = 0;
            boolean parked = false;
            SourcePage page = first;
            while (true) {
                List<LogRecord> records = page.records();
                for (int i = 0, n = records.size(); i < n; i++) {
                    LogRecord record = records.get(i);
                    long position = page.position(i);
                    // a failure, and so a decision to skip, names the event by its log offset, its position being
                    // the segment's own (a topic's partition has positions of its own)
                    if (skip != null && record.offset() == skip.offset()) {
                        park(record, position, skip);
                        parked = true;
                    } else {
                        try {
                            RuntimeException unreadable = page.unreadable(i);
                            if (unreadable != null) {
                                throw unreadable;
                            }
                            if (handle(record)) {
                                handled++;
                            }
                        } catch (Exception | StackOverflowError | LinkageError e) {
                            throw new EventFailure(record, position, e, keepAppliedThrough(from, position - 1));
                        }
                    }
                }
                // a page that holds nothing and got nowhere has nothing now, without knowing it is the head (a topic's
                // partition whose next fetch has not come back): the batch ends there, not caught up
                boolean stalled = page.records().isEmpty() && page.through() <= applied;
                applied = Math.max(applied, page.through());
                reading.records += page.records().size();
                reading.through = applied;
                if (more == null || page.reachedHead() || stalled || reading.records >= maxEvents
                        || writes.stagedRows() >= maxStagedRows || System.nanoTime() - renewalDue >= 0) {
                    break;
                }
                page = more.after(applied);
            }
            if (config.database()) {
                flush(writes);
            }
            if (!config.ledger().advance(from, applied, page.reachedHead())) {
                throw new FencedException();
            }
            return new Outcome.Applied(applied, handled, page.reachedHead(), parked);
        }
    }

    /**
     * Parks a record as a dead letter, in the batch's transaction, which moves the checkpoint past it: an event is
     * parked exactly once, and never lost. An operator's decision is cleared in the same transaction.
     */
    private void park(LogRecord record, long position, SkipDecision skip) {
        config.deadLetters().park(config.key(), record, position, skip);
        if (skip.byOperator() && !config.ledger().clearSkipped(record.offset())) {
            throw new FencedException();
        }
    }

    /**
     * In memory the events before a failing one stay applied, so the checkpoint moves up to them: to just before the
     * failing one, past whatever the reads passed over on the way.
     */
    private long keepAppliedThrough(long from, long applied) {
        if (config.ledger().keepsPartialProgress() && applied > from && config.ledger().advance(from, applied, false)) {
            return applied;
        }
        return from;
    }

    private boolean handle(LogRecord record) throws Exception {
        Optional<HandlerMethod> handler = config.resolver().resolve(record.type(), record.offset());
        if (handler.isEmpty()) {
            return false;
        }
        Object event = config.codec().decode(record);
        EventContext context = new EventContext(record.offset(), record.streamId(), record.streamVersion(),
                record.type(), record.metadata(), config.key().projection(), config.key().segment(), config.tables());
        handler.get().invoke(config.definition().target(), event, context);
        return true;
    }

    private void flush(WriteBatch writes) {
        if (writes.isEmpty()) {
            return;
        }
        Connection connection = DataSourceUtils.getConnection(config.dataSource());
        try {
            writes.flush(config.upsertWriter(), connection, config.tables());
        } catch (SQLException | RuntimeException e) {
            // the table may have been changed under the cached statements
            config.upsertWriter().forgetAll();
            throw new StagedWriteException("could not write the rows staged by " + config.key() + ": "
                    + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, config.dataSource());
        }
    }

    /** How far a batch got in its transaction (records read, position): kept outside it, for when it fails. */
    private static final class Reading {
        int records;
        long through;
    }

    /** A handler failed on a record: rolls the batch back, carrying the record out. */
    private static final class EventFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient LogRecord record;
        private final long position;
        private final long appliedThrough;

        EventFailure(LogRecord record, long position, Throwable cause, long appliedThrough) {
            super(cause.toString(), cause, false, false);
            this.record = record;
            this.position = position;
            this.appliedThrough = appliedThrough;
        }
    }

    /** The compare-and-set of the checkpoint found nothing to update: rolls the batch back. */
    private static final class FencedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FencedException() {
            super("lease lost or checkpoint moved", null, false, false);
        }
    }

    /** Writing staged rows failed. */
    static final class StagedWriteException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StagedWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
