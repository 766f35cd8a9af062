package dev.kappa.eventstore;

import javax.sql.DataSource;

/**
 * The log with all its roles: append, read, follow, compact and snapshot. Hand each part of an application only
 * the role it needs ({@link EventReader} to a projection, say).
 *
 * <pre>{@code
 * KappaSchema.migrate(dataSource);
 * EventCodec codec = EventCodec.builder().register(AccountOpened.class).build();
 * try (EventStore store = EventStore.builder(dataSource).codec(codec).build()) {
 *     store.append("account-1", ExpectedVersion.noStream(), List.of(NewEvent.of(new AccountOpened("Ada"))));
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} commits the appends already queued, then stops the store's threads.
 */
public interface EventStore extends EventAppender, EventReader, LogSubscriptions, AutoCloseable {

    /** A builder for an event store on a PostgreSQL data source whose Kappa tables exist (see {@link KappaSchema}). */
    static EventStoreBuilder builder(DataSource dataSource) {
        return new EventStoreBuilder(dataSource);
    }

    /** The codec the store encodes and decodes with. */
    EventCodec codec();

    /** The compaction role. */
    LogCompactor compactor();

    /** The snapshot store, in the same database. */
    SnapshotStore snapshots();

    /**
     * Finishes queued appends, closes subscriptions and stops the store's threads, waiting for them a few seconds at
     * most, whatever the database does. Idempotent.
     */
    @Override
    void close();
}
