package dev.kappa.kafka.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.postgres.embedded.junit.TestDatabaseExtension;
import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.ProjectionRuntimeBuilder;
import dev.kappa.kafka.testing.KafkaTestBroker;
import dev.kappa.projections.ProjectionSchema;
import dev.kappa.projections.RetryPolicy;

/**
 * Base of the tests of Kafka-fed projections: one real KRaft broker per test class, a fresh PostgreSQL database per
 * class (emptied before each test), a log to append events to and a {@link TestRelay} to carry them to a topic of the
 * test's own; every runtime, store and client a test opens is closed after it.
 */
@ExtendWith(TestDatabaseExtension.class)
abstract class KafkaFedTest {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final AtomicInteger TOPICS = new AtomicInteger();

    static KafkaTestBroker broker;

    final DataSource dataSource;
    final JdbcTemplate jdbc;
    EventStore store;
    /** This test's topic and the relay's position topic, created for it. */
    String topic;
    String positionTopic;
    TestRelay relay;
    private final List<AutoCloseable> opened = new ArrayList<>();

    KafkaFedTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @BeforeAll
    static void startBrokerAndMigrate(DataSource dataSource) {
        // sessions as short as the tests' leases: a member killed with SIGKILL leaves its group within seconds
        broker = KafkaTestBroker.start(Map.of("auto.create.topics.enable", "false",
                "group.min.session.timeout.ms", "1000"));
        KappaSchema.migrate(dataSource);
        ProjectionSchema.migrate(dataSource);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }

    @BeforeEach
    void emptyTheDatabaseAndCreateTopics() {
        jdbc.execute("""
                DO $$
                DECLARE r record;
                BEGIN
                  FOR r IN SELECT viewname FROM pg_views WHERE schemaname = current_schema() LOOP
                    EXECUTE 'DROP VIEW IF EXISTS ' || quote_ident(r.viewname) || ' CASCADE';
                  END LOOP;
                  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
                             AND tablename NOT LIKE 'kappa%' AND tablename NOT LIKE 'flyway%' LOOP
                    EXECUTE 'DROP TABLE IF EXISTS ' || quote_ident(r.tablename) || ' CASCADE';
                  END LOOP;
                END $$""");
        jdbc.execute("TRUNCATE kappa_log, kappa_streams, kappa_snapshots, kappa_projections,"
                + " kappa_projection_dead_letters CASCADE; UPDATE kappa_log_head SET head = 0;"
                + " UPDATE kappa_compaction SET compacted_through = 0");
        store = closeAfterTest(EventStore.builder(dataSource).codec(codec()).build());
        int n = TOPICS.incrementAndGet();
        topic = "accounts-" + n;
        positionTopic = "relay-position-" + n;
        broker.createTopics(new NewTopic(topic, partitions(), (short) 1),
                new NewTopic(positionTopic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        relay = closeAfterTest(new TestRelay(broker.bootstrapServers(), positionTopic));
    }

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        opened.clear();
    }

    /** How many partitions the test's topic has. */
    int partitions() {
        return 3;
    }

    static EventCodec codec() {
        return EventCodec.builder().register(Deposited.class).build();
    }

    /** The Kafka-fed projections' sources, closed after the test. */
    KafkaRecordSources sources() {
        return sources(Map.of());
    }

    /** The Kafka-fed projections' sources, with {@code settings} on top of the usual ones, closed after the test. */
    KafkaRecordSources sources(Map<String, Object> settings) {
        Map<String, Object> properties = new java.util.HashMap<>(clientProperties(broker.bootstrapServers()));
        properties.putAll(settings);
        return closeAfterTest(new KafkaRecordSources(properties, positionTopic));
    }

    /** What the Kafka-fed projections' consumers are given: the broker, and group sessions of 3 s. */
    static Map<String, Object> clientProperties(String bootstrapServers) {
        return Map.of("bootstrap.servers", bootstrapServers, "session.timeout.ms", 3_000,
                "heartbeat.interval.ms", 500);
    }

    /**
     * A runtime on the test database whose projections read this test's topic, with fast retries and short leases,
     * adjusted by {@code settings}, not started.
     */
    ProjectionRuntime runtime(Consumer<ProjectionRuntimeBuilder> settings, Object... projections) {
        ProjectionRuntimeBuilder builder = ProjectionRuntime.builder(dataSource, store)
                .retryPolicy(RetryPolicy.backOff(3, Duration.ofMillis(1), Duration.ofMillis(5)))
                .leaseDuration(Duration.ofSeconds(3))
                .recordSources(sources())
                .topic("account-activity", topic)
                .topic("activity-totals", topic);
        settings.accept(builder);
        ProjectionRuntime runtime = closeAfterTest(builder.build());
        for (Object projection : projections) {
            runtime.register(projection);
        }
        return runtime;
    }

    ProjectionRuntime started(Object... projections) {
        ProjectionRuntime runtime = runtime(builder -> {
        }, projections);
        runtime.start();
        return runtime;
    }

    <T extends AutoCloseable> T closeAfterTest(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    /** Appends {@code count} deposits of 1 to {@code count}, round-robin over {@code streams} accounts. */
    void deposit(int count, int streams) {
        long from = store.head();
        for (int i = 0; i < count; i++) {
            store.append("account-" + (from + i) % streams, ExpectedVersion.any(),
                    List.of(NewEvent.of(new Deposited(from + i + 1))));
        }
    }

    /** The log's records after {@code after}. */
    List<LogRecord> log(long after) {
        List<LogRecord> records = new ArrayList<>();
        long from = after;
        while (true) {
            List<LogRecord> page = store.readLog(from, 1_000);
            if (page.isEmpty()) {
                return records;
            }
            records.addAll(page);
            from = page.get(page.size() - 1).offset();
        }
    }

    /** Carries the log after {@code after} to the test's topic, as the relay would, 100 records per transaction. */
    void relay(long after) {
        relay.relay(topic, log(after), 100);
    }

    /** What a replay of the log gives: per account, deposits, total and last version. */
    Map<String, List<Long>> replay() {
        Map<String, List<Long>> expected = new java.util.TreeMap<>();
        for (LogRecord record : log(0)) {
            Deposited deposit = (Deposited) store.codec().decode(record);
            expected.merge(record.streamId(), List.of(1L, deposit.amount(), record.streamVersion()),
                    (a, b) -> List.of(a.get(0) + 1, a.get(1) + b.get(1), Math.max(a.get(2), b.get(2))));
        }
        return expected;
    }

    /** The read model of {@link AccountActivity}, as {@link #replay()} gives it. */
    Map<String, List<Long>> activity() {
        Map<String, List<Long>> rows = new java.util.TreeMap<>();
        jdbc.query("SELECT account, deposits, total, last_version FROM account_activity", rs -> {
            rows.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        });
        return rows;
    }
}
