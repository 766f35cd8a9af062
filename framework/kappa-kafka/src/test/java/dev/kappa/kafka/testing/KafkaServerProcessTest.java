package dev.kappa.kafka.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The harness itself: a broker in a child JVM that serves transactions and keeps its data across restarts. */
class KafkaServerProcessTest {

    private static KafkaServerProcess kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaServerProcess.builder(Path.of("target", "kafka-server-process-test")).build();
        kafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void aTransactionalProduceIsReadBackByAReadCommittedConsumer() {
        String topic = "harness-" + UUID.randomUUID();

        produceInOneTransaction(topic, 100);

        assertThat(readCommitted(topic, 100)).hasSize(100).first().isEqualTo("value-0");
    }

    @Test
    void committedRecordsSurviveAnOrderlyStopAndAKillWithRestartsOnTheSameDirectoryAndPort() {
        String topic = "harness-" + UUID.randomUUID();
        String bootstrap = kafka.bootstrapServers();
        produceInOneTransaction(topic, 50);
        long firstPid = kafka.pid();

        kafka.stop();
        assertThat(kafka.isRunning()).isFalse();
        kafka.start();
        produceInOneTransaction(topic, 50);
        kafka.kill();
        kafka.restart();

        assertThat(kafka.pid()).isNotEqualTo(firstPid);
        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
        assertThat(readCommitted(topic, 100)).hasSize(100);
    }

    private static void produceInOneTransaction(String topic, int count) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "harness-" + UUID.randomUUID(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            }
            producer.commitTransaction();
        }
    }

    private static List<String> readCommitted(String topic, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            // nothing beyond what was committed: the end offset has been reached
            assertThat(consumer.position(partition)).isGreaterThanOrEqualTo(expected);
        }
        return values;
    }
}
