package dev.kappa.kafka.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.KappaHeaders;
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
                RelayedLog relayed = RelayedLog.read(kafka.bootstrapServers(), topics);
                relayed.assertEqualsLog(store, topics);
                System.out.printf("the topics hold the log exactly: %d log records, %d relayed records compared, heap"
                        + " at most %d MB%n", logSize, relayed.size(), Runtime.getRuntime().maxMemory() >> 20);
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
                // given a log of 304 events "relayed" by hand twice: once with offset 7 twice, once without offset 8
                appendByOneWriter(store, 304);

                // when each is compared with the log, then the fault is named
                assertComparisonFails(store, "duplicated", records -> records.add(7, records.get(6)),
                        "records relayed more than once: [7]");
                assertComparisonFails(store, "gapped", records -> records.remove(7),
                        "log offsets missing from Kafka");
            }
        }
    }

    @Test
    void theComparisonWithTheLogFailsOnAChangedValueHeaderOrKeyOnARecordOutsideTheLogAndOnAReordering()
            throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            KappaSchema.migrate(database.dataSource());
            try (EventStore store = FaultRelays.store(database.dataSource())) {
                // given a log of 304 events "relayed" by hand with one fault each (index i holds log offset i + 1;
                // offsets 1 to 8 are one stream, offset 1 with a "tenant" entry)
                appendByOneWriter(store, 304);

                // when each is compared with the log, then the fault is named
                assertComparisonFails(store, "value", records -> change(records, 4,
                        r -> new ProducerRecord<>(r.topic(), null, r.key(), text("{}"), r.headers())),
                        "record at");
                assertComparisonFails(store, "header", records -> change(records, 0, r -> {
                    Headers headers = new RecordHeaders(r.headers().toArray());
                    headers.remove(KappaHeaders.ENTRY_PREFIX + "tenant");
                    headers.add(KappaHeaders.ENTRY_PREFIX + "tenant", text("another"));
                    return new ProducerRecord<>(r.topic(), null, r.key(), r.value(), headers);
                }), "record at");
                assertComparisonFails(store, "key", records -> change(records, 9,
                        r -> new ProducerRecord<>(r.topic(), null, text("another-stream"), r.value(), r.headers())),
                        "key of log offset 10");
                assertComparisonFails(store, "outside", records -> {
                    ProducerRecord<byte[], byte[]> last = records.get(records.size() - 1);
                    Headers headers = new RecordHeaders(last.headers().toArray());
                    headers.remove(KappaHeaders.OFFSET);
                    headers.add(KappaHeaders.OFFSET, text(Long.toString(logOffset(last) + 1)));
                    records.add(new ProducerRecord<>(last.topic(), null, last.key(), last.value(), headers));
                }, "offsets in Kafka that are not in the log");
                assertComparisonFails(store, "reordered", records -> Collections.swap(records, 1, 2),
                        "log offsets in partition");
                assertComparisonFails(store, "split", records -> records.replaceAll(
                        same -> new ProducerRecord<>(same.topic(), (int) (logOffset(same) % FaultRelays.PARTITIONS),
                                same.key(), same.value(), same.headers())), "partition of each stream");
            }
        }
    }

    /** Appends {@code events} (a multiple of the writers' 8 events an append) with one writer. */
    private static void appendByOneWriter(EventStore store, long events) throws InterruptedException {
        LogWriters writers = LogWriters.start(store, 1, events);
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(writers::finished);
        writers.stop();
        assertThat(store.head()).isEqualTo(events);
    }

    /**
     * Publishes the log by hand to topics of its own, changed by {@code fault}, and asserts that the comparison with
     * the log fails with a message containing {@code message}.
     */
    private static void assertComparisonFails(EventStore store, String name,
                                              Consumer<List<ProducerRecord<byte[], byte[]>>> fault, String message) {
        RelayTopics topics = FaultRelays.topics(name);
        relayByHand(store, topics, fault);
        RelayedLog relayed = RelayedLog.read(kafka.bootstrapServers(), topics);
        assertThatThrownBy(() -> relayed.assertEqualsLog(store, topics)).as(name).hasMessageContaining(message);
    }

    /**
     * Publishes the log to {@code topics} (created with the relay's partitions) in one transaction, as the relay
     * would, after {@code fault} has changed the list of records to send.
     */
    private static void relayByHand(EventStore store, RelayTopics topics,
                                    Consumer<List<ProducerRecord<byte[], byte[]>>> fault) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(RelayedLog.recordTopics(topics).stream()
                    .map(topic -> new NewTopic(topic, FaultRelays.PARTITIONS, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create " + RelayedLog.recordTopics(topics), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        List<ProducerRecord<byte[], byte[]>> records;
        try (Stream<LogRecord> log = store.streamLog(0)) {
            records = log.map(record -> KafkaRecords.toKafka(topics.topicFor(record), record))
                    .collect(Collectors.toCollection(ArrayList::new));
        }
        fault.accept(records);
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "by-hand-" + topics.retained(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            records.forEach(producer::send);
            producer.commitTransaction();
        }
    }

    /** Replaces the record at {@code index} by what {@code change} makes of it. */
    private static void change(List<ProducerRecord<byte[], byte[]>> records, int index,
                               UnaryOperator<ProducerRecord<byte[], byte[]>> change) {
        records.set(index, change.apply(records.get(index)));
    }

    private static long logOffset(ProducerRecord<byte[], byte[]> record) {
        return Long.parseLong(new String(record.headers().lastHeader(KappaHeaders.OFFSET).value(),
                StandardCharsets.UTF_8));
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
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
