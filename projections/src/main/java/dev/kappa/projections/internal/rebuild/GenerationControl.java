package dev.kappa.projections.internal.rebuild;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kappa.projections.ProjectionException;
import dev.kappa.projections.ResetContext;
import dev.kappa.projections.internal.model.ProjectionDefinition;
import dev.kappa.projections.internal.runtime.GenerationRun;
import dev.kappa.projections.internal.runtime.ProjectionHandle;
import dev.kappa.projections.internal.segment.PostgresSegments;

/**
 * The life of a database projection's generations: creating the ones the registered code needs, running them here,
 * switching readers to a rebuilt one, resetting one in place, dropping retired ones. Every change is one transaction
 * under a lock on the projection's row, so that runtimes starting or acting at once agree.
 *
 * <p>Thread-safe; callers hold the projection's {@code ProjectionHandle.control()} lock.
 */
public final class GenerationControl {

    private static final Logger log = LoggerFactory.getLogger(GenerationControl.class);

    private final PostgresGenerations generations;
    private final PostgresSegments segments;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final int defaultSegments;
    private final Duration stopWait;
    private final RunStarter runs;

    /** Starts the workers of a generation here. */
    @FunctionalInterface
    public interface RunStarter {
        GenerationRun start(ProjectionHandle handle, GenerationRow generation, ProjectionDefinition definition,
                            boolean rebuilding);
    }

    public GenerationControl(PostgresGenerations generations, PostgresSegments segments, TransactionTemplate transaction,
                      Clock clock, int defaultSegments, Duration stopWait, RunStarter runs) {
        this.generations = generations;
        this.segments = segments;
        this.transaction = transaction;
        this.clock = clock;
        this.defaultSegments = defaultSegments;
        this.stopWait = stopWait;
        this.runs = runs;
    }

    /**
     * Creates the generation the newest registered code needs, if the database has none of its version yet: a
     * building one beside the active one for a blue-green projection, an active one replacing the old in place
     * (cleared by the reset handler) otherwise.
     */
    public void prepare(ProjectionHandle handle) {
        String name = handle.name();
        ProjectionDefinition newest = handle.newest();
        Instant now = clock.instant();
        transaction.executeWithoutResult(status -> {
            generations.lockProjection(name, now);
            List<GenerationRow> live = live(name);
            int highest = live.stream().mapToInt(GenerationRow::version).max().orElse(-1);
            if (newest.version() <= highest) {
                return;
            }
            Optional<GenerationRow> active = find(live, GenerationRow.State.ACTIVE);
            find(live, GenerationRow.State.BUILDING).ifPresent(old -> generations.retire(name, old.generation(), now));
            int segmentCount = handle.segments(newest, defaultSegments);
            if (newest.blueGreen()) {
                GenerationRow created = generations.create(name, newest.version(), segmentCount,
                        GenerationRow.State.BUILDING, newest.tables(), 0, now);
                createTables(newest, created);
                log.info("projection '{}' version {}: building generation {} ({}){}", name, newest.version(),
                        created.generation(), segments(segmentCount), active.map(a -> " beside generation " + a.generation()
                                + " (version " + a.version() + "), which readers keep using until it has caught up")
                                .orElse("; readers get its tables once it has caught up"));
            } else {
                if (active.isPresent() && !newest.hasResetHandler()) {
                    throw new ProjectionException(name, "projection '" + name + "' is now version "
                            + newest.version() + " (the database has version " + active.get().version() + ") and must"
                            + " be rebuilt in place from offset 0, but it has no @ResetHandler to clear its read"
                            + " model: add one, or declare its tables for a blue-green rebuild");
                }
                active.ifPresent(old -> generations.retire(name, old.generation(), now));
                GenerationRow created = generations.create(name, newest.version(), segmentCount,
                        GenerationRow.State.ACTIVE, List.of(), 0, now);
                if (active.isPresent()) {
                    resetReadModel(newest, created, 0);
                    log.info("projection '{}' version {} (was {}): rebuilding in place from offset 0 as generation {}",
                            name, newest.version(), active.get().version(), created.generation());
                }
            }
            segments.notifyChanged(name);
        });
    }

    /**
     * Runs here the generations whose code is registered here, and stops the runs of generations that are gone (a
     * switch or a reset by another instance). Notes when this runtime's code is older than the database's.
     */
    public void synchronize(ProjectionHandle handle) {
        String name = handle.name();
        List<GenerationRow> live = live(name);
        for (GenerationRun run : List.copyOf(handle.runs())) {
            boolean stillLive = live.stream().anyMatch(g -> g.generation() == run.generation());
            if (!stillLive || run.finished()) {
                run.stop(stopWait);
                handle.removeRun(run.generation());
            }
        }
        for (GenerationRow generation : live) {
            if (generation.state() == GenerationRow.State.ACTIVE) {
                // switched to elsewhere, or here: its workers now speak for the readers' read model
                handle.run(generation.generation()).ifPresent(GenerationRun::serving);
            }
            if (handle.run(generation.generation()).isEmpty()) {
                handle.definition(generation.version()).ifPresent(definition -> runs.start(handle, generation,
                        definition, generation.state() == GenerationRow.State.BUILDING));
            }
        }
        if (handle.runs().isEmpty() && !live.isEmpty()) {
            int highest = live.stream().mapToInt(GenerationRow::version).max().orElse(0);
            String note = "superseded: the database has version " + highest + " of this projection; this runtime"
                    + " runs version " + handle.newest().version();
            if (!note.equals(handle.note())) {
                log.info("projection '{}' {}, so it leaves it to the instances that run that version", name, note);
            }
            handle.note(note);
        } else {
            handle.note("");
        }
    }

    /**
     * Switches readers to a building generation if all its segments have caught up, none failed, and it is not behind
     * the active one; then stops the old generation's workers here and drops its tables.
     *
     * @return whether it switched
     */
    public boolean tryActivate(ProjectionHandle handle, int generation) {
        String name = handle.name();
        Instant now = clock.instant();
        Optional<Integer> previous = transaction.execute(status -> {
            Optional<Integer> active = generations.lockProjection(name, now);
            Optional<GenerationRow> candidate = live(name).stream()
                    .filter(g -> g.generation() == generation && g.state() == GenerationRow.State.BUILDING)
                    .findFirst();
            if (candidate.isEmpty() || !generations.readyToActivate(name, generation, active)) {
                return null;
            }
            generations.activate(name, candidate.get(), active, now);
            segments.notifyChanged(name);
            return active;
        });
        if (previous == null) {
            return false;
        }
        log.info("projection '{}': readers switched to generation {}{}", name, generation,
                previous.map(old -> " from generation " + old).orElse(" (its first)"));
        handle.run(generation).ifPresent(GenerationRun::serving);
        for (GenerationRun run : List.copyOf(handle.runs())) {
            if (run.generation() != generation) {
                run.stop(stopWait);
                handle.removeRun(run.generation());
            }
        }
        dropRetired(handle);
        return true;
    }

    /** Drops the tables of retired generations; one that readers still lock is tried again later. */
    public void dropRetired(ProjectionHandle handle) {
        String name = handle.name();
        for (GenerationRow generation : generations.generations(name)) {
            if (generation.state() != GenerationRow.State.RETIRED) {
                continue;
            }
            try {
                transaction.executeWithoutResult(status -> generations.drop(name, generation));
                if (!generation.tables().isEmpty()) {
                    log.info("projection '{}': dropped the tables of retired generation {}", name,
                            generation.generation());
                }
            } catch (RuntimeException e) {
                log.warn("projection '{}': could not drop the tables of retired generation {} yet ({}); trying again"
                        + " later", name, generation.generation(), e.getMessage());
            }
        }
    }

    /**
     * Resets the generation readers use (or, before a first switch, the one being built) in place: stops its workers
     * here, clears the read model and sets every segment to {@code offset} in one transaction, then restarts them.
     * Other instances' workers are fenced out by the moved checkpoints and pick up from there.
     */
    public void reset(ProjectionHandle handle, long offset) {
        String name = handle.name();
        List<GenerationRow> live = live(name);
        GenerationRow target = find(live, GenerationRow.State.ACTIVE)
                .or(() -> find(live, GenerationRow.State.BUILDING))
                .orElseThrow(() -> new IllegalStateException("projection '" + name + "' has no generation in the"
                        + " database yet: start the runtime before resetting it"));
        ProjectionDefinition definition = handle.definition(target.version()).orElseThrow(() ->
                new IllegalStateException("projection '" + name + "' generation " + target.generation() + " is"
                        + " version " + target.version() + ", which this runtime does not run (it has version "
                        + handle.newest().version() + "): reset it from an instance that runs that version"));
        requireResettable(definition, offset);
        int declared = handle.segments(definition, defaultSegments);
        // a new segment count needs a new generation, so that instances still hashing with the old count are fenced
        // out; a blue-green projection gets one at its next rebuild, since its tables are named by generation
        boolean resegment = declared != target.segmentCount() && !definition.blueGreen();
        if (declared != target.segmentCount() && definition.blueGreen()) {
            log.info("projection '{}' now declares {} but generation {} has {}; the new count applies from the next"
                    + " rebuild", name, segments(declared), target.generation(), segments(target.segmentCount()));
        }
        handle.run(target.generation()).ifPresent(run -> {
            run.stop(stopWait);
            handle.removeRun(run.generation());
        });
        Instant now = clock.instant();
        GenerationRow reset;
        try {
            reset = transaction.execute(status -> {
                generations.lockProjection(name, now);
                // a batch in flight anywhere commits before this, and none can commit after it
                segments.lockGeneration(name, target.generation());
                resetReadModel(definition, target, offset);
                if (!resegment) {
                    segments.resetGeneration(name, target.generation(), offset, now);
                    return target;
                }
                generations.retire(name, target.generation(), now);
                GenerationRow created = generations.create(name, target.version(), declared,
                        GenerationRow.State.ACTIVE, List.of(), offset, now);
                segments.notifyChanged(name);
                return created;
            });
        } catch (RuntimeException e) {
            // the read model is as it was: let it carry on
            synchronize(handle);
            throw e instanceof ProjectionException ? e : new ProjectionException(name, "could not reset projection '"
                    + name + "' to offset " + offset + ": " + e.getMessage(), e);
        }
        log.info("projection '{}' reset in place to offset {} (generation {}, {}); replaying the log from there",
                name, offset, reset.generation(), segments(reset.segmentCount()));
        runs.start(handle, reset, definition, true);
        if (resegment) {
            dropRetired(handle);
        }
    }

    /** Starts building a new generation of a blue-green projection beside the active one, with the newest code. */
    public void rebuild(ProjectionHandle handle) {
        String name = handle.name();
        ProjectionDefinition newest = handle.newest();
        if (!newest.blueGreen()) {
            // advise a reset only where requireResettable would accept one
            boolean resettable = newest.hasResetHandler() || (newest.inMemory() && newest.hasCaches());
            throw new IllegalStateException("projection '" + name + "' declares no tables, so it cannot be rebuilt"
                    + " beside itself: " + (resettable
                    ? "reset it (in place) instead, or declare its tables for blue-green rebuilds"
                    : "nor can it be reset in place, having no @ResetHandler to clear its read model; declare its"
                            + " tables for blue-green rebuilds, or give it a @ResetHandler"));
        }
        Instant now = clock.instant();
        int segmentCount = handle.segments(newest, defaultSegments);
        Optional<GenerationRow> replaced = transaction.execute(status -> {
            generations.lockProjection(name, now);
            List<GenerationRow> live = live(name);
            int highest = live.stream().mapToInt(GenerationRow::version).max().orElse(-1);
            if (newest.version() < highest) {
                throw new IllegalStateException("projection '" + name + "' is version " + highest + " in the"
                        + " database, newer than this runtime's version " + newest.version() + ": rebuild it from an"
                        + " instance that runs version " + highest);
            }
            Optional<GenerationRow> building = find(live, GenerationRow.State.BUILDING);
            building.ifPresent(old -> generations.retire(name, old.generation(), now));
            GenerationRow created = generations.create(name, newest.version(), segmentCount,
                    GenerationRow.State.BUILDING, newest.tables(), 0, now);
            createTables(newest, created);
            segments.notifyChanged(name);
            return building;
        });
        replaced.flatMap(old -> handle.run(old.generation())).ifPresent(run -> {
            run.stop(stopWait);
            handle.removeRun(run.generation());
        });
        synchronize(handle);
        dropRetired(handle);
        log.info("projection '{}': rebuilding beside the generation readers use; readers switch once it has caught"
                + " up", name);
    }

    /** Clears the projection's failures everywhere and restarts its workers here. */
    public void restart(ProjectionHandle handle) {
        for (GenerationRun run : List.copyOf(handle.runs())) {
            run.stop(stopWait);
            handle.removeRun(run.generation());
        }
        segments.clearFailures(handle.name(), clock.instant());
        synchronize(handle);
        log.info("projection '{}' restarted", handle.name());
    }

    private void resetReadModel(ProjectionDefinition definition, GenerationRow generation, long offset) {
        if (definition.hasResetHandler()) {
            invoke(definition, "@ResetHandler", () -> definition.invokeResetHandler(
                    new ResetContext(definition.name(), offset, definition.tables(generation.generation()))));
        } else {
            generations.truncate(generation);
        }
    }

    private void createTables(ProjectionDefinition definition, GenerationRow generation) {
        invoke(definition, "@CreateTables", () -> definition.invokeCreateTables(
                definition.tables(generation.generation())));
    }

    /**
     * Refuses a reset the read model cannot be brought back for: to 0 it needs a {@code @ResetHandler}, tables to
     * truncate or caches to empty; to a later offset, a handler that declares it removes only what came after that
     * offset. A handler that clears everything, followed by a replay from a later offset, would leave out every event
     * up to it.
     *
     * @throws IllegalStateException naming the projection and what to do instead
     */
    public static void requireResettable(ProjectionDefinition definition, long offset) {
        String name = definition.name();
        if (!definition.hasResetHandler() && !definition.blueGreen()
                && !(definition.inMemory() && definition.hasCaches())) {
            throw new IllegalStateException("projection '" + name + "' cannot be reset"
                    + (offset == 0 ? "" : " to offset " + offset) + ": it has no @ResetHandler to clear its read model"
                    + " (without one, only a blue-green projection, whose tables are truncated, or an in-memory one"
                    + " holding Caffeine caches, which are emptied, can be reset, and only to 0)");
        }
        if (offset == 0 || definition.resetsToOffset()) {
            return;
        }
        throw new IllegalStateException("projection '" + name + "' cannot be reset to offset " + offset + ": "
                + (definition.hasResetHandler() ? "its @ResetHandler clears the whole read model"
                        : definition.blueGreen() ? "a reset truncates its tables" : "a reset empties its caches")
                + ", so a replay from offset " + offset + " would leave out every event up to it. Reset it to 0, "
                + (definition.inMemory() ? "" : "or rebuild it blue-green"
                        + (definition.blueGreen() ? "" : " (declare its tables for that)") + ", ")
                + "or declare an offset-aware reset handler: @ResetHandler(toOffset = true) taking a ResetContext,"
                + " that removes only what the events after its toOffset() wrote");
    }

    /** "1 segment", "4 segments". */
    public static String segments(int count) {
        return count + (count == 1 ? " segment" : " segments");
    }

    private List<GenerationRow> live(String name) {
        return generations.generations(name).stream()
                .filter(g -> g.state() != GenerationRow.State.RETIRED).toList();
    }

    private static Optional<GenerationRow> find(List<GenerationRow> generations, GenerationRow.State state) {
        return generations.stream().filter(g -> g.state() == state).findFirst();
    }

    private static void invoke(ProjectionDefinition definition, String what, UserCode code) {
        try {
            code.run();
        } catch (Exception e) {
            throw new ProjectionException(definition.name(), "the " + what + " method of projection '"
                    + definition.name() + "' failed: " + e, e);
        }
    }

    @FunctionalInterface
    private interface UserCode {
        void run() throws Exception;
    }
}
