package dev.kappa.eventstore.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sql.DataSource;

import dev.kappa.eventstore.AppendRequest;
import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.Appended;
import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExclusiveAppend;
import dev.kappa.eventstore.LogBatchHandler;
import dev.kappa.eventstore.LogCompactor;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.LogShare;
import dev.kappa.eventstore.SharePage;
import dev.kappa.eventstore.SnapshotStore;
import dev.kappa.eventstore.Subscription;
import dev.kappa.eventstore.internal.append.PostgresEventAppender;
import dev.kappa.eventstore.internal.compaction.PostgresLogCompactor;
import dev.kappa.eventstore.internal.read.PostgresEventReader;
import dev.kappa.eventstore.internal.snapshot.PostgresSnapshotStore;
import dev.kappa.eventstore.internal.subscribe.PostgresLogSubscriptions;

/**
 * The event store on PostgreSQL: each role is a class of its own, and this one only puts them together.
 * Thread-safe.
 */
public final class PostgresEventStore implements EventStore {

    /** How long closing waits for the writer and the subscriptions to finish what they have in hand. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final StoreSettings settings;
    private final PostgresEventAppender appender;
    private final PostgresEventReader reader;
    private final PostgresLogSubscriptions subscriptions;
    private final PostgresLogCompactor compactor;
    private final PostgresSnapshotStore snapshots;
    private final AtomicBoolean closed = new AtomicBoolean();

    public PostgresEventStore(DataSource dataSource, StoreSettings settings) {
        this.settings = settings;
        this.reader = new PostgresEventReader(dataSource, settings);
        this.subscriptions = new PostgresLogSubscriptions(dataSource, reader, settings);
        this.appender = new PostgresEventAppender(dataSource, settings, reader::findAppend,
                subscriptions::headCommitted);
        this.compactor = new PostgresLogCompactor(dataSource, settings);
        this.snapshots = new PostgresSnapshotStore(dataSource, settings);
    }

    @Override
    public Appended append(AppendRequest request) {
        return appender.append(request);
    }

    @Override
    public CompletableFuture<Appended> appendAsync(AppendRequest request) {
        return appender.appendAsync(request);
    }

    @Override
    public Optional<Appended> appendExclusively(ExclusiveAppend append) {
        return appender.appendExclusively(append);
    }

    @Override
    public boolean joinsCurrentTransaction() {
        return appender.joinsCurrentTransaction();
    }

    @Override
    public List<LogRecord> readStream(String streamId, long fromVersion) {
        return reader.readStream(streamId, fromVersion);
    }

    @Override
    public List<LogRecord> readStream(String streamId, long fromVersion, int maxCount) {
        return reader.readStream(streamId, fromVersion, maxCount);
    }

    @Override
    public long streamVersion(String streamId) {
        return reader.streamVersion(streamId);
    }

    @Override
    public List<LogRecord> readLog(long afterOffset, int limit) {
        return reader.readLog(afterOffset, limit);
    }

    @Override
    public SharePage readShare(LogShare share, long afterOffset, int limit) {
        return reader.readShare(share, afterOffset, limit);
    }

    @Override
    public Stream<LogRecord> streamLog(long afterOffset) {
        return reader.streamLog(afterOffset);
    }

    @Override
    public long head() {
        return reader.head();
    }

    @Override
    public Optional<List<AppendResult>> findAppend(String idempotencyKey, String requestFingerprint) {
        return reader.findAppend(idempotencyKey, requestFingerprint);
    }

    @Override
    public Subscription subscribe(long afterOffset, int batchSize, LogBatchHandler handler) {
        return subscriptions.subscribe(afterOffset, batchSize, handler);
    }

    @Override
    public boolean awaitAppend(long afterOffset, Duration timeout) throws InterruptedException {
        return subscriptions.awaitAppend(afterOffset, timeout);
    }

    @Override
    public EventCodec codec() {
        return settings.codec();
    }

    @Override
    public LogCompactor compactor() {
        return compactor;
    }

    @Override
    public SnapshotStore snapshots() {
        return snapshots;
    }

    /**
     * Stops the writer (after committing what is queued) and the subscriptions, all at once, and waits for them
     * {@link #CLOSE_WAIT} at most: an application must be able to stop whatever its database does.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            subscriptions.stop();
            appender.close(CLOSE_WAIT);
            subscriptions.close(deadline);
        }
    }
}
