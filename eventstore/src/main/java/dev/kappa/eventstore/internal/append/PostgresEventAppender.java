package dev.kappa.eventstore.internal.append;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.kappa.eventstore.AppendOnceResult;
import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.EventAppender;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.eventstore.StreamAppend;
import dev.kappa.eventstore.internal.StoreSettings;

/**
 * Appends through the group committer, or, inside a Spring-managed transaction on the same data source, directly
 * in that transaction.
 *
 * <p>Thread-safe.
 */
public final class PostgresEventAppender implements EventAppender, AutoCloseable {

    private final DataSource dataSource;
    private final AppendPreparer preparer;
    private final GroupCommitter committer;
    private final LogWriter writer = new LogWriter();

    public PostgresEventAppender(DataSource dataSource, StoreSettings settings) {
        this.dataSource = dataSource;
        this.preparer = new AppendPreparer(settings);
        this.committer = new GroupCommitter(dataSource, settings);
    }

    @Override
    public AppendResult append(String streamId, ExpectedVersion expectedVersion, List<NewEvent> events) {
        return appendAll(List.of(new StreamAppend(streamId, expectedVersion, events))).get(0);
    }

    @Override
    public CompletableFuture<AppendResult> appendAsync(String streamId, ExpectedVersion expectedVersion,
                                                       List<NewEvent> events) {
        return appendAllAsync(List.of(new StreamAppend(streamId, expectedVersion, events)))
                .thenApply(results -> results.get(0));
    }

    @Override
    public List<AppendResult> appendAll(List<StreamAppend> appends) {
        return appendOnce(null, appends).results();
    }

    @Override
    public CompletableFuture<List<AppendResult>> appendAllAsync(List<StreamAppend> appends) {
        return appendOnceAsync(null, appends).thenApply(AppendOnceResult::results);
    }

    @Override
    public AppendOnceResult appendOnce(String idempotencyKey, List<StreamAppend> appends) {
        PreparedAppend prepared = preparer.prepare(idempotencyKey, appends);
        if (joinsSpringTransaction()) {
            return appendInSpringTransaction(prepared);
        }
        return await(committer.submit(prepared).result(), prepared);
    }

    @Override
    public CompletableFuture<AppendOnceResult> appendOnceAsync(String idempotencyKey, List<StreamAppend> appends) {
        PreparedAppend prepared = preparer.prepare(idempotencyKey, appends);
        if (joinsSpringTransaction()) {
            return CompletableFuture.completedFuture(appendInSpringTransaction(prepared));
        }
        // hop off the writer thread, so that callers' callbacks never run on it and slow every other append down
        return committer.submit(prepared).result().thenApplyAsync(Function.identity());
    }

    @Override
    public void close() {
        committer.close();
    }

    private boolean joinsSpringTransaction() {
        return TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.getResource(dataSource) != null;
    }

    private AppendOnceResult appendInSpringTransaction(PreparedAppend prepared) {
        if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            throw new IllegalStateException("cannot append to " + prepared.describe() + " inside a read-only"
                    + " transaction; append from a read-write @Transactional method");
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            AppendOutcome outcome = writer.write(connection, List.of(prepared)).get(0);
            if (outcome.conflict() != null) {
                throw outcome.conflict();
            }
            return outcome.toResult();
        } catch (SQLException e) {
            throw new EventStoreException("could not append to " + prepared.describe() + " in the current transaction: "
                    + e.getMessage() + "; roll the transaction back", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private static AppendOnceResult await(CompletableFuture<AppendOnceResult> result, PreparedAppend prepared) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventStoreException("interrupted while waiting for the append to " + prepared.describe()
                    + " to commit; it may still be written: read the stream before retrying", e);
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
