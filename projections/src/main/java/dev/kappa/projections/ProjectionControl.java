package dev.kappa.projections;

import java.util.List;

/**
 * What an operator does to projections: reset one to an offset, rebuild it beside the version readers use, restart
 * it after a failure, skip the event it stopped at, replay a dead letter. The actuator endpoint's write operations use
 * it; an application injects it where it offers these actions itself.
 *
 * <p>When a handler keeps failing on an event, the projection stops there (or parks it, if it opts in with
 * {@link FailureMode#DEAD_LETTER}): {@link #restart} tries again once the cause is fixed, {@link #skip} moves past
 * it keeping it as a {@link DeadLetter}, and {@link #replay} applies a dead letter later.
 *
 * <p>Thread-safe. Every operation blocks until done (a rebuild, until it has started); all need a started runtime.
 */
public interface ProjectionControl {

    /**
     * Resets a projection to offset 0 in place: stops its workers, runs its {@link ResetHandler} and sets its
     * checkpoints in one transaction, then restarts the workers, which replay the log. Clears a failure. A projection
     * that reads a topic ({@link Projection#topic()}) replays the topic from its start: its positions go back to 0.
     *
     * @throws IllegalStateException if it has no {@link ResetHandler}, tables to truncate or caches to empty
     */
    void reset(String projection);

    /**
     * Resets a projection in place to {@code offset}: its read model is brought back to that offset and the tail
     * replayed. Above 0, only a projection whose {@link ResetHandler#toOffset()} says that it can go back to an offset
     * allows it; any other keeps its read model and checkpoint untouched and refuses.
     *
     * @throws IllegalArgumentException if the offset is negative or beyond the log's head, or above 0 for a projection
     *                                  that reads a topic (its positions are the partitions', not log offsets)
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

    /**
     * Skips the event a stopped projection failed on, so that it moves on: the operator's way out when an event cannot
     * be applied (a poison event) and the handler cannot be fixed now. The decision is recorded, and the worker
     * holding each segment stopped at {@code offset} (in this runtime or another) parks the event as a
     * {@link DeadLetter} ({@link DeadLetter.State#SKIPPED}, with a copy of the event, its last error and the decision)
     * in the transaction that moves its checkpoint past it, then goes on. Nothing else is skipped. Waits (up to 10
     * seconds) for the segments this runtime holds to pass the event; see {@link ProjectionMonitor#deadLetters} and {@link ProjectionMonitor#status}.
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
}
