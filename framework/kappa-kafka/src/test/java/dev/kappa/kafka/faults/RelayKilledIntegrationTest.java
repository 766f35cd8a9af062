package dev.kappa.kafka.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.kappa.kafka.testing.RelayedLog;
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
                // (the writers go on until the last kill, and until they have appended EVENTS)
                LogWriters writers = LogWriters.start(store, 2, Long.MAX_VALUE);
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
                    System.out.printf("round %d: relay killed with SIGKILL, a transaction open: %s, events appended so"
                            + " far: %d%n", round, open, writers.appended());
                }
                assertThat(writers.finished()).as("writers still appending at the last kill").isFalse();
                Awaitility.await("the writers appending " + EVENTS + " events").atMost(Duration.ofMinutes(2))
                        .until(() -> writers.appended() >= EVENTS);
                writers.stop();

                // when a last relay, in this JVM, catches up
                try (KafkaRelay relay = FaultRelays.relay(database.dataSource(), store, kafka.bootstrapServers(),
                        topics, TRANSACTIONAL_ID, "last")) {
                    relay.start();
                    FaultRelays.awaitCaughtUp(relay, store, Duration.ofMinutes(2));
                }

                // then the topics hold the log, record by record, and the kills left aborted records behind
                long logSize = store.head();
                assertThat(logSize).isGreaterThanOrEqualTo(EVENTS);
                RelayedLog.read(kafka.bootstrapServers(), topics).assertEqualsLog(store, topics);
                assertThat(killedMidTransaction).as("kills that found a transaction open").isPositive();
                assertThat(watch.recordsIncludingAborted()).as("records counting those of aborted transactions")
                        .isGreaterThan(logSize);
            }
        }
    }

    @Test
    void theComparisonWithTheLogFailsOnADuplicateAndOnAGap() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            KappaSchema.migrate(database.dataSource());
            try (EventStore store = FaultRelays.store(database.dataSource())) {
                // given a log of 300 events "relayed" by hand twice: once with offset 7 twice, once without offset 8
                LogWriters writers = LogWriters.start(store, 1, 300);
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(writers::finished);
                writers.stop();
                RelayTopics duplicated = FaultRelays.topics("duplicated");
                RelayTopics gapped = FaultRelays.topics("gapped");
                relayByHand(store, duplicated, 7, -1);
                relayByHand(store, gapped, -1, 8);

                // when each is compared with the log, then the fault is named
                RelayedLog withDuplicate = RelayedLog.read(kafka.bootstrapServers(), duplicated);
                assertThatThrownBy(() -> withDuplicate.assertEqualsLog(store, duplicated))
                        .hasMessageContaining("records relayed more than once: [7]");
                RelayedLog withGap = RelayedLog.read(kafka.bootstrapServers(), gapped);
                assertThatThrownBy(() -> withGap.assertEqualsLog(store, gapped))
                        .hasMessageContaining("log offsets missing from Kafka");
            }
        }
    }

    /** Publishes the log to {@code topics} in one transaction, sending offset {@code twice} twice, {@code never} never. */
    private static void relayByHand(EventStore store, RelayTopics topics, long twice, long never) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "by-hand-" + topics.retained(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config);
             Stream<LogRecord> log = store.streamLog(0)) {
            producer.initTransactions();
            producer.beginTransaction();
            log.filter(record -> record.offset() != never).forEach(record -> {
                producer.send(KafkaRecords.toKafka(topics.topicFor(record), record));
                if (record.offset() == twice) {
                    producer.send(KafkaRecords.toKafka(topics.topicFor(record), record));
                }
            });
            producer.commitTransaction();
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
