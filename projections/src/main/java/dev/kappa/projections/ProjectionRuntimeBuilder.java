package dev.kappa.projections;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogSubscriptions;
import dev.kappa.projections.internal.runtime.PostgresProjectionRuntime;
import dev.kappa.projections.internal.runtime.RuntimeSettings;
import dev.kappa.projections.source.RecordSources;

/**
 * Configures a {@link ProjectionRuntime}. Every setting has a default. Not thread-safe; build once.
 */
public final class ProjectionRuntimeBuilder {

    /** Default for {@link #catchUpBatchSize(int)}. */
    public static final int DEFAULT_CATCH_UP_BATCH_SIZE = 1_000_000;
    /** Default for {@link #catchUpStagedRows(int)}. */
    public static final int DEFAULT_CATCH_UP_STAGED_ROWS = 250_000;
    /** Default for {@link #readPageSize(int)}. */
    public static final int DEFAULT_READ_PAGE_SIZE = 10_000;
    /** Default for {@link #liveBatchSize(int)}. */
    public static final int DEFAULT_LIVE_BATCH_SIZE = 500;
    /** Default for {@link #defaultSegments(int)}. */
    public static final int DEFAULT_SEGMENTS = 1;
    /** The most segments a projection may have. */
    public static final int MAX_SEGMENTS = 256;
    /** Default for {@link #leaseDuration(Duration)}. */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final EventReader reader;
    private final LogSubscriptions subscriptions;
    private final EventCodec codec;
    private PlatformTransactionManager transactionManager;
    private Clock clock = Clock.systemUTC();
    private String instanceId;
    private int catchUpBatchSize = DEFAULT_CATCH_UP_BATCH_SIZE;
    private int catchUpStagedRows = DEFAULT_CATCH_UP_STAGED_ROWS;
    private int readPageSize = DEFAULT_READ_PAGE_SIZE;
    private int liveBatchSize = DEFAULT_LIVE_BATCH_SIZE;
    private int defaultSegments = DEFAULT_SEGMENTS;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private FailureMode failureMode = FailureMode.STOP;
    private Duration leaseDuration = DEFAULT_LEASE_DURATION;
    // typed Object so that this class loads without Micrometer on the class path
    private Object meterRegistry;
    private RecordSources recordSources;
    private final Map<String, String> topics = new HashMap<>();
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

    ProjectionRuntimeBuilder(DataSource dataSource, EventReader reader, LogSubscriptions subscriptions,
                             EventCodec codec) {
        this.dataSource = Objects.requireNonNull(dataSource, "data source must not be null");
        this.reader = Objects.requireNonNull(reader, "event reader must not be null");
        this.subscriptions = Objects.requireNonNull(subscriptions, "log subscriptions must not be null");
        this.codec = Objects.requireNonNull(codec, "event codec must not be null");
    }

    /**
     * The transaction manager the workers' transactions run in; handlers that write with {@code JdbcTemplate} or a
     * Spring Data repository on the same data source join them. It must manage the runtime's data source.
     * {@code new JdbcTransactionManager(dataSource)} by default.
     */
    public ProjectionRuntimeBuilder transactionManager(PlatformTransactionManager transactionManager) {
        this.transactionManager = Objects.requireNonNull(transactionManager, "transaction manager must not be null");
        return this;
    }

    /** The clock for failure and dead-letter times and for rates; the system UTC clock by default. */
    public ProjectionRuntimeBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        return this;
    }

    /**
     * The id this runtime holds segment leases under: unique among the processes sharing the database.
     * {@code <pid>@<host>-<random>} by default.
     */
    public ProjectionRuntimeBuilder instanceId(String instanceId) {
        Objects.requireNonNull(instanceId, "instance id must not be null");
        if (instanceId.isBlank() || instanceId.length() > 200) {
            throw new IllegalArgumentException("instance id must be 1 to 200 characters, not blank, but was '"
                    + instanceId + "'");
        }
        this.instanceId = instanceId;
        return this;
    }

    /**
     * The most events a worker applies in one transaction while it is behind the head (it may end a read page
     * beyond). Large batches make replays fast: rows staged in {@link Upserts} merge within a batch, so a larger one
     * writes fewer rows. The events cost no memory once applied; what a batch holds is its read pages
     * ({@link #readPageSize(int)}) and its staged rows ({@link #catchUpStagedRows(int)}). A batch also ends once it
     * has run for a third of the {@link #leaseDuration(Duration) lease}, so that a slow projection renews its lease
     * in time. {@value #DEFAULT_CATCH_UP_BATCH_SIZE} by default.
     */
    public ProjectionRuntimeBuilder catchUpBatchSize(int size) {
        this.catchUpBatchSize = requirePositive(size, "catch-up batch size");
        return this;
    }

    /**
     * The most rows a batch stages in {@link Upserts} while behind: once its handlers have staged this many (distinct
     * keys, over all its tables), the batch ends with the page it is in, however few events it applied. It bounds a
     * batch's memory, which would otherwise grow with the number of keys a batch touches. {@value
     * #DEFAULT_CATCH_UP_STAGED_ROWS} by default.
     */
    public ProjectionRuntimeBuilder catchUpStagedRows(int rows) {
        this.catchUpStagedRows = requirePositive(rows, "catch-up staged rows");
        return this;
    }

    /**
     * The most records a worker reads from the log at a time while it is behind; it holds one such page in memory and
     * reads the next one ahead. {@value #DEFAULT_READ_PAGE_SIZE} by default.
     */
    public ProjectionRuntimeBuilder readPageSize(int size) {
        this.readPageSize = requirePositive(size, "read page size");
        return this;
    }

    /**
     * The most events a worker applies in one transaction once it has caught up; small batches keep the read model
     * fresh. {@value #DEFAULT_LIVE_BATCH_SIZE} by default.
     */
    public ProjectionRuntimeBuilder liveBatchSize(int size) {
        this.liveBatchSize = requirePositive(size, "live batch size");
        return this;
    }

    /** The number of segments of projections that do not declare theirs; {@value #DEFAULT_SEGMENTS} by default. */
    public ProjectionRuntimeBuilder defaultSegments(int segments) {
        if (segments < 1 || segments > MAX_SEGMENTS) {
            throw new IllegalArgumentException("default segments must be between 1 and " + MAX_SEGMENTS + " but was "
                    + segments);
        }
        this.defaultSegments = segments;
        return this;
    }

    /** How failing handlers are retried; {@link RetryPolicy#DEFAULT} by default. */
    public ProjectionRuntimeBuilder retryPolicy(RetryPolicy retryPolicy) {
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retry policy must not be null");
        return this;
    }

    /** What projections that do not declare {@link Projection#onFailure()} do; {@link FailureMode#STOP} by default. */
    public ProjectionRuntimeBuilder failureMode(FailureMode failureMode) {
        this.failureMode = Objects.requireNonNull(failureMode, "failure mode must not be null");
        return this;
    }

    /**
     * How long a segment's lease lasts without renewal. Owners renew it every third of it; if an owner dies, another
     * instance takes the segment over within about {@code 4/3} of it. 30 s by default.
     */
    public ProjectionRuntimeBuilder leaseDuration(Duration leaseDuration) {
        Objects.requireNonNull(leaseDuration, "lease duration must not be null");
        if (leaseDuration.toMillis() < 30) {
            throw new IllegalArgumentException("lease duration must be at least 30ms but was " + leaseDuration);
        }
        this.leaseDuration = leaseDuration;
        return this;
    }

    /** Publishes gauges and counters per projection and segment to this registry. None by default. */
    public ProjectionRuntimeBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = Objects.requireNonNull(registry, "meter registry must not be null");
        return this;
    }

    /**
     * Where projections that name a topic ({@link Projection#topic()}) read it; without it, registering such a
     * projection fails, saying that Kafka is not configured.
     */
    public ProjectionRuntimeBuilder recordSources(RecordSources sources) {
        this.recordSources = Objects.requireNonNull(sources, "record sources must not be null");
        return this;
    }

    /**
     * The topic projection {@code projection} reads, overriding its {@link Projection#topic()}: what the property
     * {@code kappa.projections.topics.<projection>} sets. An empty topic makes it read the PostgreSQL log.
     */
    public ProjectionRuntimeBuilder topic(String projection, String topic) {
        Objects.requireNonNull(projection, "projection must not be null");
        Objects.requireNonNull(topic, "topic must not be null (an empty topic reads the log)");
        topics.put(projection, topic.strip());
        return this;
    }

    /**
     * Observes each batch a worker applies ({@code kappa.projection.batch}, with the projection's name and the segment)
     * in this registry; none by default. A batch continues the trace of the first of its records whose metadata carries
     * trace context (as appends observed by a tracing bridge write it), and is the current observation while the
     * handlers run, so that commands a reactor sends from them are its children.
     */
    public ProjectionRuntimeBuilder observationRegistry(ObservationRegistry registry) {
        this.observationRegistry = Objects.requireNonNull(registry, "observation registry must not be null");
        return this;
    }

    /**
     * Builds the runtime; register projections on it, then start it.
     *
     * @throws IllegalArgumentException if the transaction manager manages another data source
     */
    public ProjectionRuntime build() {
        PlatformTransactionManager manager = transactionManager != null ? transactionManager
                : new JdbcTransactionManager(dataSource);
        if (manager instanceof DataSourceTransactionManager jdbc && jdbc.getDataSource() != dataSource) {
            throw new IllegalArgumentException("the transaction manager manages another data source than the runtime's:"
                    + " handlers and checkpoints would commit in different transactions");
        }
        String id = instanceId != null ? instanceId : defaultInstanceId();
        return new PostgresProjectionRuntime(new RuntimeSettings(dataSource, reader, subscriptions, codec, manager,
                clock, id, catchUpBatchSize, catchUpStagedRows, readPageSize, liveBatchSize, defaultSegments,
                retryPolicy, failureMode, leaseDuration, meterRegistry, recordSources, Map.copyOf(topics), observationRegistry));
    }

    private static String defaultInstanceId() {
        // RuntimeMXBean's name is "<pid>@<host>"; the suffix keeps two runtimes of one JVM apart
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static int requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 but was " + value);
        }
        return value;
    }
}
