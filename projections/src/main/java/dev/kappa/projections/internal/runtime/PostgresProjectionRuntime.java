package dev.kappa.projections.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kappa.projections.CheckpointWait;
import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.FleetInstance;
import dev.kappa.projections.ProjectionException;
import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.ProjectionRuntimeBuilder;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.internal.checkpoint.CheckpointBoard;
import dev.kappa.projections.internal.checkpoint.CheckpointWaiter;
import dev.kappa.projections.internal.deadletter.DeadLetterReplay;
import dev.kappa.projections.internal.deadletter.PostgresDeadLetters;
import dev.kappa.projections.internal.lease.PostgresLeases;
import dev.kappa.projections.internal.metrics.ProjectionMetrics;
import dev.kappa.projections.internal.model.ProjectionDefinition;
import dev.kappa.projections.internal.rebuild.GenerationControl;
import dev.kappa.projections.internal.rebuild.GenerationRow;
import dev.kappa.projections.internal.rebuild.PostgresGenerations;
import dev.kappa.projections.internal.segment.PostgresSegments;
import dev.kappa.projections.internal.worker.SegmentWorker;
import dev.kappa.projections.source.RecordSource;

/**
 * The projection runtime on PostgreSQL: registers projections, starts and closes them, and plays the roles of a
 * {@link ProjectionRuntime} through the classes that answer for each: {@link RuntimeControl},
 * {@link RuntimeMonitoring} and the {@link CheckpointWaiter}. Database projections keep their generations, checkpoints
 * and leases in Kappa's tables ({@link DatabaseProjections}); in-memory ones keep them here
 * ({@link InMemoryProjections}).
 *
 * <p>Besides the workers it runs a listener thread ({@link RuntimeEvents}: commits and changes of other runtimes) and a
 * control thread ({@link Maintenance}).
 *
 * <p>Thread-safe.
 */
public final class PostgresProjectionRuntime implements ProjectionRuntime {

    private static final Logger log = LoggerFactory.getLogger(PostgresProjectionRuntime.class);
    /** How long a control operation waits for workers to finish their batch in hand. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    /** How long closing waits for the workers' batches in hand, and for leaving, at most. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final RuntimeSettings settings;
    private final ProjectionRegistry registry = new ProjectionRegistry();
    private final CheckpointBoard board = new CheckpointBoard();
    private final CheckpointWaiter waiter = new CheckpointWaiter(board);
    private final ExecutorService prefetcher = Executors.newCachedThreadPool(daemon("kappa-projections-prefetch"));
    private final Maintenance maintenance;
    private final RuntimeEvents events;
    private final Workers workers;
    private final ProjectionKind database;
    private final ProjectionKind inMemory;
    private final RuntimeControl control;
    private final RuntimeMonitoring monitoring;
    private final TopicSources topicSources;

    public PostgresProjectionRuntime(RuntimeSettings settings) {
        this.settings = settings;
        this.topicSources = new TopicSources(settings.recordSources(), settings.topics());
        PostgresSegments segments = new PostgresSegments(settings.dataSource());
        PostgresGenerations generations = new PostgresGenerations(settings.dataSource());
        PostgresLeases leases = new PostgresLeases(settings.dataSource());
        PostgresDeadLetters deadLetters = new PostgresDeadLetters(settings.dataSource(), settings.codec());
        TransactionTemplate transaction = new TransactionTemplate(settings.transactionManager());
        // the checkpoint compare-and-set and the handlers' reads assume PostgreSQL's default isolation
        transaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        GenerationControl generationControl = new GenerationControl(generations, segments, transaction,
                settings.clock(), settings.defaultSegments(), STOP_WAIT, this::startRun);
        this.maintenance = new Maintenance(registry, this::kind, generationControl, settings.leaseDuration());
        this.events = new RuntimeEvents(settings, registry, board, maintenance);
        this.workers = new Workers(settings, this::kind, deadLetters, ProjectionMetrics.of(settings.meterRegistry()),
                events, board, prefetcher);
        StatusReport statusReport = new StatusReport(generations, segments);
        this.database = new DatabaseProjections(settings, registry, generations, segments, leases, transaction,
                generationControl, new DeadLetterReplay(deadLetters, generations, segments, settings.clock(),
                        workers::replay), statusReport, events::listening);
        this.inMemory = new InMemoryProjections(settings.defaultSegments(), STOP_WAIT, workers, statusReport);
        this.monitoring = new RuntimeMonitoring(settings, registry, this::kind, deadLetters, waiter,
                new FleetReport(settings, registry, leases));
        this.control = new RuntimeControl(settings, registry, this::kind, board, waiter, monitoring);
    }

    /** What kind of projection it is: chosen here once, so that nothing else asks. */
    private ProjectionKind kind(ProjectionHandle handle) {
        return handle.inMemory() ? inMemory : database;
    }

    private GenerationRun startRun(ProjectionHandle handle, GenerationRow generation, ProjectionDefinition definition,
                                   boolean rebuilding) {
        return workers.start(handle, generation, definition, rebuilding);
    }

    // ---- lifecycle --------------------------------------------------------------------------------------------

    @Override
    public ProjectionRuntime register(Object projection) {
        ProjectionDefinition definition = ProjectionDefinition.of(projection, ProjectionRuntimeBuilder.MAX_SEGMENTS);
        registry.register(definition, settings.codec(), topicSources.of(definition));
        return this;
    }

    @Override
    public void start() {
        registry.start();
        try {
            if (registry.all().stream().anyMatch(handle -> kind(handle).shared())) {
                events.listen();
            }
            for (ProjectionHandle handle : registry.all()) {
                handle.control().lock();
                try {
                    kind(handle).start(handle);
                } finally {
                    handle.control().unlock();
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e instanceof ProjectionException ? e : new ProjectionException(null, "could not start the"
                    + " projections (has ProjectionSchema.migrate(dataSource) been run?): " + e.getMessage(), e);
        }
        maintenance.start();
        settings.topics().keySet().stream().filter(name -> registry.find(name) == null).sorted().forEach(name ->
                log.warn("a topic was given for projection '{}' (kappa.projections.topics.{}), but no projection of"
                        + " that name is registered: check the name", name, name));
        log.info("projection runtime {} started: {}", settings.instanceId(), registry.names());
    }

    @Override
    public String instanceId() {
        return settings.instanceId();
    }

    @Override
    public void close() {
        if (!registry.close()) {
            return;
        }
        // everything stops at once, and the wait is bounded, whatever the database does: an application must stop
        // on SIGTERM even while its database is away (a batch cut off is rolled back, and replayed by the next owner)
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        maintenance.shutdown();
        List<GenerationRun> runs = registry.all().stream().flatMap(handle -> handle.runs().stream()).toList();
        runs.forEach(run -> run.workers().forEach(SegmentWorker::requestStop));
        List<CompletableFuture<Void>> stopping = new ArrayList<>(runs.stream()
                .map(run -> CompletableFuture.runAsync(() -> run.stop(remaining(deadline)), prefetcher)).toList());
        stopping.add(CompletableFuture.runAsync(events::close, prefetcher));
        try {
            maintenance.awaitTermination(remaining(deadline));
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
                    .get(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("projection runtime {}: workers did not stop within {} ({}); their batches in hand are rolled"
                    + " back and their leases expire by themselves", settings.instanceId(), CLOSE_WAIT, e.toString());
        }
        registry.all().forEach(handle -> List.copyOf(handle.runs())
                .forEach(run -> handle.removeRun(run.generation())));
        prefetcher.shutdownNow();
        board.touch();
        log.info("projection runtime {} closed", settings.instanceId());
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---- control ----------------------------------------------------------------------------------------------

    @Override
    public void reset(String projection) {
        control.reset(projection);
    }

    @Override
    public void reset(String projection, long offset) {
        control.reset(projection, offset);
    }

    @Override
    public void rebuild(String projection) {
        control.rebuild(projection);
    }

    @Override
    public void restart(String projection) {
        control.restart(projection);
    }

    @Override
    public void skip(String projection, long offset, String operator, String note) {
        control.skip(projection, offset, operator, note);
    }

    @Override
    public List<DeadLetter> replay(String projection, long offset, String operator) {
        return control.replay(projection, offset, operator);
    }

    // ---- monitoring -------------------------------------------------------------------------------------------

    @Override
    public List<ProjectionStatus> status() {
        return monitoring.status();
    }

    @Override
    public ProjectionStatus status(String projection) {
        return monitoring.status(projection);
    }

    @Override
    public boolean isCaughtUp() {
        return monitoring.isCaughtUp();
    }

    @Override
    public boolean isCaughtUp(String projection) {
        return monitoring.isCaughtUp(projection);
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return monitoring.awaitCaughtUp(timeout);
    }

    @Override
    public List<DeadLetter> deadLetters(String projection) {
        return monitoring.deadLetters(projection);
    }

    @Override
    public List<DeadLetter> deadLetters(String projection, int newest) {
        return monitoring.deadLetters(projection, newest);
    }

    @Override
    public List<FleetInstance> fleet() {
        return monitoring.fleet();
    }

    // ---- checkpoint waits -------------------------------------------------------------------------------------

    @Override
    public CheckpointWait awaitCheckpoint(String projection, long offset, Duration timeout)
            throws InterruptedException {
        ProjectionHandle handle = registry.handle(projection);
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more but was " + offset);
        }
        RecordSource fed = handle.source();
        if (fed == null) {
            return waiter.awaitCheckpoint(projection, offset, timeout, kind(handle).checkpoints(handle));
        }
        // a topic's positions are not log offsets: its source says where each partition's checkpoint must be
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<long[]> positions = fed.positionsThrough(offset, handle.segments(handle.newest(),
                settings.defaultSegments()), timeout);
        if (positions.isEmpty()) {
            return new CheckpointWait(projection, offset, offset - 1);
        }
        return waiter.awaitCheckpoint(projection, offset, positions.get(), remaining(deadline),
                kind(handle).checkpoints(handle));
    }
}
