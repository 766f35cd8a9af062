package dev.kappa.test.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;

import dev.kappa.eventstore.AppendResult;
import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.projections.FailureMode;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ProjectionControl;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.ProjectionSchema;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.RetryPolicy;
import dev.kappa.projections.SegmentStatus;

/**
 * One projection run by the real {@link ProjectionRuntime} on a log of its own: the event store and the projections'
 * tables on a database whose log is empty, events appended through the real codec, and waits until the projection
 * has applied them. A handler that throws is tried once more at once (the events before it in its batch are committed
 * first, as the production retries do), then the projection stops at its event: a test sees the error without
 * waiting out back-offs, in the state production would stop in.
 *
 * <p>This class is not thread-safe: it belongs to the test that started it.
 */
public final class RunningProjection implements AutoCloseable {

    /** How long a wait for the projection may take before the test fails: generous, the machine may be loaded. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final String INSTANCE_ID = "projection-fixture";
    private static final long STATUS_POLL_MILLIS = 20;
    /** Two attempts: one retry is what makes the worker commit the events before a failing one. */
    private static final RetryPolicy FAIL_FAST = RetryPolicy.backOff(2, Duration.ZERO, Duration.ZERO);

    private final String name;
    private final Object projection;
    private final TestDatabase ownDatabase;
    private final DataSource dataSource;
    private final EventStore store;
    private final ProjectionRuntime runtime;
    private boolean closed;

    private RunningProjection(String name, Object projection, TestDatabase ownDatabase, DataSource dataSource,
                              EventStore store, ProjectionRuntime runtime) {
        this.name = name;
        this.projection = projection;
        this.ownDatabase = ownDatabase;
        this.dataSource = dataSource;
        this.store = store;
        this.runtime = runtime;
    }

    /**
     * Starts a projection and waits until it has caught up with the (empty) log.
     *
     * @param dataSource a database whose log is empty, or {@code null} for a fresh {@link TestDatabase} of its own,
     *                   dropped on {@link #close()}
     * @param codec      the codec to append and read with, or {@code null} for a {@link RegisteringCodec}
     * @param projection makes the projection object, given the data source it runs on
     * @throws IllegalStateException    if the log of {@code dataSource} is not empty
     * @throws IllegalArgumentException if the object is not a valid projection
     */
    public static RunningProjection start(DataSource dataSource, EventCodec codec,
                                          Function<? super DataSource, ?> projection) {
        Objects.requireNonNull(projection, "projection must not be null");
        TestDatabase ownDatabase = dataSource == null ? TestDatabase.create() : null;
        DataSource database = ownDatabase != null ? ownDatabase.dataSource() : dataSource;
        List<AutoCloseable> started = new ArrayList<>();
        if (ownDatabase != null) {
            started.add(ownDatabase);
        }
        try {
            KappaSchema.migrate(database);
            ProjectionSchema.migrate(database);
            EventStore store = EventStore.builder(database).codec(codec != null ? codec : new RegisteringCodec())
                    .build();
            started.add(0, store);
            long head = store.head();
            if (head != 0) {
                throw new IllegalStateException("the log of the fixture's database already holds records (its head is"
                        + " at offset " + head + "): a fixture replays the whole log, so give each fixture a fresh"
                        + " database (TestDatabase.create(), closed after the test), or none to let it make its own");
            }
            Object instance = Objects.requireNonNull(projection.apply(database),
                    "the projection factory returned null");
            String name = nameOf(instance);
            ProjectionRuntime runtime = ProjectionRuntime.builder(database, store)
                    .instanceId(INSTANCE_ID)
                    .retryPolicy(FAIL_FAST)
                    .failureMode(FailureMode.STOP)
                    .build();
            started.add(0, runtime);
            runtime.register(instance);
            runtime.start();
            RunningProjection running = new RunningProjection(name, instance, ownDatabase, database, store, runtime);
            running.awaitApplied(0);
            return running;
        } catch (RuntimeException | Error e) {
            closeAll(started, e);
            throw e;
        }
    }

    /** The name the projection declares with {@link Projection}. */
    public String name() {
        return name;
    }

    /** The projection object the runtime runs. */
    public Object projection() {
        return projection;
    }

    /** The database the log and the read model live in. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The runtime, for its status and control operations. */
    public ProjectionRuntime runtime() {
        return runtime;
    }

    /** What the runtime shows of the projection: its status. */
    public ProjectionMonitor monitor() {
        return runtime;
    }

    /** What the runtime does to the projection: reset, rebuild. */
    public ProjectionControl control() {
        return runtime;
    }

    /** The offset of the last record in the log, 0 if it is empty. */
    public long head() {
        return store.head();
    }

    /**
     * Appends events to a stream, in one append, and waits until the projection has applied them.
     *
     * @param events event payloads, or {@link NewEvent}s to keep their compaction key, ids and metadata
     * @throws AssertionError if the projection stops at one of them, or has not applied them in {@link #PATIENCE}
     */
    public AppendResult append(String streamId, List<?> events) {
        Objects.requireNonNull(streamId, "stream id must not be null");
        Objects.requireNonNull(events, "events must not be null");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("given no events: pass at least one");
        }
        List<NewEvent> appended = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Object event = events.get(i);
            int position = i + 1;
            Objects.requireNonNull(event, () -> "given event " + position + " must not be null");
            appended.add(event instanceof NewEvent newEvent ? newEvent : NewEvent.of(event));
        }
        AppendResult result = store.append(streamId, ExpectedVersion.any(), appended);
        awaitApplied(result.toOffset());
        return result;
    }

    /**
     * Waits until the projection has applied the log up to {@code offset}, in the read model readers use.
     *
     * @throws AssertionError if it stopped at a failing event, or is still behind after {@link #PATIENCE}
     */
    public void awaitApplied(long offset) {
        try {
            if (offset == 0) {
                if (!runtime.awaitCaughtUp(PATIENCE)) {
                    throw new AssertionError("projection '" + name + "' did not catch up with the log within "
                            + PATIENCE.toSeconds() + " s: " + describe(runtime.status(name)));
                }
                return;
            }
            if (!runtime.awaitCheckpoint(name, offset, PATIENCE).reached()) {
                throw new AssertionError(stoppedOrBehind(offset));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for projection '" + name + "' to apply offset "
                    + offset, e);
        }
    }

    /**
     * Waits until readers use {@code generation} (a rebuild has caught up and been switched to) and it has applied
     * the whole log. Polls the status: a switch wakes no one.
     *
     * @throws AssertionError if the projection stopped at a failing event, or the switch did not come in
     *                        {@link #PATIENCE}
     */
    public void awaitGeneration(int generation) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            ProjectionStatus status = runtime.status(name);
            boolean switched = status.current().filter(current -> current.generation() >= generation).isPresent();
            if (switched && status.caughtUp()) {
                awaitApplied(head());
                return;
            }
            Optional<ProjectionFailure> failure = failure(status);
            if (failure.isPresent()) {
                throw new AssertionError(describe(failure.get()));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("projection '" + name + "' did not switch readers to generation "
                        + generation + " within " + PATIENCE.toSeconds() + " s: " + describe(status)
                        + status.rebuild().map(rebuild -> "; the rebuild is " + rebuild.state() + " at offset "
                        + rebuild.checkpoint()).orElse(""));
            }
            try {
                Thread.sleep(STATUS_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for projection '" + name + "' to switch to"
                        + " generation " + generation, e);
            }
        }
    }

    /**
     * Stops the runtime and the store, and drops the database if it is the fixture's own. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> parts = new ArrayList<>(List.of(runtime, store));
        if (ownDatabase != null) {
            parts.add(ownDatabase);
        }
        closeAll(parts, null);
    }

    private String stoppedOrBehind(long offset) {
        ProjectionStatus status = runtime.status(name);
        Optional<ProjectionFailure> failure = failure(status);
        if (failure.isPresent()) {
            return describe(failure.get());
        }
        return "projection '" + name + "' did not apply offset " + offset + " within " + PATIENCE.toSeconds()
                + " s: " + describe(status);
    }

    private static Optional<ProjectionFailure> failure(ProjectionStatus status) {
        return Stream.concat(status.segments().stream(),
                        status.rebuild().stream().flatMap(rebuild -> rebuild.segments().stream()))
                .map(SegmentStatus::failure)
                .flatMap(Optional::stream)
                .findFirst();
    }

    private String describe(ProjectionFailure stopped) {
        return "projection '" + name + "' stopped at the event at offset " + stopped.offset() + " ("
                + stopped.eventType() + "): its handler threw " + stopped.errorType()
                + (stopped.message().isEmpty() ? "" : ": " + stopped.message())
                + " (the stack trace is in the log output)";
    }

    private static String describe(ProjectionStatus status) {
        return status.state() + ", at offset " + status.checkpoint()
                + (status.note().isEmpty() ? "" : " (" + status.note() + ")");
    }

    private static String nameOf(Object projection) {
        Projection declared = projection.getClass().getAnnotation(Projection.class);
        if (declared == null) {
            throw new IllegalArgumentException(projection.getClass().getName() + " is not annotated @Projection:"
                    + " a fixture runs a projection or a process, an object of a class annotated @Projection");
        }
        return declared.value();
    }

    private static void closeAll(List<AutoCloseable> parts, Throwable primary) {
        RuntimeException failure = null;
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (failure == null) {
                    failure = new IllegalStateException("could not close the fixture's " + part, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
