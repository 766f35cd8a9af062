package dev.kappa.kafka.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.internal.record.KafkaRecords;
import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.RelayTopics;
import dev.kappa.kafka.testing.KafkaServerProcess;
import dev.kappa.postgres.embedded.junit.TestDatabase;

/**
 * The relay's JVM killed with SIGKILL while a Kafka transaction is open, several times, while writers append: once a
 * last relay has caught up, the topics hold every log record exactly once.
 */
class RelayKilledIntegrationTest {

    private static final int KILLS = 3;
    private static final long EVENTS = 100_000;
    private static final String TRANSACTIONAL_ID = "faults-killed";

    private static KafkaServerProcess kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaServerProcess.builder(Path.of("target", "faults", "relay-killed-kafka")).build();
        kafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void aRelayKilledWithSigkillMidTransactionLeavesEveryLogRecordInTheTopicsExactlyOnce() throws Exception {
        RelayTopics topics = FaultRelays.topics("killed");
        try (TestDatabase database = TestDatabase.create();
             TopicWatch watch = new TopicWatch(kafka.bootstrapServers(), List.of(topics.retained(),
                     topics.compacted(), topics.routes().get(LogWriters.ROUTED_PREFIX)))) {
            KappaSchema.migrate(database.dataSource());
            try (EventStore store = FaultRelays.store(database.dataSource())) {
                // given writers appending while relays in child JVMs are killed mid-transaction, one after another
                LogWriters writers = LogWriters.start(store, 4, EVENTS);
                int killedMidTransaction = 0;
                for (int round = 1; round <= KILLS; round++) {
                    RelayProcess child = RelayProcess.start(database.jdbcUrl(), kafka.bootstrapServers(), topics,
                            TRANSACTIONAL_ID, Path.of("target", "faults", "relay-killed-child.log"));
                    long committedBefore = watch.committedEnd();
                    Awaitility.await("round " + round + ": the child relay committing more records")
                            .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                            .until(() -> !child.isAlive() || watch.committedEnd() > committedBefore);
                    assertThat(child.isAlive()).as("the child relay is running (see its log)").isTrue();
                    boolean open = awaitOpenTransaction(watch);
                    child.kill();
                    if (open) {
                        killedMidTransaction++;
                    }
                }
                Awaitility.await("the writers appending " + EVENTS + " events").atMost(Duration.ofMinutes(2))
                        .until(writers::finished);
                writers.stop();

                // when a last relay, in this JVM, catches up
                try (KafkaRelay relay = FaultRelays.relay(database.dataSource(), store, kafka.bootstrapServers(),
                        topics, TRANSACTIONAL_ID, "last")) {
                    relay.start();
                    FaultRelays.awaitCaughtUp(relay, store, Duration.ofMinutes(2));
                }

                // then the topics hold the log, record by record, and the kills left aborted records behind
                TopicsAgainstLog comparison = new TopicsAgainstLog(store, kafka.bootstrapServers(), topics);
                long logSize = comparison.logSize();
                assertThat(logSize).isGreaterThanOrEqualTo(EVENTS);
                assertThat(comparison.differences()).isEmpty();
                assertThat(killedMidTransaction).as("kills that found a transaction open").isPositive();
                assertThat(watch.recordsIncludingAborted()).as("records counting those of aborted transactions")
                        .isGreaterThan(logSize);
            }
        }
    }

    @Test
    void theComparisonReportsADuplicateAGapAndARecordOnTheWrongTopic() throws Exception {
        RelayTopics topics = FaultRelays.topics("checker");
        try (TestDatabase database = TestDatabase.create()) {
            KappaSchema.migrate(database.dataSource());
            try (EventStore store = FaultRelays.store(database.dataSource())) {
                // given a log of 300 events, "relayed" by hand: offset 7 twice, offset 8 never, offset 9 misrouted
                LogWriters writers = LogWriters.start(store, 1, 300);
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(writers::finished);
                writers.stop();
                List<LogRecord> log;
                try (Stream<LogRecord> records = store.streamLog(0)) {
                    log = records.toList();
                }
                Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "checker",
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
                    producer.initTransactions();
                    producer.beginTransaction();
                    for (LogRecord record : log) {
                        if (record.offset() == 8) {
                            continue;
                        }
                        String topic = record.offset() == 9 ? topics.position() : topics.topicFor(record);
                        producer.send(KafkaRecords.toKafka(topic, record));
                        if (record.offset() == 7) {
                            producer.send(KafkaRecords.toKafka(topic, record));
                        }
                    }
                    producer.commitTransaction();
                }

                // when the topics are compared with the log
                List<String> differences = new TopicsAgainstLog(store, kafka.bootstrapServers(), topics)
                        .differences();

                // then each fault is named
                assertThat(differences).anySatisfy(d -> assertThat(d).startsWith("log offset 7 appears twice"))
                        .anySatisfy(d -> assertThat(d).contains("log offsets are in no topic, the first [8, 9]"));
            }
        }
    }

    /** Waits (briefly) for a moment when the relay has a transaction open; false if none was seen. */
    private static boolean awaitOpenTransaction(TopicWatch watch) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (watch.transactionOpen()) {
                return true;
            }
        }
        return false;
    }
}
