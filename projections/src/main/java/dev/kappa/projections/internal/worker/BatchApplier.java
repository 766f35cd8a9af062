package dev.kappa.projections.internal.worker;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.datasource.DataSourceUtils;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.EventContext;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.internal.model.HandlerMethod;
import dev.kappa.projections.internal.upsert.WriteBatch;

/**
 * Applies one batch of records atomically: the segment's records of types the projection handles are decoded and
 * handed to their handlers, the rows they staged are written, and the checkpoint moves, all in the ledger's
 * transaction; or nothing takes effect. Whatever goes wrong is reported as an {@link Outcome}, never thrown.
 *
 * <p>Not thread-safe: it belongs to one worker.
 */
final class BatchApplier {

    private final WorkerConfig config;

    BatchApplier(WorkerConfig config) {
        this.config = config;
    }

    /**
     * Applies {@code batch}, whose records all lie above {@code from}.
     *
     * @param reachedHead whether the batch ends at the head of the log, as far as the read could tell
     */
    Outcome apply(List<LogRecord> batch, long from, boolean reachedHead) {
        long to = batch.get(batch.size() - 1).offset();
        try {
            return config.ledger().inTransaction(() -> applyInTransaction(batch, from, to, reachedHead));
        } catch (EventFailure failure) {
            return TransientFailures.isTransient(failure.getCause()) ? new Outcome.Interrupted(failure.getCause())
                    : new Outcome.EventFailed(failure.record, failure.getCause(), failure.appliedThrough);
        } catch (FencedException e) {
            return new Outcome.Fenced();
        } catch (RuntimeException e) {
            return TransientFailures.isTransient(e) ? new Outcome.Interrupted(e) : new Outcome.BatchFailed(e);
        }
    }

    /** Records that the segment has reached the head without moving its checkpoint. */
    Outcome markCaughtUp(long checkpoint) {
        return commit(() -> new Outcome.Applied(checkpoint, 0), checkpoint, checkpoint, true);
    }

    /** Parks a record in the dead-letter table and moves the checkpoint past it, in one transaction. */
    Outcome park(LogRecord record, ProjectionFailure failure, long from) {
        return commit(() -> {
            config.deadLetters().park(new DeadLetter(config.key().projection(), config.key().generation(),
                    config.key().segment(), record.offset(), record.streamId(), record.type(), failure.errorType(),
                    failure.message(), failure.attempts(), failure.failedAt()));
            return new Outcome.Applied(record.offset(), 0);
        }, from, record.offset(), false);
    }

    private Outcome commit(java.util.function.Supplier<Outcome> work, long from, long to, boolean caughtUp) {
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
            return TransientFailures.isTransient(e) ? new Outcome.Interrupted(e) : new Outcome.BatchFailed(e);
        }
    }

    private Outcome applyInTransaction(List<LogRecord> batch, long from, long to, boolean reachedHead) {
        int segments = config.segmentCount();
        int segment = config.key().segment();
        try (WriteBatch writes = WriteBatch.open(config.key().projection(), config.database())) {
            long applied = from;
            int handled = 0;
            for (LogRecord record : batch) {
                if (segments == 1 || SegmentHash.segmentOf(record.streamId(), segments) == segment) {
                    try {
                        if (handle(record)) {
                            handled++;
                        }
                    } catch (Exception | StackOverflowError | LinkageError e) {
                        throw new EventFailure(record, e, keepAppliedThrough(from, applied));
                    }
                }
                applied = record.offset();
            }
            if (config.database()) {
                flush(writes);
            }
            if (!config.ledger().advance(from, to, reachedHead)) {
                throw new FencedException();
            }
            return new Outcome.Applied(to, handled);
        }
    }

    /** In memory the events before a failing one stay applied, so the checkpoint moves up to them. */
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

    /** A handler failed on a record: rolls the batch back, carrying the record out. */
    private static final class EventFailure extends RuntimeException {
        private final transient LogRecord record;
        private final long appliedThrough;

        EventFailure(LogRecord record, Throwable cause, long appliedThrough) {
            super(cause.toString(), cause, false, false);
            this.record = record;
            this.appliedThrough = appliedThrough;
        }
    }

    /** The compare-and-set of the checkpoint found nothing to update: rolls the batch back. */
    private static final class FencedException extends RuntimeException {
        FencedException() {
            super("lease lost or checkpoint moved", null, false, false);
        }
    }

    /** Writing staged rows failed. */
    static final class StagedWriteException extends RuntimeException {
        StagedWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
