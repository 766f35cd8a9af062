package dev.kappa.projections;

import java.time.Duration;
import java.util.List;

/**
 * What can be seen of projections without changing them: their status (state, checkpoints, progress of a rebuild,
 * failures, outages), whether they have caught up with the log, and the events they moved past as dead letters.
 * Health indicators, readiness and dashboards use it.
 *
 * <p>Thread-safe. Reads only: it never changes a projection.
 */
public interface ProjectionMonitor {

    /** The status of every registered projection, by name. */
    List<ProjectionStatus> status();

    /** The status of one projection. */
    ProjectionStatus status(String projection);

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
     * Every event the projection moved past without applying it (parked by its failure mode or skipped by an
     * operator, and perhaps replayed since), with a copy of the event, its last error and the decisions taken, in the
     * order they were decided.
     */
    List<DeadLetter> deadLetters(String projection);

    /**
     * The {@code newest} dead letters the projection was decided on last, in the order they were decided: for a
     * screen refreshed every second, where a projection may have parked many.
     *
     * @throws IllegalArgumentException if {@code newest} is not positive
     */
    List<DeadLetter> deadLetters(String projection, int newest);

    /**
     * The instances that run this application's database projections on the same database, this one included, by
     * instance id; instances whose heartbeat lapsed long ago (a day) are forgotten. Only this instance where every
     * projection is in memory. This instance's entry includes its in-memory projections and their segments, which no
     * other instance sees.
     *
     * <p>Like {@link #status()}, it does not fail while the database does not answer: it is then this instance alone,
     * with the heartbeat it last saw of itself (no longer alive once that has lapsed) and the segments its workers
     * hold.
     */
    List<FleetInstance> fleet();
}
