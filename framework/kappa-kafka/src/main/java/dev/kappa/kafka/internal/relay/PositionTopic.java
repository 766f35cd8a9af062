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
import org.apache.kafka.common.errors.InterruptException;
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

    /** How many offsets at the end of the topic are read first. */
    private static final long TAIL = 1_000;

    private final String topic;
    private final String transactionalId;
    private final byte[] key;
    private final Map<String, Object> consumerProperties;
    /** Only to learn the partition's end, open transactions included. */
    private final Map<String, Object> uncommittedProperties;

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
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        this.uncommittedProperties = Map.copyOf(properties);
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
            long begin = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
            long end = stableEnd(consumer, partition, deadline, timeout);
            // the latest position is near the end: read the tail, and further back only if this relay's key is not
            // there (another relay's positions may share the topic), so that a start costs little however long the
            // uncompacted tail has grown
            long window = TAIL;
            long to = end;
            while (to > begin) {
                long from = Math.max(begin, to - window);
                Long position = lastPosition(consumer, partition, from, to, deadline, timeout);
                if (position != null) {
                    return position;
                }
                to = from;
                window *= 8;
            }
            return 0;
        }
    }

    /**
     * The end of the partition as it is now, once every transaction open in it has ended. This relay's own ended
     * with {@code initTransactions}; but a read_committed consumer reads only up to the first offset of any open
     * transaction, and a relay of another transactional id sharing the topic may hold one below this relay's last
     * position: wait until it ends (a transaction begun after now cannot hide anything of this relay's).
     */
    private long stableEnd(KafkaConsumer<byte[], byte[]> committed, TopicPartition partition, long deadline,
                           Duration timeout) {
        long end;
        try (KafkaConsumer<byte[], byte[]> uncommitted = new KafkaConsumer<>(uncommittedProperties)) {
            end = uncommitted.endOffsets(List.of(partition), timeout).get(partition);
        }
        while (committed.endOffsets(List.of(partition), left(deadline)).get(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("a transaction of another relay kept the relay's position topic '" + topic
                        + "' from being read to offset " + end + " for " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
        return end;
    }

    /** The position in the last record of this relay's key in [from, to), or null if there is none. */
    private Long lastPosition(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long from, long to,
                              long deadline, Duration timeout) {
        consumer.seek(partition, from);
        Long position = null;
        while (consumer.position(partition, left(deadline)) < to) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the relay could not read its position topic '" + topic
                        + "' to its end (offset " + to + ") within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)).records(partition)) {
                if (record.offset() < to && Arrays.equals(record.key(), key)) {
                    position = record.value() == null ? 0L : parse(record);
                }
            }
        }
        return position;
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
