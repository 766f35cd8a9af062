package dev.kappa.kafka.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.internal.record.KafkaRecords;
import dev.kappa.kafka.relay.RelayTopics;

/**
 * Reads every topic the relay writes with {@code read_committed} and compares it with the log, record by record: the
 * set of log offsets in the topics equals the log's, none appears twice, each partition's log offsets increase, every
 * record sits in the topic and under the key the routing gives it, each stream stays in one partition, and the record
 * decoded from Kafka ({@link KafkaRecords#fromKafka}) equals the log's (payload, metadata, key, tombstone).
 *
 * <p>Not thread-safe; call it once the relay has caught up and stopped.
 */
final class TopicsAgainstLog {

    private static final Duration READ_LIMIT = Duration.ofMinutes(2);
    private static final int PROBLEMS_SHOWN = 20;

    private final EventReader log;
    private final String bootstrapServers;
    private final RelayTopics topics;

    TopicsAgainstLog(EventReader log, String bootstrapServers, RelayTopics topics) {
        this.log = log;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
    }

    /** The differences found, at most a screenful, each naming the offset, topic and partition; empty when equal. */
    List<String> differences() {
        Map<Long, LogRecord> expected = new TreeMap<>();
        try (Stream<LogRecord> records = log.streamLog(0)) {
            records.forEach(record -> expected.put(record.offset(), record));
        }
        List<String> problems = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        Map<String, TopicPartition> partitionOfStream = new HashMap<>();
        for (String topic : relayedTopics()) {
            readCommitted(topic, (partition, consumed) -> {
                LogRecord relayed = KafkaRecords.fromKafka(consumed);
                long offset = relayed.offset();
                if (!seen.add(offset)) {
                    problems.add("log offset " + offset + " appears twice; again at " + where(consumed));
                }
                LogRecord original = expected.get(offset);
                if (original == null) {
                    problems.add("log offset " + offset + " at " + where(consumed) + " is not in the log");
                    return;
                }
                if (!original.equals(relayed)) {
                    problems.add("log offset " + offset + " at " + where(consumed) + " differs: log " + describe(original)
                            + ", Kafka " + describe(relayed));
                }
                if (!topics.topicFor(original).equals(consumed.topic())) {
                    problems.add("log offset " + offset + " is on " + consumed.topic() + ", routed to "
                            + topics.topicFor(original));
                }
                String key = original.compactionKey() != null ? original.compactionKey() : original.streamId();
                if (consumed.key() == null || !Arrays.equals(consumed.key(), key.getBytes(
                        StandardCharsets.UTF_8))) {
                    problems.add("log offset " + offset + " at " + where(consumed) + " is not keyed by " + key);
                }
                if (original.compactionKey() == null) {
                    TopicPartition first = partitionOfStream.putIfAbsent(original.streamId(), partition);
                    if (first != null && !first.equals(partition)) {
                        problems.add("stream " + original.streamId() + " is on " + first + " and " + partition);
                    }
                }
            }, problems);
        }
        Set<Long> missing = new LinkedHashSet<>(expected.keySet());
        missing.removeAll(seen);
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " log offsets are in no topic, the first " + missing.stream().limit(10)
                    .toList());
        }
        return problems.size() > PROBLEMS_SHOWN ? problems.subList(0, PROBLEMS_SHOWN) : problems;
    }

    /** The number of records the log holds, for the test's own bounds. */
    long logSize() {
        try (Stream<LogRecord> records = log.streamLog(0)) {
            return records.count();
        }
    }

    private List<String> relayedTopics() {
        Set<String> all = new LinkedHashSet<>();
        all.add(topics.retained());
        all.add(topics.compacted());
        all.addAll(topics.routes().values());
        return List.copyOf(all);
    }

    private interface ConsumedRecord {
        void accept(TopicPartition partition, ConsumerRecord<byte[], byte[]> record);
    }

    /** Reads each partition of {@code topic} from its start to its last stable offset, checking offsets increase. */
    private void readCommitted(String topic, ConsumedRecord each, List<String> problems) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                return;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> lastLogOffset = new HashMap<>();
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    problems.add(topic + " could not be read to its end offsets " + ends + " within " + READ_LIMIT);
                    return;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    long offset = KafkaRecords.logOffset(record);
                    Long before = lastLogOffset.put(partition, offset);
                    if (before != null && before >= offset) {
                        problems.add("log offset " + offset + " follows " + before + " on " + where(record));
                    }
                    each.accept(partition, record);
                }
            }
        }
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static String describe(LogRecord record) {
        return record + " " + record.metadata() + " " + record.payload();
    }
}
