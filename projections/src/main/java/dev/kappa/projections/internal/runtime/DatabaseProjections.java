package dev.kappa.projections.internal.runtime;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.internal.checkpoint.CheckpointSource;
import dev.kappa.projections.internal.deadletter.DeadLetterReplay;
import dev.kappa.projections.internal.lease.Lease;
import dev.kappa.projections.internal.lease.PostgresLeases;
import dev.kappa.projections.internal.rebuild.GenerationControl;
import dev.kappa.projections.internal.rebuild.GenerationRow;
import dev.kappa.projections.internal.rebuild.PostgresGenerations;
import dev.kappa.projections.internal.segment.DatabaseLedger;
import dev.kappa.projections.internal.segment.PostgresSegments;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.segment.SegmentLedger;
import dev.kappa.projections.internal.segment.SegmentRow;
import dev.kappa.projections.internal.worker.SegmentWorker;
import dev.kappa.projections.source.RecordSource;

/**
 * Projections whose read model is in the database: their generations, checkpoints, leases and memberships are in
 * Kappa's tables, shared with every runtime on the database, and the database has the last word on each of them.
 *
 * <p>Thread-safe.
 */
final class DatabaseProjections implements ProjectionKind {

    private static final Logger log = LoggerFactory.getLogger(DatabaseProjections.class);

    private final RuntimeSettings settings;
    private final ProjectionRegistry registry;
    private final PostgresGenerations generations;
    private final PostgresSegments segments;
    private final PostgresLeases leases;
    private final TransactionTemplate transaction;
    private final GenerationControl control;
    private final DeadLetterReplay replay;
    private final StatusReport statusReport;
    private final BooleanSupplier listening;

    /**
     * @param listening whether the runtime hears other runtimes' commits now
     */
    DatabaseProjections(RuntimeSettings settings, ProjectionRegistry registry, PostgresGenerations generations,
                        PostgresSegments segments, PostgresLeases leases, TransactionTemplate transaction,
                        GenerationControl control, DeadLetterReplay replay, StatusReport statusReport,
                        BooleanSupplier listening) {
        this.settings = settings;
        this.registry = registry;
        this.generations = generations;
        this.segments = segments;
        this.leases = leases;
        this.transaction = transaction;
        this.control = control;
        this.replay = replay;
        this.statusReport = statusReport;
        this.listening = listening;
    }

    @Override
    public void start(ProjectionHandle handle) {
        control.prepare(handle);
        control.synchronize(handle);
    }

    @Override
    public void reset(ProjectionHandle handle, long offset) {
        control.reset(handle, offset);
    }

    @Override
    public void rebuild(ProjectionHandle handle) {
        control.rebuild(handle);
    }

    @Override
    public void restart(ProjectionHandle handle) {
        control.restart(handle);
    }

    @Override
    public List<SegmentKey> decideSkip(ProjectionHandle handle, long offset, DeadLetter.Decision decision) {
        return segments.decideSkip(handle.name(), offset, decision);
    }

    @Override
    public boolean heldHere(ProjectionHandle handle, SegmentKey key) {
        return handle.run(key.generation()).map(run -> run.worker(key.segment())).filter(SegmentWorker::owned)
                .isPresent();
    }

    @Override
    public boolean passed(ProjectionHandle handle, SegmentKey key, long offset) {
        Optional<SegmentRow> row = segments.read(key);
        // where positions are log offsets a checkpoint at or past the offset has passed it; a topic's are not
        return row.isEmpty() || row.get().skip().isEmpty()
                || (handle.source() == null && row.get().checkpoint() >= offset);
    }

    @Override
    public List<DeadLetter> replay(ProjectionHandle handle, long offset, String operator) {
        return replay.replay(handle, offset, operator);
    }

    /** Renews this instance's memberships, joins or leaves generations, switches caught-up builds, drops old tables. */
    @Override
    public void maintain(ProjectionHandle handle) {
        control.synchronize(handle);
        for (GenerationRun run : List.copyOf(handle.runs())) {
            leases.heartbeat(handle.name(), run.generation(), settings.instanceId(), settings.leaseDuration());
            if (run.building() && run.caughtUpHere()) {
                control.tryActivate(handle, run.generation());
            }
        }
        control.dropRetired(handle);
    }

    /** The status from the database, or, while it does not answer, from what the workers here know. */
    @Override
    public ProjectionStatus status(ProjectionHandle handle, DatabaseLook look, BooleanSupplier caughtUp) {
        long head = look.head();
        long[] heads = heads(handle);
        return look.ask(() -> statusReport.database(handle, head, heads, caughtUp.getAsBoolean()))
                .orElseGet(() -> statusReport.withoutDatabase(handle, head, heads, look.outage()));
    }

    /**
     * The heads of a topic's partitions, or {@code null} for a projection of the log; none while the topic's cannot be
     * read (lag then shows as 0 rather than against the log's head).
     */
    private static long[] heads(ProjectionHandle handle) {
        RecordSource fed = handle.source();
        if (fed == null) {
            return null;
        }
        try {
            return fed.heads().orElseGet(() -> new long[0]);
        } catch (RuntimeException e) {
            log.debug("projection '{}': could not read its topic's heads for its status: {}", handle.name(),
                    e.toString());
            return new long[0];
        }
    }

    @Override
    public boolean isCaughtUp(ProjectionHandle handle) {
        String projection = handle.name();
        if (handle.runs().isEmpty()) {
            // superseded here: another version serves the readers
            return !handle.note().isEmpty();
        }
        try {
            return generations.activeGeneration(projection).map(active -> segments.read(projection, active).stream()
                    .allMatch(row -> caughtUp(row, handle.run(active).map(run -> run.worker(row.segment()))
                            .filter(SegmentWorker::owned).orElse(null))))
                    .orElse(false);
        } catch (RuntimeException e) {
            if (DatabaseFailures.isTransient(e)) {
                // not known to be caught up while the database does not say
                return false;
            }
            throw e;
        }
    }

    /**
     * Whether a segment is caught up: its worker here has reached the head since it started, or (for a segment held
     * elsewhere, or a commit its worker here has not taken in yet) the last commit reached it.
     */
    private static boolean caughtUp(SegmentRow row, SegmentWorker local) {
        if (local == null) {
            return row.caughtUp();
        }
        return local.caughtUp() || (row.caughtUp() && row.checkpoint() > local.checkpoint());
    }

    @Override
    public CheckpointSource checkpoints(ProjectionHandle handle) {
        return new CheckpointSource() {
            @Override
            public Checkpoints read() {
                Optional<PostgresSegments.ActiveSegments> active = segments.readActive(handle.name());
                if (active.isEmpty()) {
                    return new Checkpoints(-1, new long[] {0}, Long.MAX_VALUE);
                }
                List<SegmentRow> rows = active.get().rows();
                long[] checkpoints = rows.stream().mapToLong(SegmentRow::checkpoint).toArray();
                long failedAt = rows.stream().flatMap(row -> row.failure().stream())
                        .mapToLong(ProjectionFailure::offset).min().orElse(Long.MAX_VALUE);
                return new Checkpoints(active.get().generation(),
                        checkpoints.length == 0 ? new long[] {0} : checkpoints, failedAt);
            }

            @Override
            public boolean commitsReported() {
                // commits elsewhere are heard only while the listener listens
                return listening.getAsBoolean();
            }

            @Override
            public boolean confirmsReached() {
                return true;
            }
        };
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public SegmentLedger ledger(ProjectionHandle handle, GenerationRow generation, SegmentKey key) {
        return new DatabaseLedger(segments, leases, new Lease(key, settings.instanceId(), settings.leaseDuration()),
                generation.segmentCount(), handle.source() == null || !handle.source().placesPartitions(), transaction,
                settings.clock());
    }

    @Override
    public Runnable join(ProjectionHandle handle, GenerationRow generation) {
        leases.join(handle.name(), generation.generation(), settings.instanceId(), settings.leaseDuration());
        return () -> leave(handle.name(), generation.generation());
    }

    private void leave(String projection, int generation) {
        if (registry.knownOutage() != null) {
            // leaving would only wait for the database: the membership expires by itself
            return;
        }
        try {
            leases.leave(projection, generation, settings.instanceId());
        } catch (RuntimeException e) {
            log.debug("projection '{}': could not leave generation {} ({}); the membership expires by itself",
                    projection, generation, e.getMessage());
        }
    }
}
