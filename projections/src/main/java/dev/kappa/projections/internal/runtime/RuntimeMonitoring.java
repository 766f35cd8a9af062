package dev.kappa.projections.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.FleetInstance;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.internal.checkpoint.CheckpointWaiter;
import dev.kappa.projections.internal.deadletter.PostgresDeadLetters;

/**
 * The runtime as a {@link ProjectionMonitor}: status, caught up, dead letters, fleet. Status and fleet are put together
 * from the database, or, while it does not answer, from what the workers here know, without waiting for it again.
 *
 * <p>Thread-safe.
 */
final class RuntimeMonitoring implements ProjectionMonitor {

    private final RuntimeSettings settings;
    private final ProjectionRegistry registry;
    private final Function<ProjectionHandle, ProjectionKind> kinds;
    private final PostgresDeadLetters deadLetters;
    private final CheckpointWaiter waiter;
    private final FleetReport fleet;
    /** The log's head as last read: what status reports show while the database does not answer. */
    private final AtomicLong lastHead = new AtomicLong();

    RuntimeMonitoring(RuntimeSettings settings, ProjectionRegistry registry,
                      Function<ProjectionHandle, ProjectionKind> kinds, PostgresDeadLetters deadLetters,
                      CheckpointWaiter waiter, FleetReport fleet) {
        this.settings = settings;
        this.registry = registry;
        this.kinds = kinds;
        this.deadLetters = deadLetters;
        this.waiter = waiter;
        this.fleet = fleet;
    }

    @Override
    public List<ProjectionStatus> status() {
        DatabaseLook look = look();
        List<ProjectionStatus> statuses = new ArrayList<>();
        for (ProjectionHandle handle : registry.all()) {
            statuses.add(status(handle, look));
        }
        return statuses;
    }

    @Override
    public ProjectionStatus status(String projection) {
        return status(registry.handle(projection), look());
    }

    private ProjectionStatus status(ProjectionHandle handle, DatabaseLook look) {
        return kinds.apply(handle).status(handle, look, () -> isCaughtUp(handle.name()));
    }

    private DatabaseLook look() {
        return new DatabaseLook(registry.knownOutage(), settings.clock(), settings.reader(), lastHead);
    }

    @Override
    public boolean isCaughtUp() {
        return registry.names().stream().allMatch(this::isCaughtUp);
    }

    @Override
    public boolean isCaughtUp(String projection) {
        ProjectionHandle handle = registry.handle(projection);
        return registry.started() && kinds.apply(handle).isCaughtUp(handle);
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return waiter.awaitUntil(this::isCaughtUp, timeout);
    }

    @Override
    public List<DeadLetter> deadLetters(String projection) {
        registry.handle(projection);
        return deadLetters.list(projection);
    }

    @Override
    public List<DeadLetter> deadLetters(String projection, int newest) {
        if (newest < 1) {
            throw new IllegalArgumentException("newest: must be at least 1 to list dead letters, not " + newest);
        }
        registry.handle(projection);
        return deadLetters.newest(projection, newest);
    }

    /** The fleet from the database, or, while it does not answer, this instance as it knows itself. */
    @Override
    public List<FleetInstance> fleet() {
        return fleet.fleet(look());
    }
}
