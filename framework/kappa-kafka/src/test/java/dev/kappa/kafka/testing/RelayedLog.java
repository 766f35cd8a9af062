package dev.kappa.kafka.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the relay's topics hold, read back whole with {@code read_committed} (so records of aborted or open
 * transactions are not there), and compared with the log record by record. For tests of the relay and of anything
 * that reads its topics.
 */
public final class RelayedLog {

    private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition;

    private RelayedLog(Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition) {
        this.byPartition = byPartition;
    }

    /** Reads every partition of {@code topics} from the beginning to its last stable offset. */
    public static RelayedLog read(String bootstrapServers, Collection<String> topics) {
        Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : new TreeSet<>(topics)) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            partitions.forEach(partition -> byPartition.put(partition, new ArrayList<>()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topics + " to their ends " + ends + " in 60 s");
                }
                consumer.poll(Duration.ofMillis(200))
                        .forEach(record -> byPartition.get(new TopicPartition(record.topic(), record.partition()))
                                .add(record));
            }
        }
        return new RelayedLog(byPartition);
    }

    /** Reads back the record topics of {@code topics} (retained, routed and compacted; not the position topic). */
    public static RelayedLog read(String bootstrapServers, RelayTopics topics) {
        return read(bootstrapServers, recordTopics(topics));
    }

    /** The record topics of {@code topics}: retained, routed and compacted. */
    public static Set<String> recordTopics(RelayTopics topics) {
        Set<String> names = new HashSet<>(topics.routes().values());
        names.add(topics.retained());
        names.add(topics.compacted());
        return names;
    }

    /** Every record read, partition by partition, each partition in Kafka offset order. */
    public Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition() {
        return byPartition;
    }

    /** How many records were read. */
    public int size() {
        return byPartition.values().stream().mapToInt(List::size).sum();
    }

    /** The log offsets of every record read, in no particular order, duplicates kept. */
    public List<Long> logOffsets() {
        return byPartition.values().stream().flatMap(List::stream).map(KafkaRecords::logOffset).toList();
    }

    /**
     * Asserts that the topics hold the log exactly: each record of the log once and nothing else (the same set of
     * offsets, no duplicate), each on the topic and under the key the routing gives, equal to the log's record (headers,
     * value; a tombstone's value null), each partition in increasing log offset order, and each stream of a retained
     * topic in one partition.
     */
    public void assertEqualsLog(EventReader reader, RelayTopics topics) {
        Map<Long, LogRecord> log = new HashMap<>();
        try (var records = reader.streamLog(0)) {
            records.forEach(record -> log.put(record.offset(), record));
        }
        List<Long> offsets = logOffsets();
        Set<Long> distinct = new HashSet<>(offsets);
        assertThat(offsets.size() - distinct.size()).as("records relayed more than once: %s",
                duplicates(offsets)).isZero();
        Set<Long> missing = new TreeSet<>(log.keySet());
        missing.removeAll(distinct);
        Set<Long> extra = new TreeSet<>(distinct);
        extra.removeAll(log.keySet());
        assertThat(missing).as("log offsets missing from Kafka (first of %d)", missing.size())
                .isEmpty();
        assertThat(extra).as("offsets in Kafka that are not in the log").isEmpty();
        Map<String, TopicPartition> partitionOfStream = new HashMap<>();
        byPartition.forEach((partition, records) -> {
            long previous = 0;
            for (ConsumerRecord<byte[], byte[]> record : records) {
                LogRecord relayed = KafkaRecords.fromKafka(record);
                LogRecord original = log.get(relayed.offset());
                assertThat(relayed).as("record at %s@%d", partition, record.offset()).isEqualTo(original);
                assertThat(record.topic()).as("topic of log offset %d", relayed.offset())
                        .isEqualTo(topics.topicFor(original));
                String key = original.compactionKey() != null ? original.compactionKey() : original.streamId();
                assertThat(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8))
                        .as("key of log offset %d", relayed.offset()).isEqualTo(key);
                if (original.tombstone()) {
                    assertThat(record.value()).as("value of tombstone at log offset %d", relayed.offset()).isNull();
                } else {
                    assertThat(record.value()).as("value of log offset %d", relayed.offset()).isNotNull();
                }
                assertThat(relayed.offset()).as("log offsets in partition %s", partition).isGreaterThan(previous);
                previous = relayed.offset();
                if (original.compactionKey() == null) {
                    assertThat(partitionOfStream.putIfAbsent(original.streamId(), partition))
                            .as("partition of stream %s, at log offset %d on %s", original.streamId(),
                                    relayed.offset(), partition).isIn(null, partition);
                }
            }
        });
    }

    private static List<Long> duplicates(List<Long> offsets) {
        Map<Long, Long> counts = offsets.stream().collect(Collectors.groupingBy(o -> o, Collectors.counting()));
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().limit(20)
                .toList();
    }
}
