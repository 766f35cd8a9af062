package dev.kappa.projections;

import java.time.Duration;
import java.util.List;
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
 * <p>Thread-safe. Control operations ({@link #reset}, {@link #rebuild}, {@link #restart}) block until done.
 */
public interface ProjectionRuntime extends AutoCloseable {

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

    /**
     * Resets a projection to offset 0 in place: stops its workers, runs its {@link ResetHandler} and sets its
     * checkpoints in one transaction, then restarts the workers, which replay the log. Clears a failure.
     */
    void reset(String projection);

    /** Resets a projection in place to {@code offset}: its read model is brought back to that offset and the tail replayed. */
    void reset(String projection, long offset);

    /**
     * Rebuilds a blue-green projection beside the generation readers use, which stays in service until the new one
     * has caught up; readers are then switched in one transaction and the old tables dropped. Returns once the build
     * has started: follow it in {@link ProjectionStatus#rebuild()}.
     *
     * @throws IllegalStateException if the projection declares no tables (reset it instead)
     */
    void rebuild(String projection);

    /** Restarts a projection's workers here, clearing a failure: a failed segment tries its event again. */
    void restart(String projection);

    /** The status of every registered projection, by name. */
    List<ProjectionStatus> status();

    /** The status of one projection. */
    ProjectionStatus status(String projection);

    /**
     * Waits until the projection has applied {@code offset} (the last offset of an append, say) to the read model
     * readers use, or the timeout passes. Woken by the workers' commits, in this process or another, not by polling.
     *
     * @throws InterruptedException if the calling thread is interrupted
     */
    CheckpointWait awaitCheckpoint(String projection, long offset, Duration timeout) throws InterruptedException;

    /** Whether every projection served here has caught up with the log since it started or was reset. */
    boolean isCaughtUp();

    /** Whether the projection has caught up with the log since it started or was reset. */
    boolean isCaughtUp(String projection);

    /**
     * Waits until every projection served here has caught up, or the timeout passes.
     *
     * @return whether they all caught up
     * @throws InterruptedException if the calling thread is interrupted
     */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException;

    /** The events a dead-letter projection parked, oldest first. */
    List<DeadLetter> deadLetters(String projection);

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
