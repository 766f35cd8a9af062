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
 * <p>When a handler keeps failing on an event, the projection stops there (or parks it, if it opts in with
 * {@link FailureMode#DEAD_LETTER}): {@link #restart} tries again once the cause is fixed, {@link #skip} moves past
 * it keeping it as a {@link DeadLetter}, and {@link #replay} applies a dead letter later.
 *
 * <p>Thread-safe. Control operations ({@link #reset}, {@link #rebuild}, {@link #restart}, {@link #skip},
 * {@link #replay}) block until done.
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
     *
     * @throws IllegalStateException if it has no {@link ResetHandler}, tables to truncate or caches to empty
     */
    void reset(String projection);

    /**
     * Resets a projection in place to {@code offset}: its read model is brought back to that offset and the tail
     * replayed. Above 0, only a projection whose {@link ResetHandler#toOffset()} says that it can go back to an offset
     * allows it; any other keeps its read model and checkpoint untouched and refuses.
     *
     * @throws IllegalArgumentException if the offset is negative or beyond the log's head
     * @throws IllegalStateException    if the projection cannot be brought back to that offset; the message says to
     *                                  reset it to 0, rebuild it blue-green or declare an offset-aware reset handler
     */
    void reset(String projection, long offset);

    /**
     * Rebuilds a blue-green projection beside the generation readers use, which stays in service until the new one
     * has caught up; readers are then switched in one transaction and the old tables dropped. Returns once the build
     * has started: follow it in {@link ProjectionStatus#rebuild()}.
     *
     * @throws IllegalStateException if the projection declares no tables (the message says whether a reset in place
     *                               is possible instead)
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

    /**
     * Skips the event a stopped projection failed on, so that it moves on: the operator's way out when an event cannot
     * be applied (a poison event) and the handler cannot be fixed now. The decision is recorded, and the worker
     * holding each segment stopped at {@code offset} (in this runtime or another) parks the event as a
     * {@link DeadLetter} ({@link DeadLetter.State#SKIPPED}, with a copy of the event, its last error and the decision)
     * in the transaction that moves its checkpoint past it, then goes on. Nothing else is skipped. Waits (up to 10
     * seconds) for the segments this runtime holds to pass the event; see {@link #deadLetters} and {@link #status}.
     *
     * <p>A later reset or rebuild replays the event like any other: if it still fails, the projection stops at it
     * again, and the letter is replaced when it is skipped again.
     *
     * @param offset   the offset the projection stopped at, as its status shows ({@link ProjectionFailure#offset()})
     * @param operator who decides, recorded with the decision; {@code null} or blank for {@code "operator"}
     * @param note     why, recorded with the decision; may be {@code null}
     * @throws IllegalStateException if no segment of the projection is stopped at {@code offset} (the message says
     *                               where it is stopped, if anywhere), or the runtime is not started
     */
    void skip(String projection, long offset, String operator, String note);

    /**
     * Every event the projection moved past without applying it (parked by its failure mode or skipped by an
     * operator, and perhaps replayed since), with a copy of the event, its last error and the decisions taken, in the
     * order they were decided.
     */
    List<DeadLetter> deadLetters(String projection);

    /**
     * Applies a dead letter's event again through the projection's handler, once the cause of its failure is fixed.
     * The projection has moved on meanwhile, so the event is applied now, out of its place in the log: the handler
     * sees it with its own offset, stream version and metadata, after the events that followed it. That suits a
     * handler whose effect does not depend on order (adding an amount, inserting a row keyed by the event);
     * otherwise reset or rebuild the projection instead.
     *
     * <p>The handler runs in one transaction with the letter's update, while no batch of its segment can commit: the
     * event is applied exactly once, and the letter becomes {@link DeadLetter.State#REPLAYED}. If the handler fails
     * again, nothing is applied and the letter stays as it was, with the new error as its last one.
     *
     * @param offset   the letter's offset
     * @param operator who replays, recorded with the letter; {@code null} or blank for {@code "operator"}
     * @return the projection's letters at {@code offset} afterwards, one per generation that parked it (usually one):
     *         {@link DeadLetter.State#REPLAYED}, or with the replay's error
     * @throws NoSuchDeadLetterException if the projection keeps no dead letter at {@code offset}
     * @throws IllegalStateException if the projection has no letter at {@code offset} waiting to be replayed, its
     *                               segment's checkpoint is below the offset again (a reset: the worker will apply
     *                               the event), it is in memory (it is rebuilt at every start: reset it), or the
     *                               runtime is not started
     * @throws ProjectionException   if the database failed during the replay
     */
    List<DeadLetter> replay(String projection, long offset, String operator);

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
