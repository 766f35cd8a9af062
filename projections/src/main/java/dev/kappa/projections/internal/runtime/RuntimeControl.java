package dev.kappa.projections.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.ProjectionControl;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.internal.checkpoint.CheckpointBoard;
import dev.kappa.projections.internal.checkpoint.CheckpointWaiter;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.worker.SegmentWorker;

/**
 * The runtime as a {@link ProjectionControl}: reset, rebuild, restart, skip, replay. Each operation holds the
 * projection's {@link ProjectionHandle#control()} lock, so that operations on one projection never interleave, and
 * leaves what differs between database and in-memory projections to their {@link ProjectionKind}.
 *
 * <p>Thread-safe.
 */
final class RuntimeControl implements ProjectionControl {

    private static final Logger log = LoggerFactory.getLogger(RuntimeControl.class);
    /** How long a skip waits for the workers here to pass the skipped event. */
    private static final Duration SKIP_WAIT = Duration.ofSeconds(10);

    private final RuntimeSettings settings;
    private final ProjectionRegistry registry;
    private final Function<ProjectionHandle, ProjectionKind> kinds;
    private final CheckpointBoard board;
    private final CheckpointWaiter waiter;
    private final ProjectionMonitor monitor;

    RuntimeControl(RuntimeSettings settings, ProjectionRegistry registry,
                   Function<ProjectionHandle, ProjectionKind> kinds, CheckpointBoard board, CheckpointWaiter waiter,
                   ProjectionMonitor monitor) {
        this.settings = settings;
        this.registry = registry;
        this.kinds = kinds;
        this.board = board;
        this.waiter = waiter;
        this.monitor = monitor;
    }

    @Override
    public void reset(String projection) {
        reset(projection, 0);
    }

    @Override
    public void reset(String projection, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("reset offset must be 0 or more but was " + offset);
        }
        ProjectionHandle named = registry.handle(projection);
        if (offset > 0 && !named.topic().isEmpty()) {
            throw new IllegalArgumentException("cannot reset projection '" + projection + "' to offset " + offset
                    + ": it reads topic '" + named.topic() + "', whose partitions have positions of their own rather"
                    + " than log offsets; reset it to 0 to replay the topic from its start, or rebuild it blue-green");
        }
        long head = offset == 0 ? 0 : settings.reader().head();
        if (offset > head) {
            throw new IllegalArgumentException("cannot reset projection '" + projection + "' to offset " + offset
                    + ": the log's head is " + head);
        }
        ProjectionHandle handle = registry.started(projection);
        handle.control().lock();
        try {
            kinds.apply(handle).reset(handle, offset);
        } finally {
            handle.control().unlock();
            board.invalidate(projection);
        }
    }

    @Override
    public void rebuild(String projection) {
        ProjectionHandle handle = registry.started(projection);
        handle.control().lock();
        try {
            kinds.apply(handle).rebuild(handle);
        } finally {
            handle.control().unlock();
        }
    }

    @Override
    public void restart(String projection) {
        ProjectionHandle handle = registry.started(projection);
        handle.control().lock();
        try {
            kinds.apply(handle).restart(handle);
        } finally {
            handle.control().unlock();
            board.invalidate(projection);
        }
    }

    @Override
    public void skip(String projection, long offset, String operator, String note) {
        ProjectionHandle handle = registry.started(projection);
        ProjectionKind kind = kinds.apply(handle);
        DeadLetter.Decision decision = new DeadLetter.Decision(operator, note, settings.clock().instant());
        List<SegmentKey> decided;
        handle.control().lock();
        try {
            decided = kind.decideSkip(handle, offset, decision);
            if (decided.isEmpty()) {
                throw new IllegalStateException(notStoppedAt(projection, offset));
            }
            handle.runs().forEach(run -> run.workers().forEach(SegmentWorker::nudge));
        } finally {
            handle.control().unlock();
            board.invalidate(projection);
        }
        log.info("projection '{}': {} skips the event at offset {} ({}){}; the worker parks it as a dead letter and"
                + " moves on", projection, decision.by(), offset, String.join(", ", decided.stream().map(key ->
                "segment " + key.segment() + " of generation " + key.generation()).toList()),
                decision.note().isEmpty() ? "" : ", noting: " + decision.note());
        // waits for the segments held here that were decided to skip the offset to pass it, or fail again
        List<SegmentKey> here = decided.stream().filter(key -> kind.heldHere(handle, key)).toList();
        try {
            waiter.awaitUntil(() -> here.stream().allMatch(key -> kind.passed(handle, key, offset)), SKIP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<DeadLetter> replay(String projection, long offset, String operator) {
        ProjectionHandle handle = registry.started(projection);
        List<DeadLetter> letters = kinds.apply(handle).replay(handle, offset, operator);
        board.invalidate(projection);
        return letters;
    }

    /** Why a skip at {@code offset} is refused: where the projection is stopped, if anywhere. */
    private String notStoppedAt(String projection, long offset) {
        ProjectionStatus status = monitor.status(projection);
        List<String> stopped = new ArrayList<>();
        Stream.concat(status.current().stream(), status.rebuild().stream()).forEach(generation ->
                generation.segments().forEach(segment -> segment.failure().ifPresent(failure -> stopped.add("offset "
                        + failure.offset() + " (segment " + segment.segment() + " of generation "
                        + generation.generation() + ", event '" + failure.eventType() + "': " + failure.errorType()
                        + ": " + failure.message() + ")"))));
        if (stopped.isEmpty()) {
            return "projection '" + projection + "' is not stopped at a failing event (it is " + status.state()
                    + "), so there is nothing to skip: only the event a FAILED projection stopped at can be skipped";
        }
        return "projection '" + projection + "' is not stopped at offset " + offset + ": it is stopped at "
                + String.join(", ", stopped) + "; skip that offset, or restart the projection once the cause is fixed";
    }
}
