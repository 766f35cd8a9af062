package dev.kappa.projections.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.kappa.eventstore.StoreOutage;

import dev.kappa.projections.GenerationStatus;
import dev.kappa.projections.Progress;
import dev.kappa.projections.ProjectionState;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.SegmentStatus;
import dev.kappa.projections.internal.rebuild.GenerationRow;
import dev.kappa.projections.internal.rebuild.PostgresGenerations;
import dev.kappa.projections.internal.segment.PostgresSegments;
import dev.kappa.projections.internal.segment.SegmentRow;
import dev.kappa.projections.internal.worker.SegmentWorker;

/**
 * Puts a projection's status together: from this runtime's workers for the segments it holds, from the database for
 * the others. Thread-safe.
 */
final class StatusReport {

    /** From most to least urgent: the order in which one segment's state speaks for a whole generation. */
    private static final List<ProjectionState> URGENCY = List.of(ProjectionState.FAILED,
            ProjectionState.WAITING_FOR_DATABASE, ProjectionState.STOPPED, ProjectionState.REBUILDING,
            ProjectionState.CATCHING_UP, ProjectionState.RUNNING);

    private final PostgresGenerations generations;
    private final PostgresSegments segments;

    StatusReport(PostgresGenerations generations, PostgresSegments segments) {
        this.generations = generations;
        this.segments = segments;
    }

    /**
     * The status of a database projection.
     *
     * @param head  the log's head
     * @param heads the head of each segment where its partition's is not the log's (a topic's); {@code null} if not
     */
    ProjectionStatus database(ProjectionHandle handle, long head, long[] heads, boolean caughtUp) {
        String name = handle.name();
        List<GenerationRow> live = generations.generations(name).stream()
                .filter(g -> g.state() != GenerationRow.State.RETIRED).toList();
        Optional<GenerationStatus> current = live.stream().filter(g -> g.state() == GenerationRow.State.ACTIVE)
                .findFirst().map(g -> generation(handle, g, head, heads, false));
        Optional<GenerationStatus> rebuild = live.stream().filter(g -> g.state() == GenerationRow.State.BUILDING)
                .findFirst().map(g -> generation(handle, g, head, heads, true));
        return new ProjectionStatus(name, false, overall(current, rebuild), current, rebuild, caughtUp, handle.note(),
                earliest(current, rebuild, null));
    }

    /** The status of an in-memory projection: its workers are all here. */
    ProjectionStatus inMemory(ProjectionHandle handle, long head, boolean caughtUp) {
        Optional<GenerationStatus> current = handle.runs().stream().findFirst().map(run -> {
            List<SegmentStatus> statuses = new ArrayList<>();
            for (SegmentWorker worker : run.workers()) {
                statuses.add(fromWorker(worker, head, false));
            }
            return generationStatus(run.generation(), run.version(), statuses);
        });
        return new ProjectionStatus(handle.name(), true, overall(current, Optional.empty()), current,
                Optional.empty(), caughtUp, handle.note(), earliest(current, Optional.empty(), null));
    }

    /**
     * The status of a database projection when the database does not answer ({@code outage}): what this runtime's
     * workers know. The projection waits for the database, unless it had failed already.
     */
    ProjectionStatus withoutDatabase(ProjectionHandle handle, long head, long[] heads, StoreOutage outage) {
        Optional<GenerationStatus> current = local(handle, head, heads, false);
        Optional<GenerationStatus> rebuild = local(handle, head, heads, true);
        ProjectionState state = overall(current, rebuild) == ProjectionState.FAILED ? ProjectionState.FAILED
                : ProjectionState.WAITING_FOR_DATABASE;
        boolean caughtUp = handle.runs().stream().filter(run -> !run.building()).anyMatch(GenerationRun::caughtUpHere);
        String note = "the database does not answer: this is what this instance knows without it";
        return new ProjectionStatus(handle.name(), false, state, current, rebuild, caughtUp,
                handle.note().isEmpty() ? note : handle.note() + "; " + note, earliest(current, rebuild, outage));
    }

    private static Optional<GenerationStatus> local(ProjectionHandle handle, long head, long[] heads,
                                                    boolean building) {
        return handle.runs().stream().filter(run -> run.building() == building).findFirst().map(run -> {
            List<SegmentStatus> statuses = new ArrayList<>();
            for (SegmentWorker worker : run.workers()) {
                statuses.add(fromWorker(worker, headOf(worker.key().segment(), head, heads), building));
            }
            return generationStatus(run.generation(), run.version(), statuses);
        });
    }

    /** The outage that began first among the segments' and {@code own} (the status's own failed read, or null). */
    private static Optional<StoreOutage> earliest(Optional<GenerationStatus> current,
                                                  Optional<GenerationStatus> rebuild, StoreOutage own) {
        return Stream.concat(Stream.concat(current.stream(), rebuild.stream())
                                .flatMap(generation -> generation.segments().stream())
                                .flatMap(segment -> segment.outage().stream()),
                        Stream.ofNullable(own))
                .min(Comparator.comparing(StoreOutage::since));
    }

    private GenerationStatus generation(ProjectionHandle handle, GenerationRow generation, long head, long[] heads,
                                        boolean building) {
        Optional<GenerationRun> run = handle.run(generation.generation());
        List<SegmentStatus> statuses = new ArrayList<>();
        for (SegmentRow row : segments.read(handle.name(), generation.generation())) {
            SegmentWorker worker = run.map(r -> r.worker(row.segment())).orElse(null);
            // the row is the truth: a worker takes its own commit in a moment after the database has it, and a reset
            // done elsewhere a moment after that; until then the row speaks for it
            boolean current = worker != null && worker.owned() && worker.checkpoint() == row.checkpoint();
            long segmentHead = headOf(row.segment(), head, heads);
            statuses.add(current ? fromWorker(worker, segmentHead, building) : fromRow(row, segmentHead, building));
        }
        return generationStatus(generation.generation(), generation.version(), statuses);
    }

    /**
     * A segment's head: its partition's where it has one of its own (-1 while unknown, which shows no lag), else the
     * log's.
     */
    private static long headOf(int segment, long head, long[] heads) {
        if (heads == null) {
            return head;
        }
        return segment < heads.length ? heads[segment] : -1;
    }

    private static SegmentStatus fromWorker(SegmentWorker worker, long head, boolean building) {
        ProjectionState state = worker.state();
        if (building && state != ProjectionState.FAILED && state != ProjectionState.STOPPED
                && state != ProjectionState.WAITING_FOR_DATABASE) {
            state = ProjectionState.REBUILDING;
        }
        long checkpoint = worker.checkpoint();
        return new SegmentStatus(worker.key().segment(), state, checkpoint, Math.max(head, checkpoint),
                worker.owner(), worker.progress(head), worker.failure(), worker.outage());
    }

    private static SegmentStatus fromRow(SegmentRow row, long head, boolean building) {
        ProjectionState state;
        if (row.failure().isPresent()) {
            state = ProjectionState.FAILED;
        } else if (row.owner() == null || !row.leaseValid()) {
            state = ProjectionState.STOPPED;
        } else if (building) {
            state = ProjectionState.REBUILDING;
        } else {
            state = row.caughtUp() ? ProjectionState.RUNNING : ProjectionState.CATCHING_UP;
        }
        long logHead = Math.max(head, row.checkpoint());
        Progress progress = new Progress(row.checkpoint(), logHead, 0,
                logHead == row.checkpoint() ? Optional.of(Duration.ZERO) : Optional.empty());
        return new SegmentStatus(row.segment(), state, row.checkpoint(), logHead,
                row.leaseValid() ? row.owner() : null, progress, row.failure());
    }

    private static GenerationStatus generationStatus(int generation, int version, List<SegmentStatus> statuses) {
        Progress slowest = statuses.stream().min(Comparator.comparingLong(SegmentStatus::checkpoint))
                .map(SegmentStatus::progress)
                .orElse(new Progress(0, 0, 0, Optional.empty()));
        return new GenerationStatus(generation, version, mostUrgent(statuses, SegmentStatus::state), slowest,
                statuses);
    }

    private static ProjectionState overall(Optional<GenerationStatus> current, Optional<GenerationStatus> rebuild) {
        List<ProjectionState> states = new ArrayList<>();
        current.ifPresent(g -> states.add(g.state()));
        rebuild.ifPresent(g -> states.add(g.state() == ProjectionState.RUNNING ? ProjectionState.REBUILDING
                : g.state()));
        return states.isEmpty() ? ProjectionState.STOPPED : mostUrgent(states, Function.identity());
    }

    private static <T> ProjectionState mostUrgent(List<T> items, Function<T, ProjectionState> state) {
        return items.stream().map(state).min(Comparator.comparingInt(URGENCY::indexOf))
                .orElse(ProjectionState.STOPPED);
    }
}
