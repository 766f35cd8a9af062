package dev.kappa.projections.internal.runtime;

import java.util.List;
import java.util.function.BooleanSupplier;

import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.internal.checkpoint.CheckpointSource;
import dev.kappa.projections.internal.rebuild.GenerationRow;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.segment.SegmentLedger;

/**
 * What the runtime does differently for a projection whose read model is in the database ({@link
 * DatabaseProjections}: generations, checkpoints and leases in Kappa's tables, shared with other instances) and for
 * one held in memory ({@link InMemoryProjections}: one generation, its checkpoints in this process, rebuilt at every
 * start). The runtime picks the kind once per projection and never asks which one it has.
 *
 * <p>Implementations are thread-safe; control operations are called holding the projection's
 * {@link ProjectionHandle#control()} lock.
 */
interface ProjectionKind {

    // ---- lifecycle and control ----

    /** Runs the projection's generations as the runtime starts, preparing what it keeps first. */
    void start(ProjectionHandle handle);

    /** Resets the projection in place to {@code offset} and replays the log from there. */
    void reset(ProjectionHandle handle, long offset);

    /** Builds the projection again beside the generation readers use. */
    void rebuild(ProjectionHandle handle);

    /** Clears the projection's failures and restarts its workers here. */
    void restart(ProjectionHandle handle);

    /** Records an operator's decision to skip {@code offset}; the segments it was recorded for (none if stopped elsewhere). */
    List<SegmentKey> decideSkip(ProjectionHandle handle, long offset, DeadLetter.Decision decision);

    /** Whether a segment decided to skip is processed here, so that the skip waits for it. */
    boolean heldHere(ProjectionHandle handle, SegmentKey key);

    /** Whether a segment decided to skip {@code offset} has passed it, or gave up the decision. */
    boolean passed(ProjectionHandle handle, SegmentKey key, long offset);

    /** Applies the projection's dead letters at {@code offset} again; the letters afterwards. */
    List<DeadLetter> replay(ProjectionHandle handle, long offset, String operator);

    /** The control thread's round for a {@link #shared()} projection; throws if the database failed. */
    void maintain(ProjectionHandle handle);

    // ---- monitoring and waits ----

    /**
     * The projection's status.
     *
     * @param look     what one status request learns from the database, shared by its projections
     * @param caughtUp whether the projection has caught up, asked only where the database answers
     */
    ProjectionStatus status(ProjectionHandle handle, DatabaseLook look, BooleanSupplier caughtUp);

    /** Whether the projection has caught up with the log since it started or was reset (the runtime is started). */
    boolean isCaughtUp(ProjectionHandle handle);

    /** Where waits read the checkpoints readers of the projection depend on. */
    CheckpointSource checkpoints(ProjectionHandle handle);

    // ---- workers ----

    /**
     * Whether it is shared with other runtimes through the database: then the runtime listens to the database's
     * channel for their commits and changes, and its control thread keeps the projection's memberships and generations.
     */
    boolean shared();

    /** The ledger a segment's worker keeps its checkpoint (and lease) in. */
    SegmentLedger ledger(ProjectionHandle handle, GenerationRow generation, SegmentKey key);

    /** Joins the generation's members before its workers start; returns what to do once they have stopped. */
    Runnable join(ProjectionHandle handle, GenerationRow generation);
}
