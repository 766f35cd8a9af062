package dev.kappa.projections.internal.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.kappa.projections.internal.model.ProjectionDefinition;
import dev.kappa.projections.internal.worker.SegmentWorker;

/**
 * The workers this runtime runs for one generation of a projection, one per segment (each holding its segment only
 * while it has the lease).
 *
 * <p>Thread-safe.
 */
public final class GenerationRun {

    private final int generation;
    private final int version;
    private final ProjectionDefinition definition;
    private final boolean building;
    private final List<SegmentWorker> workers;
    private final Runnable onStop;
    private final AtomicBoolean activationQueued = new AtomicBoolean();
    private final AtomicBoolean reportedCaughtUp = new AtomicBoolean();
    private final AtomicBoolean serving;

    /**
     * @param onStop  what to do once its workers have stopped (leave the generation's members)
     * @param serving whether the generation is the one readers use; its workers see it change
     */
    GenerationRun(int generation, int version, ProjectionDefinition definition, boolean building,
                  List<SegmentWorker> workers, Runnable onStop, AtomicBoolean serving) {
        this.generation = generation;
        this.version = version;
        this.definition = definition;
        this.building = building;
        this.workers = List.copyOf(workers);
        this.onStop = onStop;
        this.serving = serving;
    }

    /** Readers use the generation now: it was switched to, here or elsewhere. */
    public void serving() {
        serving.set(true);
    }

    public int generation() {
        return generation;
    }

    int version() {
        return version;
    }

    ProjectionDefinition definition() {
        return definition;
    }

    /** Whether it was started to build a generation beside the active one. */
    boolean building() {
        return building;
    }

    List<SegmentWorker> workers() {
        return workers;
    }

    SegmentWorker worker(int segment) {
        return segment < workers.size() ? workers.get(segment) : null;
    }

    void start() {
        workers.forEach(SegmentWorker::start);
    }

    /** Stops every worker after its batch in hand, all at once, and waits for them. */
    public boolean stop(Duration wait) {
        workers.forEach(SegmentWorker::requestStop);
        long deadline = System.nanoTime() + wait.toNanos();
        boolean stopped = true;
        for (SegmentWorker worker : workers) {
            stopped &= worker.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        onStop.run();
        return stopped;
    }

    /** Whether every worker has stopped (its generation was replaced, say). */
    public boolean finished() {
        return workers.stream().noneMatch(SegmentWorker::alive);
    }

    /** Whether every worker holding its segment here has reached the head, and at least one holds one. */
    boolean caughtUpHere() {
        return workers.stream().anyMatch(SegmentWorker::owned)
                && workers.stream().filter(SegmentWorker::owned).allMatch(SegmentWorker::caughtUp);
    }

    /** Claims the right to queue an activation attempt; {@link #activationDone()} gives it back. */
    boolean queueActivation() {
        return activationQueued.compareAndSet(false, true);
    }

    void activationDone() {
        activationQueued.set(false);
    }

    /** Whether "caught up" is to be logged now: once per run. */
    boolean firstCaughtUp() {
        return reportedCaughtUp.compareAndSet(false, true);
    }
}
