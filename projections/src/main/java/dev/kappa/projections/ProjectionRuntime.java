package dev.kappa.projections;

import javax.sql.DataSource;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.LogSubscriptions;

/**
 * Runs projections: one worker per segment of each, reading the log from its checkpoint in batches, applying the
 * events and committing the read model's changes with the new checkpoint in one transaction.
 *
 * <pre>{@code
 * ProjectionSchema.migrate(dataSource);
 * ProjectionRuntime runtime = ProjectionRuntime.builder(dataSource, eventStore).build();
 * runtime.register(new AccountBalances(dataSource));
 * runtime.start();
 * runtime.awaitCaughtUp(Duration.ofMinutes(1));          // report ready
 * ...
 * CheckpointWait wait = runtime.awaitCheckpoint("account-balances", result.toOffset(), Duration.ofSeconds(2));
 * }</pre>
 *
 * <p>Several runtimes (application instances) may run the same projections against one database: each segment of a
 * database projection is processed by one of them at a time, under a lease, and taken over when its owner dies.
 *
 * <p>The runtime is the lifecycle of the projections (register, start, close) and plays the three roles an
 * application uses, each of which it may be handed alone: {@link ProjectionControl} (reset, rebuild, restart, skip,
 * replay), {@link ProjectionMonitor} (status, caught up, dead letters) and {@link CheckpointWaits} (read your writes).
 * The Spring Boot starter exposes each role as a bean of its own, all backed by the one runtime.
 *
 * <p>Thread-safe.
 */
public interface ProjectionRuntime extends ProjectionControl, ProjectionMonitor, CheckpointWaits, AutoCloseable {

    /** A builder for a runtime on the log of {@code store}, keeping checkpoints in {@code dataSource}. */
    static ProjectionRuntimeBuilder builder(DataSource dataSource, EventStore store) {
        return new ProjectionRuntimeBuilder(dataSource, store, store, store.codec());
    }

    /** A builder for a runtime that is given only the roles of the event store it needs. */
    static ProjectionRuntimeBuilder builder(DataSource dataSource, EventReader reader, LogSubscriptions subscriptions,
                                           EventCodec codec) {
        return new ProjectionRuntimeBuilder(dataSource, reader, subscriptions, codec);
    }

    /**
     * Registers a projection: an object of a class annotated {@link Projection}. Two objects may share a name only
     * if they are versions of one blue-green projection: the old version then keeps serving readers until the new
     * one has caught up.
     *
     * @return this runtime
     * @throws IllegalArgumentException if the class is not a valid projection, or its name and version are taken
     * @throws IllegalStateException    if the runtime has already started
     */
    ProjectionRuntime register(Object projection);

    /**
     * Starts the workers. Returns at once: the projections catch up in the background (see {@link #awaitCaughtUp}).
     *
     * @throws IllegalStateException if already started or closed
     * @throws ProjectionException   if the projections' tables cannot be prepared (is the schema migrated?)
     */
    void start();

    /** The id this runtime holds leases under. */
    String instanceId();

    /**
     * Stops the workers after the batch each has in hand and hands their segments over to other instances. Waits for
     * them a few seconds at most, whatever the database does: a batch cut off is rolled back and replayed later, and a
     * lease the database cannot take back expires by itself. Idempotent.
     */
    @Override
    void close();
}
