package dev.kappa.eventstore.internal.append;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.kappa.eventstore.AppendOutcomeUnknownException;
import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.Appended;
import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.EventAppender;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.eventstore.ExclusiveAppend;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.eventstore.StoreObserver;
import dev.kappa.eventstore.internal.ConnectionFailures;
import dev.kappa.eventstore.internal.StoreSettings;

/**
 * Appends through the group committer, or, inside a Spring-managed transaction on the same data source, directly
 * in that transaction.
 *
 * <p>Thread-safe.
 */
public final class PostgresEventAppender implements EventAppender, AutoCloseable {

    private static final String STREAM_VERSION = "SELECT version FROM kappa_streams WHERE stream_id = ?";
    private static final Duration DEFAULT_CLOSE_WAIT = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final AppendPreparer preparer;
    private final GroupCommitter committer;
    private final LogWriter writer = new LogWriter();
    private final TransactionTemplate exclusiveTransaction;
    private final BiFunction<String, String, Optional<List<AppendResult>>> recordedAppends;
    private final StoreObserver observer;
    private final AppendObservations observations;

    /**
     * @param recordedAppends looks up the results recorded under an idempotency key for a request fingerprint (the
     *                        reader's {@code findAppend}, which refuses a different request), inside the current
     *                        transaction
     * @param committed       told the new head each time the group committer commits
     */
    public PostgresEventAppender(DataSource dataSource, StoreSettings settings,
                                 BiFunction<String, String, Optional<List<AppendResult>>> recordedAppends,
                                 LongConsumer committed) {
        this.dataSource = dataSource;
        this.preparer = new AppendPreparer(settings);
        this.observations = new AppendObservations(settings.observationRegistry());
        this.committer = new GroupCommitter(dataSource, settings, committed, observations);
        this.recordedAppends = recordedAppends;
        this.observer = settings.observer();
        this.exclusiveTransaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        // the version read after the lock must see every commit made before it, as only READ COMMITTED guarantees
        this.exclusiveTransaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
    }

    @Override
    public Appended append(AppendRequest request) {
        long started = System.nanoTime();
        AppendTrace trace = observations.start(request);
        Throwable failure = null;
        int events = 0;
        try {
            PreparedAppend prepared = preparer.prepare(trace.stamp(request));
            events = prepared.eventCount();
            if (joinsCurrentTransaction()) {
                return appendInSpringTransaction(prepared);
            }
            return await(committer.submit(prepared, trace.observation()).result(), prepared);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            trace.end(failure);
            if (events > 0) {
                observer.appendEnded(events, System.nanoTime() - started, failure);
            }
        }
    }

    @Override
    public CompletableFuture<Appended> appendAsync(AppendRequest request) {
        if (joinsCurrentTransaction()) {
            return CompletableFuture.completedFuture(append(request));
        }
        long started = System.nanoTime();
        AppendTrace trace = observations.start(request);
        PreparedAppend prepared;
        PendingAppend pending;
        try {
            prepared = preparer.prepare(trace.stamp(request));
            pending = committer.submit(prepared, trace.observation());
        } catch (RuntimeException | Error e) {
            trace.end(e);
            throw e;
        }
        // hop off the writer thread, so that callers' callbacks never run on it and slow every other append down
        return pending.result()
                .whenComplete((result, failure) -> {
                    trace.end(failure);
                    observer.appendEnded(prepared.eventCount(), System.nanoTime() - started, failure);
                })
                .thenApplyAsync(Function.identity());
    }

    @Override
    public Optional<Appended> appendExclusively(ExclusiveAppend append) {
        Objects.requireNonNull(append, "exclusive append must not be null");
        String streamId = append.streamId();
        AppendTrace trace = observations.start(streamId, 1);
        Throwable failure = null;
        try {
            return exclusively(append, trace);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            trace.end(failure);
        }
    }

    private Optional<Appended> exclusively(ExclusiveAppend append, AppendTrace trace) {
        String streamId = append.streamId();
        try {
            return exclusivelyInTransaction(append, trace);
        } catch (CannotCreateTransactionException e) {
            throw ConnectionFailures.unavailable("could not lock the log to append to stream '" + streamId + "'",
                    e.getCause() == null ? e : e.getCause());
        } catch (TransactionSystemException e) {
            // a failed rollback hides the failure that caused it, which says more
            if (e.getApplicationException() instanceof RuntimeException cause) {
                throw cause;
            }
            if (DatabaseFailures.endsSession(e)) {
                throw new AppendOutcomeUnknownException("the database connection was lost while committing the"
                        + " append to stream '" + streamId + "' (" + e.getMostSpecificCause().getMessage() + "); it"
                        + " may or may not have been written: read the stream before retrying", e);
            }
            throw new EventStoreException("could not append to stream '" + streamId + "': " + e.getMessage(), e);
        }
    }

    private Optional<Appended> exclusivelyInTransaction(ExclusiveAppend append, AppendTrace trace) {
        String streamId = append.streamId();
        String idempotencyKey = append.idempotencyKey();
        return exclusiveTransaction.execute(status -> {
            Connection connection = DataSourceUtils.getConnection(dataSource);
            long version;
            try {
                LogWriter.lockHead(connection);
                version = streamVersion(connection, streamId);
            } catch (SQLException e) {
                throw new EventStoreException("could not lock the log to append to stream '" + streamId + "': "
                        + e.getMessage(), e);
            } finally {
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
            if (idempotencyKey != null) {
                // the lock is held: a key recorded by now is the final word
                Optional<Appended> earlier = recordedAppend(idempotencyKey, append.requestFingerprint());
                if (earlier.isPresent()) {
                    return earlier;
                }
            }
            List<NewEvent> events = trace.stamp(append.decision().decide(version));
            if (events == null || events.isEmpty()) {
                return Optional.<Appended>empty();
            }
            AppendRequest request = AppendRequest.to(streamId, ExpectedVersion.exactly(version), events)
                    .withIdempotencyKey(idempotencyKey, append.requestFingerprint());
            return Optional.of(appendInSpringTransaction(preparer.prepare(request)));
        });
    }

    /** Closes the writer, waiting for it at most {@code wait}: see {@link GroupCommitter#close(Duration)}. */
    public void close(Duration wait) {
        committer.close(wait);
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_WAIT);
    }

    private Optional<Appended> recordedAppend(String idempotencyKey, String requestFingerprint) {
        return recordedAppends.apply(idempotencyKey, requestFingerprint)
                .map(results -> new Appended(results, true));
    }

    private static long streamVersion(Connection connection, String streamId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(STREAM_VERSION)) {
            statement.setString(1, streamId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Override
    public boolean joinsCurrentTransaction() {
        return TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.getResource(dataSource) != null;
    }

    private Appended appendInSpringTransaction(PreparedAppend prepared) {
        if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            throw new IllegalStateException("cannot append to " + prepared.describe() + " inside a read-only"
                    + " transaction; append from a read-write @Transactional method");
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            AppendOutcome outcome = writer.write(connection, List.of(prepared)).outcomes().get(0);
            if (outcome.refusal() != null) {
                throw outcome.refusal();
            }
            return outcome.toResult();
        } catch (SQLException e) {
            throw new EventStoreException("could not append to " + prepared.describe() + " in the current transaction: "
                    + e.getMessage() + "; roll the transaction back", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private static Appended await(CompletableFuture<Appended> result, PreparedAppend prepared) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AppendOutcomeUnknownException("interrupted while waiting for the append to "
                    + prepared.describe() + " to commit; it may still be written: read the stream before retrying", e);
        } catch (ExecutionException | CompletionException e) {
            throw rethrowable(e.getCause());
        } catch (CancellationException e) {
            throw new EventStoreException("the append to " + prepared.describe() + " was cancelled", e);
        }
    }

    private static RuntimeException rethrowable(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new EventStoreException("append failed: " + cause, cause);
    }
}
