package dev.kappa.projections.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.ProjectionException;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.ResetContext;
import dev.kappa.projections.internal.checkpoint.CheckpointSource;
import dev.kappa.projections.internal.model.ProjectionDefinition;
import dev.kappa.projections.internal.rebuild.GenerationControl;
import dev.kappa.projections.internal.rebuild.GenerationRow;
import dev.kappa.projections.internal.segment.MemoryLedger;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.segment.SegmentLedger;
import dev.kappa.projections.internal.worker.SegmentWorker;

/**
 * Projections held in memory: one generation, run here alone, with its checkpoints in this process's ledgers; rebuilt
 * from the log at every start, and never shared with other runtimes.
 *
 * <p>Thread-safe.
 */
final class InMemoryProjections implements ProjectionKind {

    private static final Logger log = LoggerFactory.getLogger(InMemoryProjections.class);
    /** An in-memory projection's only generation. */
    private static final int GENERATION = 1;

    private final int defaultSegments;
    private final Duration stopWait;
    private final Workers workers;
    private final StatusReport statusReport;

    InMemoryProjections(int defaultSegments, Duration stopWait, Workers workers, StatusReport statusReport) {
        this.defaultSegments = defaultSegments;
        this.stopWait = stopWait;
        this.workers = workers;
        this.statusReport = statusReport;
    }

    @Override
    public void start(ProjectionHandle handle) {
        run(handle, false);
    }

    @Override
    public void reset(ProjectionHandle handle, long offset) {
        ProjectionDefinition definition = handle.newest();
        GenerationControl.requireResettable(definition, offset);
        handle.runs().forEach(run -> run.stop(stopWait));
        handle.runs().forEach(run -> handle.removeRun(run.generation()));
        try {
            if (definition.hasResetHandler()) {
                definition.invokeResetHandler(new ResetContext(definition.name(), offset,
                        definition.tables(GENERATION)));
            } else {
                definition.invalidateCaches();
            }
        } catch (Exception e) {
            run(handle, false);
            throw new ProjectionException(definition.name(), "the @ResetHandler of projection '"
                    + definition.name() + "' failed: " + e, e);
        }
        handle.memoryLedgers(0).forEach(ledger -> ledger.reset(offset));
        log.info("projection '{}' (in memory) reset to offset {}; replaying the log from there", handle.name(),
                offset);
        run(handle, true);
    }

    @Override
    public void rebuild(ProjectionHandle handle) {
        throw new IllegalStateException("projection '" + handle.name() + "' is in memory: it is rebuilt on every"
                + " start; reset it to rebuild it now");
    }

    @Override
    public void restart(ProjectionHandle handle) {
        handle.runs().forEach(run -> run.stop(stopWait));
        handle.memoryLedgers(0).forEach(MemoryLedger::clearFailure);
        run(handle, false);
        log.info("projection '{}' restarted", handle.name());
    }

    @Override
    public List<SegmentKey> decideSkip(ProjectionHandle handle, long offset, DeadLetter.Decision decision) {
        List<MemoryLedger> ledgers = handle.memoryLedgers(0);
        List<SegmentKey> decided = new ArrayList<>();
        for (int segment = 0; segment < ledgers.size(); segment++) {
            if (ledgers.get(segment).decideSkip(offset, decision)) {
                decided.add(new SegmentKey(handle.name(), GENERATION, segment));
            }
        }
        return decided;
    }

    @Override
    public boolean heldHere(ProjectionHandle handle, SegmentKey key) {
        return true;
    }

    @Override
    public boolean passed(ProjectionHandle handle, SegmentKey key, long offset) {
        MemoryLedger ledger = handle.memoryLedgers(0).get(key.segment());
        return ledger.checkpoint() >= offset || !ledger.skipping();
    }

    @Override
    public List<DeadLetter> replay(ProjectionHandle handle, long offset, String operator) {
        throw new IllegalStateException("projection '" + handle.name() + "' is in memory: it is rebuilt from the log"
                + " at every start, so a dead letter cannot be replayed into it; reset it to apply the log again");
    }

    @Override
    public void maintain(ProjectionHandle handle) {
        // nothing is kept in the database: nothing to renew, join or switch
    }

    @Override
    public ProjectionStatus status(ProjectionHandle handle, DatabaseLook look, BooleanSupplier caughtUp) {
        return statusReport.inMemory(handle, look.head(), caughtUp.getAsBoolean());
    }

    @Override
    public boolean isCaughtUp(ProjectionHandle handle) {
        return handle.runs().stream().allMatch(run -> run.workers().stream().allMatch(SegmentWorker::caughtUp));
    }

    @Override
    public CheckpointSource checkpoints(ProjectionHandle handle) {
        return new CheckpointSource() {
            @Override
            public Checkpoints read() {
                long[] checkpoints = handle.memoryLedgers(0).stream().mapToLong(MemoryLedger::checkpoint).toArray();
                long failedAt = handle.runs().stream().flatMap(run -> run.workers().stream())
                        .flatMap(worker -> worker.failure().stream()).mapToLong(ProjectionFailure::offset).min()
                        .orElse(Long.MAX_VALUE);
                return new Checkpoints(GENERATION, checkpoints, failedAt);
            }

            @Override
            public boolean commitsReported() {
                // every commit is this process's own
                return true;
            }

            @Override
            public boolean confirmsReached() {
                return false;
            }
        };
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public SegmentLedger ledger(ProjectionHandle handle, GenerationRow generation, SegmentKey key) {
        return handle.memoryLedgers(generation.segmentCount()).get(key.segment());
    }

    @Override
    public Runnable join(ProjectionHandle handle, GenerationRow generation) {
        return () -> {
        };
    }

    /** Runs the projection's newest code as its only generation. */
    private void run(ProjectionHandle handle, boolean rebuilding) {
        ProjectionDefinition definition = handle.newest();
        int segmentCount = handle.segments(definition, defaultSegments);
        workers.start(handle, new GenerationRow(GENERATION, definition.version(), segmentCount,
                GenerationRow.State.ACTIVE, List.of()), definition, rebuilding);
    }
}
