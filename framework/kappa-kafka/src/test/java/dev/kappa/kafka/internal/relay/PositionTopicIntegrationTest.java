package dev.kappa.kafka.internal.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.kappa.kafka.testing.KafkaTestBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The relay's position, read back from the tail of a position topic that other relays may share. */
class PositionTopicIntegrationTest {

    private static KafkaTestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    @Test
    void thePositionIsTheLastValueOfTheRelaysKeyHoweverFarBackItLies() throws Exception {
        // given a position topic where relay 'a' wrote 41 then 42, and relay 'b' wrote 5,000 positions after
        String topic = createTopic("shared-positions");
        List<String[]> positions = new ArrayList<>();
        positions.add(new String[] {"a", "41"});
        positions.add(new String[] {"a", "42"});
        for (int i = 1; i <= 5_000; i++) {
            positions.add(new String[] {"b", Integer.toString(i)});
        }
        publish(topic, positions);

        // then each relay reads its own, and a relay that never wrote reads 0
        assertThat(position(topic, "a")).isEqualTo(42);
        assertThat(position(topic, "b")).isEqualTo(5_000);
        assertThat(position(topic, "c")).isZero();
    }

    @Test
    void aTombstoneForTheRelaysKeyMeansRelayFromTheStart() throws Exception {
        String topic = createTopic("reset-position");
        publish(topic, List.of(new String[] {"a", "42"}, new String[] {"a", null}));

        assertThat(position(topic, "a")).isZero();
    }

    @Test
    void anEmptyPositionTopicMeansRelayFromTheStart() throws Exception {
        assertThat(position(createTopic("empty-positions"), "a")).isZero();
    }

    @Test
    void aTransactionOfAnotherRelayOpenBelowThisRelaysPositionIsWaitedForRatherThanReadPast() throws Exception {
        // given relay 'b' has a transaction open on the topic when relay 'a' commits its position after it
        String topic = createTopic("open-transaction");
        try (KafkaProducer<byte[], byte[]> b = transactional("b"); KafkaProducer<byte[], byte[]> a = transactional("a")) {
            b.beginTransaction();
            b.send(record(topic, "b", "7")).get(30, TimeUnit.SECONDS);
            a.beginTransaction();
            a.send(record(topic, "a", "42"));
            a.commitTransaction();

            // when relay 'a' reads its position, then it waits for 'b's transaction instead of missing its own record
            CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> position(topic, "a"));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !read.isDone());
            b.commitTransaction();
            assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }

    private static KafkaProducer<byte[], byte[]> transactional(String transactionalId) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        producer.initTransactions();
        return producer;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    private static long position(String topic, String relay) {
        return new PositionTopic(topic, relay, broker.clientProperties()).read(Duration.ofSeconds(30));
    }

    private static String createTopic(String name) throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    /** Publishes (key, value) pairs in order; a null value is a tombstone. */
    private static void publish(String topic, List<String[]> positions) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (String[] position : positions) {
                producer.send(new ProducerRecord<>(topic, 0, position[0].getBytes(StandardCharsets.UTF_8),
                        position[1] == null ? null : position[1].getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }
}
