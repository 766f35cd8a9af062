package dev.kappa.kafka.source;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.internal.record.KafkaRecords;

/**
 * Publishes log records as the relay does, in the tests of Kafka-fed projections (the relay itself is tested on its
 * own): with {@link KafkaRecords#toKafka}, by a transactional producer, each transaction also writing the last log
 * offset it carries to the position topic, keyed by the transactional id.
 */
final class TestRelay implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String positionTopic;
    private final String transactionalId;

    TestRelay(String bootstrapServers, String positionTopic) {
        this.positionTopic = positionTopic;
        this.transactionalId = "test-relay-" + UUID.randomUUID();
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    /** Publishes {@code records} to {@code topic}, {@code perTransaction} (and their position) per transaction. */
    void relay(String topic, List<LogRecord> records, int perTransaction) {
        for (int from = 0; from < records.size(); from += perTransaction) {
            List<LogRecord> batch = records.subList(from, Math.min(records.size(), from + perTransaction));
            producer.beginTransaction();
            batch.forEach(record -> producer.send(KafkaRecords.toKafka(topic, record)));
            producer.send(new ProducerRecord<>(positionTopic, bytes(transactionalId),
                    bytes(Long.toString(batch.get(batch.size() - 1).offset()))));
            producer.commitTransaction();
        }
    }

    /** Publishes a record Kappa's relay would never write: no headers, a value that is not an event. */
    void publishForeign(String topic, String key, String value) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, bytes(key), bytes(value)));
        producer.commitTransaction();
    }

    @Override
    public void close() {
        producer.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
