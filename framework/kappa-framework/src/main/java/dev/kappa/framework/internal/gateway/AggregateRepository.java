package dev.kappa.framework.internal.gateway;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.framework.AggregateModel;

/**
 * Loads aggregates — from the cache, or from the latest snapshot plus the newer events — and keeps them after a
 * command. Callers hold the aggregate's lock around a load and the {@link #stored} or {@link #evict} that follows.
 *
 * <p>The cache only ever holds states that are committed. Inside a Spring-managed transaction, the append commits
 * only with that transaction, so the state is not cached and the snapshot waits for the commit.
 *
 * <p>Thread-safe.
 */
final class AggregateRepository implements AutoCloseable {

    private final EventStore store;
    private final Cache<String, LoadedAggregate<?>> cache;
    private final AggregateSnapshots snapshots;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    private final boolean snapshotsEnabled;

    AggregateRepository(EventStore store, long cacheSize, boolean snapshotsEnabled) {
        this.store = store;
        this.snapshotsEnabled = snapshotsEnabled;
        // Caffeine evicts over the size limit only eventually: a limit of 0 must mean no cache at all
        this.cache = cacheSize == 0 ? null : Caffeine.newBuilder().maximumSize(cacheSize).build();
        this.snapshots = new AggregateSnapshots(store.snapshots());
    }

    /** The aggregate's current state, or empty if its stream has no events. */
    @SuppressWarnings("unchecked")
    <A> Optional<LoadedAggregate<A>> load(AggregateModel<A> model, String streamId) {
        LoadedAggregate<?> cached = cache == null ? null : cache.getIfPresent(streamId);
        if (cached != null && model.aggregateClass().isInstance(cached.instance())) {
            hits.increment();
            return Optional.of(((LoadedAggregate<A>) cached).asCached());
        }
        misses.increment();
        LoadedAggregate<A> start = snapshotsEnabled && model.snapshotEvery() > 0
                ? snapshots.load(model, streamId).orElse(null)
                : null;
        A instance = start == null ? model.newInstance() : start.instance();
        long version = start == null ? 0 : start.version();
        List<LogRecord> newer = store.readStream(streamId, version + 1);
        for (LogRecord record : newer) {
            model.apply(instance, store.codec().decode(record));
            version = record.streamVersion();
        }
        return version == 0 ? Optional.empty() : Optional.of(new LoadedAggregate<>(instance, version, false));
    }

    /** Records that the aggregate reached {@code newVersion} with this append: caches it and snapshots when due. */
    <A> void stored(AggregateModel<A> model, String streamId, A instance, long oldVersion, long newVersion) {
        boolean snapshotDue = snapshotsEnabled && AggregateSnapshots.due(model, oldVersion, newVersion);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            evict(streamId);
            if (snapshotDue) {
                // the instance is not cached, so nothing changes it before the commit; saved only if that comes
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        snapshots.save(model, streamId, instance, newVersion);
                    }
                });
            }
            return;
        }
        if (cache != null) {
            cache.put(streamId, new LoadedAggregate<>(instance, newVersion, true));
        }
        if (snapshotDue) {
            snapshots.save(model, streamId, instance, newVersion);
        }
    }

    /** Forgets the cached state: after a conflict or any error, the next command reads the store. */
    void evict(String streamId) {
        if (cache != null) {
            cache.invalidate(streamId);
        }
    }

    long cacheHits() {
        return hits.sum();
    }

    long cacheMisses() {
        return misses.sum();
    }

    long snapshotsSaved() {
        return snapshots.savedCount();
    }

    @Override
    public void close() {
        snapshots.close();
    }
}
