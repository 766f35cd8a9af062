package dev.kappa.kafka.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.internal.record.KafkaRecords;

class CompactedViewIntegrationTest {

    private static EmbeddedKafkaKraftBroker broker;
    private static long nextOffset = 1;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1", "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void aViewLoadedFromZeroHoldsExactlyTheLatestValuePerKeyAndForgetsTombstonedKeys() throws Exception {
        String topic = compactedTopic("profiles");
        publish(topic, List.of(keyed("customer-1", "{\"name\":\"Ann\"}"), keyed("customer-2", "{\"name\":\"Bob\"}"),
                keyed("customer-1", "{\"name\":\"Anne\"}"), keyed("customer-3", "{\"name\":\"Cy\"}"),
                tombstone("customer-2")));

        try (CompactedView<String> view = CompactedView.builder(topic, LogRecord::payload)
                .kafkaProperties(clientProperties()).build()) {
            view.start();

            assertThat(view.awaitReady(Duration.ofSeconds(30))).isTrue();
            assertThat(view.asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "customer-1", "{\"name\":\"Anne\"}", "customer-3", "{\"name\":\"Cy\"}"));
            assertThat(view.status().ready()).isTrue();
            assertThat(view.status().error()).isNull();
        }
    }

    @Test
    void aReadyViewFollowsTheTopicLive() throws Exception {
        String topic = compactedTopic("live");
        publish(topic, List.of(keyed("a", "1")));
        try (CompactedView<String> view = CompactedView.builder(topic, LogRecord::payload)
                .kafkaProperties(clientProperties()).build()) {
            view.start();
            assertThat(view.awaitReady(Duration.ofSeconds(30))).isTrue();

            publish(topic, List.of(keyed("a", "2"), keyed("b", "3"), tombstone("a")));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(view.asMap()).containsExactlyInAnyOrderEntriesOf(Map.of("b", "3")));
        }
    }

    @Test
    void anEmptyTopicIsReadyAtOnce() throws Exception {
        String topic = compactedTopic("empty");
        try (CompactedView<String> view = CompactedView.builder(topic, LogRecord::payload)
                .kafkaProperties(clientProperties()).build()) {
            view.start();

            assertThat(view.awaitReady(Duration.ofSeconds(30))).isTrue();
            assertThat(view.size()).isZero();
        }
    }

    @Test
    void aMissingTopicIsReportedAndTheViewIsNotReady() throws Exception {
        try (CompactedView<String> view = CompactedView.builder("no-such-topic", LogRecord::payload)
                .kafkaProperties(clientProperties()).build()) {
            view.start();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(view.status().error()).contains("no-such-topic").contains("does not exist"));
            assertThat(view.isReady()).isFalse();
        }
    }

    @Test
    void aValueThatCannotBeDecodedKeepsTheKeysPreviousValueAndIsReported() throws Exception {
        String topic = compactedTopic("poison");
        publish(topic, List.of(keyed("k", "good"), keyed("k", "bad")));
        try (CompactedView<String> view = CompactedView.<String>builder(topic, record -> {
            if (record.payload().equals("bad")) {
                throw new IllegalArgumentException("not a value");
            }
            return record.payload();
        }).kafkaProperties(clientProperties()).build()) {
            view.start();

            assertThat(view.awaitReady(Duration.ofSeconds(30))).isTrue();
            assertThat(view.get("k")).contains("good");
            assertThat(view.status().error()).contains(topic).contains("'k'").contains("not a value");
        }
    }

    private static String compactedTopic(String name) throws Exception {
        String topic = name + "-" + UUID.randomUUID();
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get();
        }
        return topic;
    }

    /** Publishes as the relay does: in one transaction, mapped by KafkaRecords. */
    private static void publish(String topic, List<LogRecord> records) {
        Map<String, Object> properties = clientProperties();
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "view-test-" + UUID.randomUUID());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
            producer.initTransactions();
            producer.beginTransaction();
            records.forEach(record -> producer.send(KafkaRecords.toKafka(topic, record)));
            producer.commitTransaction();
        }
    }

    private static LogRecord keyed(String key, String payload) {
        return record(key, payload, false);
    }

    private static LogRecord tombstone(String key) {
        return record(key, "{\"deleted\":true}", true);
    }

    private static synchronized LogRecord record(String key, String payload, boolean tombstone) {
        long offset = nextOffset++;
        return new LogRecord(offset, "stream-" + key, offset, "ProfileChanged", payload,
                new EventMetadata(UUID.randomUUID(), null, null, Instant.now(), Map.of()), key, tombstone);
    }

    private static Map<String, Object> clientProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", broker.getBrokersAsString());
        return properties;
    }
}
