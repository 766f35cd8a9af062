package dev.kappa.eventstore;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

import io.micrometer.observation.ObservationRegistry;

import dev.kappa.eventstore.internal.PostgresEventStore;
import dev.kappa.eventstore.internal.StoreSettings;

/**
 * Configures an {@link EventStore} on PostgreSQL. Every setting but the codec has a default. Not thread-safe; build
 * once.
 */
public final class EventStoreBuilder {

    /** Default for {@link #maxBatchAppends(int)}. */
    public static final int DEFAULT_MAX_BATCH_APPENDS = 256;
    /** Default for {@link #maxBatchEvents(int)}. */
    public static final int DEFAULT_MAX_BATCH_EVENTS = 10_000;
    /** Default for {@link #maxQueuedAppends(int)}. */
    public static final int DEFAULT_MAX_QUEUED_APPENDS = 10_000;
    /** Default for {@link #maxPayloadBytes(int)}: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
    /** Default for {@link #pollInterval(Duration)}. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
    /** Default for {@link #tombstoneRetention(Duration)}: one day, as Kafka's {@code delete.retention.ms}. */
    public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofDays(1);
    /** Default for {@link #idempotencyRetention(Duration)}: seven days. */
    public static final Duration DEFAULT_IDEMPOTENCY_RETENTION = Duration.ofDays(7);
    /** Default for {@link #readPageSize(int)}. */
    public static final int DEFAULT_READ_PAGE_SIZE = 1_000;

    private final DataSource dataSource;
    private EventCodec codec;
    private Clock clock = Clock.systemUTC();
    private int maxBatchAppends = DEFAULT_MAX_BATCH_APPENDS;
    private int maxBatchEvents = DEFAULT_MAX_BATCH_EVENTS;
    private int maxQueuedAppends = DEFAULT_MAX_QUEUED_APPENDS;
    private Duration batchLinger = Duration.ZERO;
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private boolean notifications = true;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private int readPageSize = DEFAULT_READ_PAGE_SIZE;
    private Duration tombstoneRetention = DEFAULT_TOMBSTONE_RETENTION;
    private Duration idempotencyRetention = DEFAULT_IDEMPOTENCY_RETENTION;
    private StoreObserver observer = StoreObserver.NONE;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

    EventStoreBuilder(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "data source must not be null");
    }

    /** The codec for event payloads (required). */
    public EventStoreBuilder codec(EventCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec must not be null");
        return this;
    }

    /**
     * The clock that stamps recorded times and judges tombstone and idempotency key retention; the system UTC clock by
     * default.
     */
    public EventStoreBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        return this;
    }

    /** The most append calls coalesced into one transaction; {@value #DEFAULT_MAX_BATCH_APPENDS} by default. */
    public EventStoreBuilder maxBatchAppends(int maxBatchAppends) {
        this.maxBatchAppends = requirePositive(maxBatchAppends, "max batch appends");
        return this;
    }

    /**
     * The most events coalesced into one transaction; {@value #DEFAULT_MAX_BATCH_EVENTS} by default. A single append
     * with more events is still written, alone, in one transaction.
     */
    public EventStoreBuilder maxBatchEvents(int maxBatchEvents) {
        this.maxBatchEvents = requirePositive(maxBatchEvents, "max batch events");
        return this;
    }

    /**
     * The most append calls waiting to be written; callers beyond it wait for room, which holds producers back
     * when the database cannot keep up. {@value #DEFAULT_MAX_QUEUED_APPENDS} by default.
     */
    public EventStoreBuilder maxQueuedAppends(int maxQueuedAppends) {
        this.maxQueuedAppends = requirePositive(maxQueuedAppends, "max queued appends");
        return this;
    }

    /**
     * How long the writer waits for more appends before it commits a batch. Zero (the default) commits at once:
     * appends that arrive while a commit is in flight form the next batch anyway. With zero, one wait remains: when
     * fewer appends are waiting than the last batch held, the writer waits up to a quarter of the last commit's time
     * for the callers it just answered to come back, so that they share a transaction; a lone caller never waits.
     */
    public EventStoreBuilder batchLinger(Duration linger) {
        Objects.requireNonNull(linger, "batch linger must not be null");
        if (linger.isNegative()) {
            throw new IllegalArgumentException("batch linger must not be negative but was " + linger);
        }
        this.batchLinger = linger;
        return this;
    }

    /**
     * The largest event payload accepted, in bytes of UTF-8 JSON; 1 MiB by default. A larger one fails the append
     * before anything is written.
     */
    public EventStoreBuilder maxPayloadBytes(int maxPayloadBytes) {
        this.maxPayloadBytes = requirePositive(maxPayloadBytes, "max payload bytes");
        return this;
    }

    /**
     * Whether followers of the log are woken at once by PostgreSQL {@code LISTEN/NOTIFY} (the default). Without
     * notifications they find new records only by polling.
     */
    public EventStoreBuilder notifications(boolean enabled) {
        this.notifications = enabled;
        return this;
    }

    /**
     * How often followers look for new records when no notification came: the bound on how late a lost
     * notification can make them. {@code 500ms} by default.
     */
    public EventStoreBuilder pollInterval(Duration interval) {
        Objects.requireNonNull(interval, "poll interval must not be null");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive but was " + interval);
        }
        this.pollInterval = interval;
        return this;
    }

    /** How many records {@link EventReader#streamLog(long)} fetches per page; {@value #DEFAULT_READ_PAGE_SIZE} by default. */
    public EventStoreBuilder readPageSize(int readPageSize) {
        this.readPageSize = requirePositive(readPageSize, "read page size");
        return this;
    }

    /**
     * How long a tombstone stays in the log before compaction removes it, and its key with it. Readers that follow
     * the log must pass a tombstone within this time to see the deletion. One day by default.
     */
    public EventStoreBuilder tombstoneRetention(Duration retention) {
        Objects.requireNonNull(retention, "tombstone retention must not be null");
        if (retention.isNegative()) {
            throw new IllegalArgumentException("tombstone retention must not be negative but was " + retention);
        }
        this.tombstoneRetention = retention;
        return this;
    }

    /**
     * How long an idempotency key is kept: compaction removes keys recorded longer ago than this. A retry with the same
     * key within the retention is appended at most once; after it, the key is forgotten and an append with it is made
     * again. Choose it longer than any client retries. Seven days by default; zero keeps a key only until the next
     * compaction.
     */
    public EventStoreBuilder idempotencyRetention(Duration retention) {
        Objects.requireNonNull(retention, "idempotency retention must not be null");
        if (retention.isNegative()) {
            throw new IllegalArgumentException("idempotency retention must not be negative but was " + retention);
        }
        this.idempotencyRetention = retention;
        return this;
    }

    /** Hears appends and group commits, for metrics; nothing by default. */
    public EventStoreBuilder observer(StoreObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer must not be null");
        return this;
    }

    /**
     * Observes each append ({@code kappa.append}) and each group commit ({@code kappa.group-commit}) in this registry;
     * none by default. The append is a sender observation: the trace context a tracing bridge propagates is written
     * into every appended event's metadata entries ({@code traceparent}, say), so that readers of the log can continue
     * the trace. With {@link ObservationRegistry#NOOP}, or a registry without handlers, nothing is observed or added.
     */
    public EventStoreBuilder observationRegistry(ObservationRegistry registry) {
        this.observationRegistry = Objects.requireNonNull(registry, "observation registry must not be null");
        return this;
    }

    /**
     * Builds the store and starts its writer (and, with notifications, its listener).
     *
     * @throws IllegalStateException if no codec was set
     */
    public EventStore build() {
        if (codec == null) {
            throw new IllegalStateException("an event store needs a codec: call codec(EventCodec.builder()"
                    + ".register(...).build()) before build()");
        }
        StoreSettings settings = new StoreSettings(codec, clock, maxBatchAppends, maxBatchEvents, maxQueuedAppends,
                batchLinger, maxPayloadBytes, notifications, pollInterval, readPageSize, tombstoneRetention,
                idempotencyRetention, observer, observationRegistry);
        return new PostgresEventStore(dataSource, settings);
    }

    private static int requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 but was " + value);
        }
        return value;
    }
}
