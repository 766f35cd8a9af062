package dev.kappa.projections.internal.runtime;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.projections.internal.rebuild.GenerationControl;

/**
 * The runtime's control thread: every third of the lease it renews this instance's memberships, joins or leaves
 * generations, switches readers to caught-up builds and drops retired tables, for each projection shared through the
 * database; between rounds it switches a build as soon as its workers report that it has caught up.
 *
 * <p>Thread-safe; its rounds run on its own thread, each holding the projection's {@link ProjectionHandle#control()}
 * lock.
 */
final class Maintenance {

    private static final Logger log = LoggerFactory.getLogger(Maintenance.class);

    private final ProjectionRegistry registry;
    private final Function<ProjectionHandle, ProjectionKind> kinds;
    private final GenerationControl control;
    private final Duration leaseDuration;
    private final ScheduledExecutorService thread;
    /** Whether the last round failed: the control thread's own. */
    private boolean failing;

    Maintenance(ProjectionRegistry registry, Function<ProjectionHandle, ProjectionKind> kinds,
                GenerationControl control, Duration leaseDuration) {
        this.registry = registry;
        this.kinds = kinds;
        this.control = control;
        this.leaseDuration = leaseDuration;
        this.thread = Executors.newSingleThreadScheduledExecutor(PostgresProjectionRuntime.daemon(
                "kappa-projections-control"));
    }

    /** Starts the rounds. */
    void start() {
        long interval = Math.max(10, leaseDuration.toMillis() / 3);
        thread.scheduleWithFixedDelay(this::round, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Has the control thread try to switch readers to {@code run}'s generation now, unless one try is queued. */
    void activateSoon(ProjectionHandle handle, GenerationRun run) {
        if (!run.queueActivation()) {
            return;
        }
        try {
            thread.execute(() -> activate(handle, run));
        } catch (RejectedExecutionException e) {
            run.activationDone();
        }
    }

    /** Stops the thread after the round in hand. */
    void shutdown() {
        thread.shutdown();
    }

    /** Waits for the round in hand to end. */
    void awaitTermination(Duration wait) throws InterruptedException {
        thread.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void round() {
        if (!registry.started()) {
            return;
        }
        for (ProjectionHandle handle : registry.all()) {
            ProjectionKind kind = kinds.apply(handle);
            if (!kind.shared()) {
                continue;
            }
            handle.control().lock();
            try {
                if (!registry.started()) {
                    return;
                }
                kind.maintain(handle);
                if (failing) {
                    failing = false;
                    log.info("projections' background maintenance works again");
                }
            } catch (RuntimeException e) {
                // once per outage: the workers say the rest
                if (!failing || !DatabaseFailures.isTransient(e)) {
                    log.warn("projection '{}': background maintenance failed ({}); trying again every {} ms",
                            handle.name(), e.toString(), leaseDuration.toMillis() / 3);
                }
                failing = true;
            } finally {
                handle.control().unlock();
            }
        }
    }

    private void activate(ProjectionHandle handle, GenerationRun run) {
        handle.control().lock();
        try {
            if (registry.started() && handle.run(run.generation()).orElse(null) == run) {
                control.tryActivate(handle, run.generation());
            }
        } catch (RuntimeException e) {
            log.warn("projection '{}': could not switch readers to generation {} yet ({}); trying again later",
                    handle.name(), run.generation(), e.toString());
        } finally {
            run.activationDone();
            handle.control().unlock();
        }
    }
}
