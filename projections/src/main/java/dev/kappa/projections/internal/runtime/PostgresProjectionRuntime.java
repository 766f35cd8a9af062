package dev.kappa.projections.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kappa.eventstore.StoreOutage;
import dev.kappa.eventstore.notify.NotificationListener;
import dev.kappa.projections.CheckpointWait;
import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.NoSuchDeadLetterException;
import dev.kappa.projections.ProjectionException;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.ProjectionRuntimeBuilder;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.internal.lease.Lease;
import dev.kappa.projections.internal.lease.PostgresLeases;
import dev.kappa.projections.internal.log.PostgresLogSource;
import dev.kappa.projections.internal.metrics.ProjectionMetrics;
import dev.kappa.projections.internal.model.ProjectionDefinition;
import dev.kappa.projections.internal.postgres.GenerationRow;
import dev.kappa.projections.internal.postgres.Notification;
import dev.kappa.projections.internal.postgres.PostgresDeadLetters;
import dev.kappa.projections.internal.postgres.PostgresGenerations;
import dev.kappa.projections.internal.postgres.PostgresSegments;
import dev.kappa.projections.internal.postgres.SegmentKey;
import dev.kappa.projections.internal.postgres.SegmentRow;
import dev.kappa.projections.internal.upsert.UpsertWriter;
import dev.kappa.projections.internal.worker.DatabaseLedger;
import dev.kappa.projections.internal.worker.EventReplay;
import dev.kappa.projections.internal.worker.MemoryLedger;
import dev.kappa.projections.internal.worker.SegmentLedger;
import dev.kappa.projections.internal.worker.SegmentWorker;
import dev.kappa.projections.internal.worker.TransientFailures;
import dev.kappa.projections.internal.worker.WorkerConfig;
import dev.kappa.projections.internal.worker.WorkerEvents;

/**
 * The projection runtime on PostgreSQL: registers projections, runs their generations' workers, and answers for them.
 * Database projections keep their generations, checkpoints and leases in Kappa's tables; in-memory ones keep them
 * here.
 *
 * <p>Besides the workers it runs a listener thread (commits and changes of other runtimes) and a control thread that
 * renews this instance's heartbeat, switches readers to rebuilt generations, joins builds other instances started
 * and drops retired tables.
 *
 * <p>Thread-safe.
 */
public final class PostgresProjectionRuntime implements ProjectionRuntime {

    private static final Logger log = LoggerFactory.getLogger(PostgresProjectionRuntime.class);
    /** How long a control operation waits for workers to finish their batch in hand. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    /** How long closing waits for the workers' batches in hand, and for leaving, at most. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** How often waits re-read the database when notifications are not heard (or might have been missed). */
    private static final long FALLBACK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** How long a skip waits for the workers here to pass the skipped event. */
    private static final Duration SKIP_WAIT = Duration.ofSeconds(10);

    private final RuntimeSettings settings;
    private final Map<String, ProjectionHandle> handles = new ConcurrentSkipListMap<>();
    private final PostgresSegments segments;
    private final PostgresGenerations generations;
    private final PostgresLeases leases;
    private final PostgresDeadLetters deadLetters;
    private final UpsertWriter upsertWriter = new UpsertWriter();
    private final TransactionTemplate transaction;
    private final ProjectionMetrics metrics;
    private final CheckpointBoard board = new CheckpointBoard();
    private final NotificationListener listener;
    private final GenerationControl control;
    private final StatusReport statusReport;
    private final ScheduledExecutorService controlThread;
    private final ExecutorService prefetcher;
    private final PostgresLogSource logSource;
    private final WorkerEvents events = new Events();
    private final Object lifecycle = new Object();
    private volatile Lifecycle state = Lifecycle.NEW;
    /** The log's head as last read: what status reports show while the database does not answer. */
    private volatile long lastHead;
    /** Whether the control thread's last round failed: the control thread's own. */
    private boolean maintenanceFailing;

    private enum Lifecycle { NEW, STARTED, CLOSED }

    public PostgresProjectionRuntime(RuntimeSettings settings) {
        this.settings = settings;
        this.segments = new PostgresSegments(settings.dataSource());
        this.generations = new PostgresGenerations(settings.dataSource());
        this.leases = new PostgresLeases(settings.dataSource());
        this.deadLetters = new PostgresDeadLetters(settings.dataSource(), settings.codec());
        this.transaction = new TransactionTemplate(settings.transactionManager());
        // the checkpoint compare-and-set and the handlers' reads assume PostgreSQL's default isolation
        this.transaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.metrics = ProjectionMetrics.of(settings.meterRegistry());
        // hears what workers of every runtime on the database commit: how a checkpoint wait is woken by a commit in
        // another process, and how a worker learns at once of a reset or a released lease
        this.listener = NotificationListener.builder(settings.dataSource())
                .channel(PostgresSegments.CHANNEL)
                .name("kappa-projections-listener")
                .clock(settings.clock())
                .onNotification((channel, payload) -> Notification.parse(payload).ifPresent(this::heard))
                .onConnectionChange(this::listenerChanged)
                .build();
        this.control = new GenerationControl(generations, segments, transaction, settings.clock(),
                settings.defaultSegments(), STOP_WAIT, this::startRun);
        this.statusReport = new StatusReport(generations, segments);
        this.controlThread = Executors.newSingleThreadScheduledExecutor(daemon("kappa-projections-control"));
        this.prefetcher = Executors.newCachedThreadPool(daemon("kappa-projections-prefetch"));
        this.logSource = new PostgresLogSource(settings.reader(), settings.subscriptions(), prefetcher);
    }

    @Override
    public ProjectionRuntime register(Object projection) {
        ProjectionDefinition definition = ProjectionDefinition.of(projection, ProjectionRuntimeBuilder.MAX_SEGMENTS);
        synchronized (lifecycle) {
            if (state != Lifecycle.NEW) {
                throw new IllegalStateException("cannot register " + definition + ": the runtime is "
                        + state.name().toLowerCase() + "; register every projection before start()");
            }
            ProjectionHandle handle = handles.getOrDefault(definition.name(), new ProjectionHandle(definition.name()));
            handle.add(definition, settings.codec());
            handles.putIfAbsent(definition.name(), handle);
        }
        return this;
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (state != Lifecycle.NEW) {
                throw new IllegalStateException("the runtime is already " + state.name().toLowerCase());
            }
            state = Lifecycle.STARTED;
        }
        try {
            if (handles.values().stream().anyMatch(handle -> !handle.inMemory())) {
                listener.start();
            }
            for (ProjectionHandle handle : handles.values()) {
                handle.control().lock();
                try {
                    if (handle.inMemory()) {
                        startInMemory(handle, false);
                    } else {
                        control.prepare(handle);
                        control.synchronize(handle);
                    }
                } finally {
                    handle.control().unlock();
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e instanceof ProjectionException ? e : new ProjectionException(null, "could not start the"
                    + " projections (has ProjectionSchema.migrate(dataSource) been run?): " + e.getMessage(), e);
        }
        long interval = Math.max(10, settings.leaseDuration().toMillis() / 3);
        controlThread.scheduleWithFixedDelay(this::maintain, interval, interval, TimeUnit.MILLISECONDS);
        log.info("projection runtime {} started: {}", settings.instanceId(), handles.keySet());
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
        long head = settings.reader().head();
        if (offset > head) {
            throw new IllegalArgumentException("cannot reset projection '" + projection + "' to offset " + offset
                    + ": the log's head is " + head);
        }
        ProjectionHandle handle = started(projection);
        handle.control().lock();
        try {
            if (handle.inMemory()) {
                resetInMemory(handle, offset);
            } else {
                control.reset(handle, offset);
            }
        } finally {
            handle.control().unlock();
            board.invalidate(projection);
        }
    }

    @Override
    public void rebuild(String projection) {
        ProjectionHandle handle = started(projection);
        if (handle.inMemory()) {
            throw new IllegalStateException("projection '" + projection + "' is in memory: it is rebuilt on every"
                    + " start; reset it to rebuild it now");
        }
        handle.control().lock();
        try {
            control.rebuild(handle);
        } finally {
            handle.control().unlock();
        }
    }

    @Override
    public void restart(String projection) {
        ProjectionHandle handle = started(projection);
        handle.control().lock();
        try {
            if (handle.inMemory()) {
                handle.runs().forEach(run -> run.stop(STOP_WAIT));
                handle.memoryLedgers(0).forEach(MemoryLedger::clearFailure);
                startInMemory(handle, false);
                log.info("projection '{}' restarted", projection);
            } else {
                control.restart(handle);
            }
        } finally {
            handle.control().unlock();
            board.invalidate(projection);
        }
    }

    @Override
    public List<ProjectionStatus> status() {
        DatabaseLook look = new DatabaseLook();
        List<ProjectionStatus> statuses = new ArrayList<>();
        for (ProjectionHandle handle : handles.values()) {
            statuses.add(status(handle, look));
        }
        return statuses;
    }

    @Override
    public ProjectionStatus status(String projection) {
        return status(handle(projection), new DatabaseLook());
    }

    /** The status from the database, or, while it does not answer, from what the workers here know. */
    private ProjectionStatus status(ProjectionHandle handle, DatabaseLook look) {
        long head = look.head();
        if (handle.inMemory()) {
            return statusReport.inMemory(handle, head, isCaughtUp(handle.name()));
        }
        return look.ask(() -> statusReport.database(handle, head, isCaughtUp(handle.name())))
                .orElseGet(() -> statusReport.withoutDatabase(handle, head, look.outage()));
    }

    @Override
    public CheckpointWait awaitCheckpoint(String projection, long offset, Duration timeout)
            throws InterruptedException {
        ProjectionHandle handle = handle(projection);
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more but was " + offset);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean quiet = false;
        while (true) {
            long seen = board.version();
            CheckpointBoard.Known known = board.known(projection);
            // the database is read when nothing is known, when commits elsewhere may go unheard, after a quiet poll
            // interval (which bounds the delay any missed report could cause), and before answering "reached": the
            // board only decides when to look, the database has the last word
            if (known == null || quiet || !(handle.inMemory() || listener.isListening())
                    || (!handle.inMemory() && known.checkpoint() >= offset)) {
                known = load(handle, seen);
            }
            if (known.checkpoint() >= offset || known.failedAt() <= offset) {
                // reached, or stopped below it: waiting longer cannot help until someone restarts it
                return new CheckpointWait(projection, offset, known.checkpoint());
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new CheckpointWait(projection, offset, known.checkpoint());
            }
            quiet = !board.await(seen, Math.min(remaining, FALLBACK_POLL_NANOS));
        }
    }

    @Override
    public boolean isCaughtUp() {
        return handles.keySet().stream().allMatch(this::isCaughtUp);
    }

    @Override
    public boolean isCaughtUp(String projection) {
        ProjectionHandle handle = handle(projection);
        if (state != Lifecycle.STARTED) {
            return false;
        }
        if (handle.inMemory()) {
            return handle.runs().stream().allMatch(run -> run.workers().stream().allMatch(SegmentWorker::caughtUp));
        }
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
            if (TransientFailures.isTransient(e)) {
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
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen = board.version();
            if (isCaughtUp()) {
                return true;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            board.await(seen, Math.min(remaining, FALLBACK_POLL_NANOS));
        }
    }

    @Override
    public void skip(String projection, long offset, String operator, String note) {
        ProjectionHandle handle = started(projection);
        DeadLetter.Decision decision = new DeadLetter.Decision(operator, note, settings.clock().instant());
        List<SegmentKey> decided;
        handle.control().lock();
        try {
            decided = handle.inMemory() ? skipInMemory(handle, offset, decision)
                    : segments.decideSkip(projection, offset, decision);
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
        awaitPassed(handle, decided, offset);
    }

    @Override
    public List<DeadLetter> deadLetters(String projection) {
        handle(projection);
        return deadLetters.list(projection);
    }

    @Override
    public List<DeadLetter> replay(String projection, long offset, String operator) {
        ProjectionHandle handle = started(projection);
        if (handle.inMemory()) {
            throw new IllegalStateException("projection '" + projection + "' is in memory: it is rebuilt from the log"
                    + " at every start, so a dead letter cannot be replayed into it; reset it to apply the log again");
        }
        List<DeadLetter> atOffset = deadLetters.list(projection).stream().filter(l -> l.offset() == offset).toList();
        Map<Integer, GenerationRow> live = new HashMap<>();
        generations.generations(projection).stream().filter(g -> g.state() != GenerationRow.State.RETIRED)
                .forEach(g -> live.put(g.generation(), g));
        List<DeadLetter> waiting = atOffset.stream().filter(l -> l.state() != DeadLetter.State.REPLAYED)
                .filter(l -> live.containsKey(l.generation())).toList();
        if (waiting.isEmpty()) {
            if (atOffset.isEmpty()) {
                throw new NoSuchDeadLetterException(projection, offset);
            }
            throw new IllegalStateException(nothingToReplay(projection, offset, atOffset));
        }
        for (DeadLetter letter : waiting) {
            replayOne(handle, live.get(letter.generation()), letter, operator);
        }
        board.invalidate(projection);
        return deadLetters.list(projection).stream().filter(l -> l.offset() == offset).toList();
    }

    @Override
    public String instanceId() {
        return settings.instanceId();
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (state == Lifecycle.CLOSED) {
                return;
            }
            state = Lifecycle.CLOSED;
        }
        // everything stops at once, and the wait is bounded, whatever the database does: an application must stop
        // on SIGTERM even while its database is away (a batch cut off is rolled back, and replayed by the next owner)
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        controlThread.shutdown();
        List<GenerationRun> runs = handles.values().stream().flatMap(handle -> handle.runs().stream()).toList();
        runs.forEach(run -> run.workers().forEach(SegmentWorker::requestStop));
        List<CompletableFuture<Void>> stopping = new ArrayList<>(runs.stream()
                .map(run -> CompletableFuture.runAsync(() -> run.stop(remaining(deadline)), prefetcher)).toList());
        stopping.add(CompletableFuture.runAsync(listener::close, prefetcher));
        try {
            controlThread.awaitTermination(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS);
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
                    .get(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("projection runtime {}: workers did not stop within {} ({}); their batches in hand are rolled"
                    + " back and their leases expire by themselves", settings.instanceId(), CLOSE_WAIT, e.toString());
        }
        handles.values().forEach(handle -> List.copyOf(handle.runs())
                .forEach(run -> handle.removeRun(run.generation())));
        prefetcher.shutdownNow();
        board.touch();
        log.info("projection runtime {} closed", settings.instanceId());
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    // ---- runs -------------------------------------------------------------------------------------------------

    private GenerationRun startRun(ProjectionHandle handle, GenerationRow generation, ProjectionDefinition definition,
                                   boolean rebuilding) {
        int segmentCount = generation.segmentCount();
        Runnable onStop = () -> {
        };
        if (!definition.inMemory()) {
            // join the generation's members first, so that the others make room for this instance's workers
            leases.join(handle.name(), generation.generation(), settings.instanceId(), settings.leaseDuration());
            onStop = () -> leave(handle.name(), generation.generation());
        }
        List<SegmentWorker> workers = new ArrayList<>();
        for (int segment = 0; segment < segmentCount; segment++) {
            SegmentKey key = new SegmentKey(handle.name(), generation.generation(), segment);
            SegmentLedger ledger = definition.inMemory() ? handle.memoryLedgers(segmentCount).get(segment)
                    : new DatabaseLedger(segments, leases,
                            new Lease(key, settings.instanceId(), settings.leaseDuration()), segmentCount, transaction, settings.clock());
            workers.add(new SegmentWorker(workerConfig(handle, generation, definition, key, ledger, rebuilding)));
        }
        GenerationRun run = new GenerationRun(generation.generation(), generation.version(), definition,
                generation.state() == GenerationRow.State.BUILDING, workers, onStop);
        handle.putRun(run);
        run.start();
        log.info("projection '{}': running generation {} (version {}, {}){}", handle.name(), generation.generation(),
                generation.version(), GenerationControl.segments(segmentCount),
                run.building() ? ", building beside readers" : "");
        board.invalidate(handle.name());
        return run;
    }

    private WorkerConfig workerConfig(ProjectionHandle handle, GenerationRow generation, ProjectionDefinition definition,
                                      SegmentKey key, SegmentLedger ledger, boolean rebuilding) {
        return new WorkerConfig(key, generation.segmentCount(), definition, handle.resolver(definition),
                definition.tables(generation.generation()), rebuilding,
                handle.failureMode(definition, settings.failureMode()), settings.retryPolicy(),
                settings.catchUpBatchSize(), settings.readPageSize(), settings.liveBatchSize(), settings.leaseDuration(),
                settings.instanceId(), logSource, settings.codec(), ledger,
                settings.dataSource(), upsertWriter, deadLetters, settings.clock(), metrics, events);
    }

    private void leave(String projection, int generation) {
        if (knownOutage() != null) {
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

    private void startInMemory(ProjectionHandle handle, boolean rebuilding) {
        ProjectionDefinition definition = handle.newest();
        int segmentCount = handle.segments(definition, settings.defaultSegments());
        startRun(handle, new GenerationRow(1, definition.version(), segmentCount, GenerationRow.State.ACTIVE,
                List.of()), definition, rebuilding);
    }

    private void resetInMemory(ProjectionHandle handle, long offset) {
        ProjectionDefinition definition = handle.newest();
        GenerationControl.requireResettable(definition, offset);
        handle.runs().forEach(run -> run.stop(STOP_WAIT));
        handle.runs().forEach(run -> handle.removeRun(run.generation()));
        try {
            if (definition.hasResetHandler()) {
                definition.invokeResetHandler(new dev.kappa.projections.ResetContext(definition.name(), offset,
                        definition.tables(1)));
            } else {
                definition.invalidateCaches();
            }
        } catch (Exception e) {
            startInMemory(handle, false);
            throw new ProjectionException(definition.name(), "the @ResetHandler of projection '"
                    + definition.name() + "' failed: " + e, e);
        }
        handle.memoryLedgers(0).forEach(ledger -> ledger.reset(offset));
        log.info("projection '{}' (in memory) reset to offset {}; replaying the log from there", handle.name(),
                offset);
        startInMemory(handle, true);
    }

    // ---- dead letters -----------------------------------------------------------------------------------------

    private List<SegmentKey> skipInMemory(ProjectionHandle handle, long offset, DeadLetter.Decision decision) {
        List<MemoryLedger> ledgers = handle.memoryLedgers(0);
        List<SegmentKey> decided = new ArrayList<>();
        for (int segment = 0; segment < ledgers.size(); segment++) {
            if (ledgers.get(segment).decideSkip(offset, decision)) {
                decided.add(new SegmentKey(handle.name(), 1, segment));
            }
        }
        return decided;
    }

    /** Why a skip at {@code offset} is refused: where the projection is stopped, if anywhere. */
    private String notStoppedAt(String projection, long offset) {
        ProjectionStatus status = status(projection);
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

    /** Waits until the segments held here that were decided to skip {@code offset} have passed it, or failed again. */
    private void awaitPassed(ProjectionHandle handle, List<SegmentKey> decided, long offset) {
        long deadline = System.nanoTime() + SKIP_WAIT.toNanos();
        List<SegmentKey> here = decided.stream().filter(key -> handle.inMemory() || handle.run(key.generation())
                .map(run -> run.worker(key.segment())).filter(SegmentWorker::owned).isPresent()).toList();
        try {
            while (true) {
                long seen = board.version();
                if (here.stream().allMatch(key -> passed(handle, key, offset))) {
                    return;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                board.await(seen, Math.min(remaining, FALLBACK_POLL_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean passed(ProjectionHandle handle, SegmentKey key, long offset) {
        if (handle.inMemory()) {
            MemoryLedger ledger = handle.memoryLedgers(0).get(key.segment());
            return ledger.checkpoint() >= offset || !ledger.skipping();
        }
        Optional<SegmentRow> row = segments.read(key);
        return row.isEmpty() || row.get().checkpoint() >= offset || row.get().skip().isEmpty();
    }

    /** Why the letters at {@code offset} (at least one) cannot be replayed. */
    private static String nothingToReplay(String projection, long offset, List<DeadLetter> atOffset) {
        Optional<DeadLetter> replayed = atOffset.stream().filter(l -> l.state() == DeadLetter.State.REPLAYED)
                .findFirst();
        if (replayed.isPresent()) {
            DeadLetter.Decision by = replayed.get().replay().orElseThrow();
            return "the dead letter of projection '" + projection + "' at offset " + offset + " was already replayed,"
                    + " by " + by.by() + " at " + by.at();
        }
        return "the dead letter of projection '" + projection + "' at offset " + offset + " belongs to generation "
                + atOffset.get(0).generation() + ", which has been replaced since: the generation readers use was"
                + " built after it, so there is nothing to replay it into";
    }

    /** Applies one dead letter again, in a transaction that locks the letter and its segment's row. */
    private void replayOne(ProjectionHandle handle, GenerationRow generation, DeadLetter letter, String operator) {
        String name = handle.name();
        long offset = letter.offset();
        ProjectionDefinition definition = handle.definition(generation.version()).orElseThrow(() ->
                new IllegalStateException("the dead letter of projection '" + name + "' at offset " + offset
                        + " belongs to generation " + generation.generation() + ", which runs version "
                        + generation.version() + " of the projection; this runtime runs version "
                        + handle.newest().version() + ": replay it from an instance that runs that version"));
        SegmentKey key = new SegmentKey(name, generation.generation(), letter.segment());
        SegmentLedger ledger = new DatabaseLedger(segments, leases,
                new Lease(key, settings.instanceId(), settings.leaseDuration()), generation.segmentCount(), transaction, settings.clock());
        DeadLetter.Decision replay = new DeadLetter.Decision(operator, "", settings.clock().instant());
        String where = "the dead letter of projection '" + name + "' at offset " + offset + " (segment "
                + letter.segment() + " of generation " + generation.generation() + ")";
        Optional<Throwable> failure;
        try {
            failure = new EventReplay(workerConfig(handle, generation, definition, key, ledger, false)).apply(
                    PostgresDeadLetters.record(letter), () -> {
                        DeadLetter locked = deadLetters.lock(name, generation.generation(), offset).orElseThrow(() ->
                                new ReplayRefused(where + " is gone"));
                        if (locked.state() == DeadLetter.State.REPLAYED) {
                            throw new ReplayRefused(where + " was replayed meanwhile, by "
                                    + locked.replay().map(DeadLetter.Decision::by).orElse("?"));
                        }
                        long checkpoint = segments.lockSegment(key).orElseThrow(() -> new ReplayRefused(
                                "generation " + generation.generation() + " of projection '" + name
                                        + "' was replaced meanwhile"));
                        if (checkpoint < offset) {
                            throw new ReplayRefused("cannot replay " + where + ": the segment is back at checkpoint "
                                    + checkpoint + " (it was reset), so its worker applies the event when it gets"
                                    + " there");
                        }
                    }, () -> {
                        if (!deadLetters.replayed(letter, replay)) {
                            throw new ReplayRefused(where + " was replayed meanwhile");
                        }
                    });
        } catch (ReplayRefused e) {
            throw new IllegalStateException(e.getMessage());
        } catch (RuntimeException e) {
            throw new ProjectionException(name, "could not replay " + where + ": " + e.getMessage()
                    + "; the letter stays as it was", e);
        }
        String letterHere = "the dead letter at offset " + offset + " (segment " + letter.segment() + " of generation "
                + generation.generation() + ")";
        if (failure.isEmpty()) {
            log.info("projection '{}': {} replayed {}: applied", name, replay.by(), letterHere);
            return;
        }
        Throwable cause = failure.get();
        deadLetters.replayFailed(letter, new ProjectionFailure(offset, letter.eventType(), cause.getClass().getName(),
                cause.getMessage(), 1, settings.clock().instant()));
        log.info("projection '{}': {} replayed {}, which failed again, so it stays a dead letter: {}", name,
                replay.by(), letterHere, cause.toString());
    }

    /** A replay that must not go ahead: rolls its transaction back, and is refused with its message. */
    private static final class ReplayRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplayRefused(String message) {
            super(message, null, false, false);
        }
    }

    // ---- background -------------------------------------------------------------------------------------------

    /** The control thread's round: renew memberships, join or leave generations, switch caught-up builds, drop old tables. */
    private void maintain() {
        if (state != Lifecycle.STARTED) {
            return;
        }
        for (ProjectionHandle handle : handles.values()) {
            if (handle.inMemory()) {
                continue;
            }
            handle.control().lock();
            try {
                if (state != Lifecycle.STARTED) {
                    return;
                }
                control.synchronize(handle);
                for (GenerationRun run : List.copyOf(handle.runs())) {
                    leases.heartbeat(handle.name(), run.generation(), settings.instanceId(),
                            settings.leaseDuration());
                    if (run.building() && run.caughtUpHere()) {
                        control.tryActivate(handle, run.generation());
                    }
                }
                control.dropRetired(handle);
                if (maintenanceFailing) {
                    maintenanceFailing = false;
                    log.info("projections' background maintenance works again");
                }
            } catch (RuntimeException e) {
                // once per outage: the workers say the rest
                if (!maintenanceFailing || !TransientFailures.isTransient(e)) {
                    log.warn("projection '{}': background maintenance failed ({}); trying again every {} ms",
                            handle.name(), e.toString(), settings.leaseDuration().toMillis() / 3);
                }
                maintenanceFailing = true;
            } finally {
                handle.control().unlock();
            }
        }
    }

    private void activate(ProjectionHandle handle, GenerationRun run) {
        handle.control().lock();
        try {
            if (state == Lifecycle.STARTED && handle.run(run.generation()).orElse(null) == run) {
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

    /**
     * The listener lost its connection or has it again: commits may have gone unheard. Once it listens again the
     * database answers, so the workers waiting out an outage try again now rather than after their back-off.
     */
    private void listenerChanged() {
        board.invalidateAll();
        if (listener.isListening()) {
            handles.values().forEach(handle -> handle.runs().forEach(run -> run.workers().stream()
                    .filter(worker -> worker.outage().isPresent()).forEach(SegmentWorker::nudge)));
        }
    }

    /** A notification from any runtime's commit or change. */
    private void heard(Notification notification) {
        ProjectionHandle handle = handles.get(notification.projection());
        if (handle == null) {
            return;
        }
        if (notification.checkpoint().isEmpty()) {
            board.invalidate(handle.name());
            handle.runs().forEach(run -> run.workers().forEach(SegmentWorker::nudge));
            return;
        }
        Notification.Committed committed = notification.checkpoint().get();
        SegmentWorker local = handle.run(committed.generation()).map(run -> run.worker(committed.segment()))
                .orElse(null);
        // this runtime's own workers report their commits directly, and in order
        if (local == null || !local.owned()) {
            board.committed(handle.name(), committed.generation(), committed.segment(), committed.checkpoint());
        }
    }

    /** Reads what readers of the projection see now, and tells the board unless it changed since {@code seen}. */
    private CheckpointBoard.Known load(ProjectionHandle handle, long seen) {
        String name = handle.name();
        if (handle.inMemory()) {
            long[] checkpoints = handle.memoryLedgers(0).stream().mapToLong(MemoryLedger::checkpoint).toArray();
            long failedAt = handle.runs().stream().flatMap(run -> run.workers().stream())
                    .flatMap(worker -> worker.failure().stream()).mapToLong(ProjectionFailure::offset).min()
                    .orElse(Long.MAX_VALUE);
            return board.load(name, 1, checkpoints, failedAt, seen);
        }
        Optional<PostgresSegments.ActiveSegments> active = segments.readActive(name);
        if (active.isEmpty()) {
            return board.load(name, -1, new long[] {0}, Long.MAX_VALUE, seen);
        }
        List<SegmentRow> rows = active.get().rows();
        long[] checkpoints = rows.stream().mapToLong(SegmentRow::checkpoint).toArray();
        long failedAt = rows.stream().flatMap(row -> row.failure().stream()).mapToLong(ProjectionFailure::offset)
                .min().orElse(Long.MAX_VALUE);
        return board.load(name, active.get().generation(), checkpoints.length == 0 ? new long[] {0} : checkpoints,
                failedAt, seen);
    }

    private ProjectionHandle handle(String projection) {
        ProjectionHandle handle = handles.get(projection);
        if (handle == null) {
            throw new IllegalArgumentException("no projection named '" + projection + "' is registered; registered: "
                    + handles.keySet());
        }
        return handle;
    }

    private ProjectionHandle started(String projection) {
        ProjectionHandle handle = handle(projection);
        if (state != Lifecycle.STARTED) {
            throw new IllegalStateException("the runtime is " + state.name().toLowerCase() + ": start it before"
                    + " resetting, rebuilding or restarting projection '" + projection + "'");
        }
        return handle;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * What one status request learns from the database: it is asked until it fails to answer once, and not at all
     * while a worker here already knows that it does not (each failed attempt costs the pool's connection timeout).
     * Not thread-safe: one per request.
     */
    private final class DatabaseLook {

        private StoreOutage outage = knownOutage();
        private Long head;

        long head() {
            if (head == null) {
                ask(() -> settings.reader().head()).ifPresent(read -> lastHead = read);
                head = lastHead;
            }
            return head;
        }

        /** The answer, or empty if the database does not answer (then {@link #outage()} says why). */
        <T> Optional<T> ask(Supplier<T> query) {
            if (outage != null) {
                return Optional.empty();
            }
            try {
                return Optional.of(query.get());
            } catch (RuntimeException e) {
                if (!TransientFailures.isUnavailable(e)) {
                    throw e;
                }
                outage = new StoreOutage(settings.clock().instant(), TransientFailures.describe(e));
                return Optional.empty();
            }
        }

        StoreOutage outage() {
            return outage;
        }
    }

    /** The earliest outage a worker here is waiting out, or null. */
    private StoreOutage knownOutage() {
        return handles.values().stream().flatMap(handle -> handle.runs().stream())
                .flatMap(run -> run.workers().stream()).flatMap(worker -> worker.outage().stream())
                .min(Comparator.comparing(StoreOutage::since)).orElse(null);
    }

    /** Worker reports, on the workers' threads. */
    private final class Events implements WorkerEvents {

        @Override
        public void committed(SegmentKey key, long checkpoint) {
            board.committed(key.projection(), key.generation(), key.segment(), checkpoint);
        }

        @Override
        public void caughtUp(SegmentKey key) {
            ProjectionHandle handle = handles.get(key.projection());
            GenerationRun run = handle == null ? null : handle.run(key.generation()).orElse(null);
            if (run != null) {
                if (run.building()) {
                    if (run.caughtUpHere() && run.queueActivation() && state == Lifecycle.STARTED) {
                        try {
                            controlThread.execute(() -> activate(handle, run));
                        } catch (java.util.concurrent.RejectedExecutionException e) {
                            run.activationDone();
                        }
                    }
                } else if (run.caughtUpHere() && run.firstCaughtUp()) {
                    log.info("projection '{}' caught up with the log (generation {})", key.projection(),
                            key.generation());
                }
            }
            board.touch();
        }

        @Override
        public void changed(SegmentKey key) {
            board.invalidate(key.projection());
        }

        @Override
        public void gone(SegmentKey key) {
            board.invalidate(key.projection());
        }
    }
}
