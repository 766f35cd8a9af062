package dev.kappa.kafka.internal.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The relay's position in Kafka: one record per transaction on partition 0 of the position topic, keyed by the
 * transactional id, whose value is the last log offset the transaction relayed, in decimal text. Written in the same
 * transaction as the records, so it is committed exactly when they are; read with {@code read_committed} to the end,
 * after {@code initTransactions} has completed (or aborted) whatever transaction an older relay left open.
 *
 * <p>Immutable and thread-safe; each read uses a consumer of its own.
 */
final class PositionTopic {

    private final String topic;
    private final String transactionalId;
    private final byte[] key;
    private final Map<String, Object> consumerProperties;

    PositionTopic(String topic, String transactionalId, Map<String, Object> kafkaProperties) {
        this.topic = topic;
        this.transactionalId = transactionalId;
        this.key = transactionalId.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> properties = new HashMap<>(kafkaProperties);
        properties.keySet().removeIf(name -> name.startsWith("group.") || name.endsWith(".deserializer")
                || name.equals(ConsumerConfig.CLIENT_ID_CONFIG));
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, transactionalId + "-position");
        this.consumerProperties = Map.copyOf(properties);
    }

    /** The record that moves the position to {@code logOffset}. */
    ProducerRecord<byte[], byte[]> record(long logOffset) {
        return new ProducerRecord<>(topic, 0, key, Long.toString(logOffset).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The last log offset committed to Kafka by a relay of this transactional id; 0 if none ever was (or its record
     * was deleted with a tombstone).
     *
     * @throws TimeoutException if the topic's end could not be reached within {@code timeout}
     */
    long read(Duration timeout) {
        TopicPartition partition = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            // under read_committed, the end is the last stable offset: nothing beyond it is committed yet
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long position = 0;
            while (consumer.position(partition, left(deadline)) < end) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the relay could not read its position topic '" + topic
                            + "' to its end (offset " + end + ") within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)).records(partition)) {
                    if (Arrays.equals(record.key(), key)) {
                        position = record.value() == null ? 0 : parse(record);
                    }
                }
            }
            return position;
        }
    }

    private long parse(ConsumerRecord<byte[], byte[]> record) {
        String text = new String(record.value(), StandardCharsets.UTF_8);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the position topic '" + topic + "' holds '" + text + "' at offset "
                    + record.offset() + " for relay '" + transactionalId + "', not a log offset: only the relay"
                    + " should write to it; delete the record (a tombstone for key '" + transactionalId + "') to relay"
                    + " from offset 0", e);
        }
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }
}
