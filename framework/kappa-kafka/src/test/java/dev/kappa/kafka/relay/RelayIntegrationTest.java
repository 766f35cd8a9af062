package dev.kappa.kafka.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.kafka.testing.KafkaTestBroker;
import dev.kappa.kafka.testing.RelayedLog;
import dev.kappa.postgres.embedded.junit.TestDatabaseExtension;

import static org.awaitility.Awaitility.await;

/**
 * Base of the relay's tests on a real broker (one per test class) and the real embedded PostgreSQL: each test gets an
 * empty log, a {@link #store}, topics and a transactional id of its own, and everything it opens closed after it.
 */
@ExtendWith(TestDatabaseExtension.class)
abstract class RelayIntegrationTest {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final AtomicInteger TOPIC_COUNTER = new AtomicInteger();

    static KafkaTestBroker broker;

    final DataSource dataSource;
    final JdbcTemplate jdbc;
    EventStore store;
    private final List<AutoCloseable> opened = new ArrayList<>();

    RelayIntegrationTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @BeforeAll
    static void startBrokerAndMigrate(DataSource dataSource) {
        KappaSchema.migrate(dataSource);
        broker = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    @BeforeEach
    void emptyLogAndStore() {
        jdbc.execute("TRUNCATE kappa_log, kappa_streams, kappa_snapshots, kappa_idempotency CASCADE;"
                + " UPDATE kappa_log_head SET head = 0; UPDATE kappa_compaction SET compacted_through = 0");
        store = closeAfterTest(EventStore.builder(storeDataSource()).codec(RelayTestEvents.codec()).build());
    }

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        opened.clear();
    }

    /** The store's data source: the test database's pool unless a test needs the store apart. */
    DataSource storeDataSource() {
        return dataSource;
    }

    /** Topics of the test's own, three partitions each. */
    static RelayTopics topics(String name) {
        String prefix = name + "-" + TOPIC_COUNTER.incrementAndGet();
        return new RelayTopics(prefix + ".log", prefix + ".compacted", prefix + ".position", Map.of(), 3,
                (short) 1);
    }

    /** A builder for a relay on the test's store and broker, retrying fast. */
    KafkaRelayBuilder relay(RelayTopics topics, String transactionalId) {
        return KafkaRelay.builder(dataSource, store, store).kafkaProperties(broker.clientProperties())
                .topics(topics).transactionalId(transactionalId).retryInterval(Duration.ofMillis(300));
    }

    <T extends AutoCloseable> T closeAfterTest(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    void append(String stream, NewEvent... events) {
        store.append(stream, ExpectedVersion.any(), List.of(events));
    }

    /** Waits until {@code relay} has committed the log's head to Kafka, and returns the head. */
    long awaitRelayed(KafkaRelay relay) {
        long head = store.head();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> relay.status().relayedOffset() >= head);
        return head;
    }

    RelayedLog readBack(RelayTopics topics) {
        return RelayedLog.read(broker.bootstrapServers(), topics);
    }
}
