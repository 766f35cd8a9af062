package dev.kappa.projections.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.projections.internal.checkpoint.CheckpointBoard;
import dev.kappa.projections.internal.deadletter.PostgresDeadLetters;
import dev.kappa.projections.internal.log.PostgresLogSource;
import dev.kappa.projections.internal.metrics.ProjectionMetrics;
import dev.kappa.projections.internal.model.ProjectionDefinition;
import dev.kappa.projections.internal.rebuild.GenerationControl;
import dev.kappa.projections.internal.rebuild.GenerationRow;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.segment.SegmentLedger;
import dev.kappa.projections.internal.upsert.UpsertWriter;
import dev.kappa.projections.internal.worker.EventReplay;
import dev.kappa.projections.internal.worker.SegmentWorker;
import dev.kappa.projections.internal.worker.WorkerConfig;
import dev.kappa.projections.internal.worker.WorkerEvents;

/**
 * Builds the workers of a generation, one per segment, and starts them as a {@link GenerationRun}; builds the replay of
 * a dead letter with the same configuration.
 *
 * <p>Thread-safe.
 */
final class Workers {

    private static final Logger log = LoggerFactory.getLogger(Workers.class);

    private final RuntimeSettings settings;
    private final Function<ProjectionHandle, ProjectionKind> kinds;
    private final PostgresDeadLetters deadLetters;
    private final ProjectionMetrics metrics;
    private final WorkerEvents events;
    private final CheckpointBoard board;
    /** The records' source: the log, read by segment. */
    private final PostgresLogSource logSource;
    private final UpsertWriter upsertWriter = new UpsertWriter();

    Workers(RuntimeSettings settings, Function<ProjectionHandle, ProjectionKind> kinds,
            PostgresDeadLetters deadLetters, ProjectionMetrics metrics, WorkerEvents events, CheckpointBoard board,
            ExecutorService prefetcher) {
        this.settings = settings;
        this.kinds = kinds;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.events = events;
        this.board = board;
        this.logSource = new PostgresLogSource(settings.reader(), settings.subscriptions(), prefetcher);
    }

    /** Starts the workers of {@code generation} here, running {@code definition}. */
    GenerationRun start(ProjectionHandle handle, GenerationRow generation, ProjectionDefinition definition,
                        boolean rebuilding) {
        ProjectionKind kind = kinds.apply(handle);
        int segmentCount = generation.segmentCount();
        // join the generation's members first, so that the others make room for this instance's workers
        Runnable onStop = kind.join(handle, generation);
        List<SegmentWorker> workers = new ArrayList<>();
        AtomicBoolean serving = new AtomicBoolean(generation.state() == GenerationRow.State.ACTIVE);
        for (int segment = 0; segment < segmentCount; segment++) {
            SegmentKey key = new SegmentKey(handle.name(), generation.generation(), segment);
            workers.add(new SegmentWorker(config(handle, generation, definition, key, kind.ledger(handle, generation,
                    key), rebuilding, serving::get)));
        }
        GenerationRun run = new GenerationRun(generation.generation(), generation.version(), definition,
                generation.state() == GenerationRow.State.BUILDING, workers, onStop, serving);
        handle.putRun(run);
        run.start();
        log.info("projection '{}': running generation {} (version {}, {}){}", handle.name(), generation.generation(),
                generation.version(), GenerationControl.segments(segmentCount),
                run.building() ? ", building beside readers" : "");
        board.invalidate(handle.name());
        return run;
    }

    /** The replay of one event into a segment of {@code generation}, as its worker would apply it. */
    EventReplay replay(ProjectionHandle handle, GenerationRow generation, ProjectionDefinition definition,
                       SegmentKey key) {
        SegmentLedger ledger = kinds.apply(handle).ledger(handle, generation, key);
        return new EventReplay(config(handle, generation, definition, key, ledger, false, () -> false));
    }

    private WorkerConfig config(ProjectionHandle handle, GenerationRow generation, ProjectionDefinition definition,
                                SegmentKey key, SegmentLedger ledger, boolean rebuilding, BooleanSupplier serving) {
        return new WorkerConfig(key, generation.segmentCount(), definition, handle.resolver(definition),
                definition.tables(generation.generation()), rebuilding,
                handle.failureMode(definition, settings.failureMode()), settings.retryPolicy(),
                settings.catchUpBatchSize(), settings.catchUpStagedRows(), settings.readPageSize(),
                settings.liveBatchSize(), settings.leaseDuration(),
                settings.instanceId(), handle.source() != null ? handle.source() : logSource, settings.codec(), ledger, settings.dataSource(), upsertWriter,
                deadLetters, settings.clock(), metrics, events, serving, settings.observationRegistry());
    }
}
