package dev.kappa.test;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.projections.GenerationStatus;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ProjectionStatus;
import dev.kappa.projections.ProjectionTables;
import dev.kappa.test.internal.RunningProjection;

/**
 * A given-then test of one projection, run by the real projection runtime on an embedded PostgreSQL: given events
 * are appended to a log of the fixture's own through the real codec, the runtime's worker applies them by the
 * projection's handlers in its transactions, and the test then reads the rows the projection wrote, or the state of
 * an in-memory projection.
 *
 * <pre>{@code
 * try (ProjectionFixture<AccountBalances> fixture =
 *          ProjectionFixture.of(dataSource -> new AccountBalances(new JdbcTemplate(dataSource)))) {
 *     fixture.given(new AccountOpened("42", "Ada"), new MoneyDeposited("42", 100));
 *     assertThat(fixture.rows("account_balance")).containsExactly(Map.of("account_id", "42", "balance", 100L));
 * }
 * }</pre>
 *
 * The log must start empty, since the projection replays all of it: without {@link #on(DataSource)} the fixture
 * makes a fresh database of its own (a {@link dev.kappa.postgres.embedded.junit.TestDatabase}) and drops it when
 * closed; a data source passed to {@link #on(DataSource)} must hold no log records yet, and keeps what the fixture
 * wrote. Either way the fixture creates Kappa's tables; the projection's own tables are created by its
 * {@code @CreateTables} method (blue-green), or by the test before it gives events (run the application's
 * migrations on the data source, say).
 *
 * <p>The runtime starts with the first {@code given} (or query), and stops when the fixture is closed. A handler that
 * throws is not retried: the projection stops at the event, and {@code given} throws an {@link AssertionError} naming
 * the event and the error. Each {@code given} waits until the projection has applied its events, at most
 * {@value #PATIENCE_SECONDS} seconds.
 *
 * <p>This class is not thread-safe: use one fixture per test, and close it.
 *
 * @param <P> the projection class
 */
public final class ProjectionFixture<P> implements AutoCloseable {

    /** How long {@code given} waits for the projection to apply its events before it fails. */
    public static final int PATIENCE_SECONDS = 30;

    /** The stream {@link #given(Object...)} appends to. */
    public static final String DEFAULT_STREAM = "given";

    private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    private final Function<? super DataSource, ? extends P> factory;
    private DataSource dataSource;
    private EventCodec codec;
    private RunningProjection running;
    private boolean closed;

    private ProjectionFixture(Function<? super DataSource, ? extends P> factory) {
        this.factory = factory;
    }

    /**
     * A fixture for a projection object: an object of a class annotated {@link Projection}, with its dependencies.
     * For a database projection, the data source its dependencies write to must be the one passed to
     * {@link #on(DataSource)}, so that its writes join the worker's transaction.
     */
    public static <P> ProjectionFixture<P> of(P projection) {
        Objects.requireNonNull(projection, "projection must not be null");
        return new ProjectionFixture<>(dataSource -> projection);
    }

    /**
     * A fixture for a projection made, when the fixture starts, from the data source it runs on: the way to give a
     * database projection its {@code JdbcTemplate} on the fixture's own database.
     */
    public static <P> ProjectionFixture<P> of(Function<? super DataSource, ? extends P> projection) {
        Objects.requireNonNull(projection, "projection factory must not be null");
        return new ProjectionFixture<>(projection);
    }

    /**
     * Runs the fixture on this database instead of a fresh one of its own. Its log must be empty; the fixture does
     * not drop it.
     *
     * @throws IllegalStateException if the fixture has started
     */
    public ProjectionFixture<P> on(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "data source must not be null");
        requireNotStarted("on(dataSource)");
        this.dataSource = dataSource;
        return this;
    }

    /**
     * Appends and reads events with this codec (the application's, with its upcasters) instead of one that registers
     * each given event's class as it comes.
     *
     * @throws IllegalStateException if the fixture has started
     */
    public ProjectionFixture<P> codec(EventCodec codec) {
        Objects.requireNonNull(codec, "codec must not be null");
        requireNotStarted("codec(codec)");
        this.codec = codec;
        return this;
    }

    /**
     * Appends events, in one append, to the stream {@value #DEFAULT_STREAM}, and waits until the projection has
     * applied them. May be called again: later events follow earlier ones in the log and in the stream.
     *
     * @param events event records, or {@link NewEvent}s to give one a compaction key, a tombstone, ids or metadata
     * @throws AssertionError if the projection stopped at one of them (a handler threw), or did not apply them in time
     */
    public ProjectionFixture<P> given(Object... events) {
        Objects.requireNonNull(events, "given events must not be null");
        return givenStream(DEFAULT_STREAM, events);
    }

    /**
     * {@link #given(Object...)} into a stream of its own: where a handler reads {@code EventContext.streamId()} or
     * {@code streamVersion()}, or the projection has several segments (a stream's events stay in one).
     */
    public ProjectionFixture<P> givenStream(String streamId, Object... events) {
        Objects.requireNonNull(streamId, "stream id must not be null");
        Objects.requireNonNull(events, "given events must not be null");
        running().append(streamId, Arrays.asList(events));
        return this;
    }

    /**
     * Every row of a table as readers see it, ordered by its first column (usually its key): each row a map from
     * column name to the value JDBC read ({@code Long} for a {@code bigint}, {@code String} for {@code text},
     * {@code java.sql.Timestamp} for a {@code timestamptz}, ...). For a blue-green projection, name the logical
     * table: readers query the view Kappa points at the generation that has caught up.
     *
     * @throws IllegalArgumentException if the name is not a lower-case SQL identifier (optionally schema-qualified)
     */
    public List<Map<String, Object>> rows(String table) {
        Objects.requireNonNull(table, "table must not be null");
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("table '" + table + "' is not a lower-case SQL identifier; to read"
                    + " something else, use query(sql)");
        }
        return query("SELECT * FROM " + table + " ORDER BY 1");
    }

    /** Runs a query on the fixture's database and returns its rows, as {@link #rows(String)} does. */
    public List<Map<String, Object>> query(String sql, Object... arguments) {
        Objects.requireNonNull(sql, "sql must not be null");
        return new JdbcTemplate(running().dataSource()).queryForList(sql, arguments).stream()
                .map(row -> Collections.unmodifiableMap(new LinkedHashMap<>(row)))
                .toList();
    }

    /**
     * The physical names of the projection's tables in the generation readers use: {@code <table>_g<generation>} for
     * a blue-green projection, the logical name for any other.
     *
     * @throws IllegalStateException if no generation is in service (a blue-green projection that has not caught up)
     */
    public ProjectionTables tables() {
        RunningProjection projection = running();
        ProjectionStatus status = projection.monitor().status(projection.name());
        int generation = status.current().map(GenerationStatus::generation).orElseThrow(() ->
                new IllegalStateException("projection '" + projection.name() + "' has no generation in service: "
                        + status.state()));
        List<String> declared = List.of(projection.projection().getClass().getAnnotation(Projection.class).tables());
        return new GenerationTables(generation, declared);
    }

    /** The projection object the runtime runs: for an in-memory projection, the read model to query. */
    @SuppressWarnings("unchecked")
    public P projection() {
        return (P) running().projection();
    }

    /** The offset of the last event given so far, 0 before any. */
    public long head() {
        return running().head();
    }

    /**
     * Resets the projection to {@code offset} through the runtime, as an operator would (its {@code @ResetHandler}
     * runs), and waits until it has replayed the log after it.
     *
     * @throws IllegalStateException if the projection cannot be reset to that offset (see
     *                               {@code ProjectionControl.reset(String, long)})
     */
    public ProjectionFixture<P> reset(long offset) {
        RunningProjection projection = running();
        projection.control().reset(projection.name(), offset);
        projection.awaitApplied(projection.head());
        return this;
    }

    /**
     * Rebuilds a blue-green projection through the runtime, and waits until readers have been switched to the new
     * generation.
     *
     * @throws IllegalStateException if the projection declares no tables
     */
    public ProjectionFixture<P> rebuild() {
        RunningProjection projection = running();
        int before = tables().generation();
        projection.control().rebuild(projection.name());
        projection.awaitGeneration(before + 1);
        return this;
    }

    /** Stops the runtime, and drops the database if it is the fixture's own. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (running != null) {
            running.close();
        }
    }

    private RunningProjection running() {
        if (closed) {
            throw new IllegalStateException("the fixture is closed");
        }
        if (running == null) {
            running = RunningProjection.start(dataSource, codec, factory);
        }
        return running;
    }

    private void requireNotStarted(String what) {
        if (running != null || closed) {
            throw new IllegalStateException(what + " must come before given(...): the fixture has started");
        }
    }

    /** The documented names of a generation's tables, {@code <table>_g<generation>}. */
    private record GenerationTables(int generation, List<String> declared) implements ProjectionTables {

        @Override
        public String name(String logicalTable) {
            if (declared.isEmpty()) {
                return logicalTable;
            }
            if (!declared.contains(logicalTable)) {
                throw new IllegalArgumentException("the projection declares no table '" + logicalTable + "'; it"
                        + " declares " + declared);
            }
            return logicalTable + "_g" + generation;
        }
    }
}
