package dev.kappa.kafka.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.internal.record.KafkaRecords;
import dev.kappa.kafka.internal.record.NotARelayedRecordException;
import dev.kappa.kafka.relay.RelayTopics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the relay's topics hold, read back with {@code read_committed} (so records of aborted or open transactions are
 * not there), and compared with the log record by record. For tests of the relay and of anything that reads its
 * topics.
 *
 * <p>It keeps no record: for each one read, only its log offset, where it is in Kafka and a 64-bit
 * {@link RecordFingerprint} of everything the comparison looks at (topic, key, whether the value is null, and the log
 * record it decodes to, headers and value included), about 28 bytes a record. The comparison streams the log from
 * PostgreSQL page by page and compares fingerprints; it reads a record from Kafka again only to name what differs.
 * So a fault test can relay and check a log of millions of records in a small heap.
 */
public final class RelayedLog {

    private static final int LISTED = 20;
    /** How long a read waits for the transactions open on the topics to end (a relay busy writing keeps one open). */
    private static final Duration STABLE_WAIT = Duration.ofSeconds(30);

    private final Map<String, Object> consumerProperties;
    private final List<TopicPartition> partitions;
    private final int[] recordsInPartition;
    private final Entries entries;
    private final int unreadableCount;
    private final NotARelayedRecordException firstUnreadable;

    private RelayedLog(Map<String, Object> consumerProperties, List<TopicPartition> partitions,
                       int[] recordsInPartition, Entries entries, int unreadableCount,
                       NotARelayedRecordException firstUnreadable) {
        this.consumerProperties = consumerProperties;
        this.partitions = partitions;
        this.recordsInPartition = recordsInPartition;
        this.entries = entries;
        this.unreadableCount = unreadableCount;
        this.firstUnreadable = firstUnreadable;
    }

    /**
     * Reads every partition of {@code topics} from the beginning to its last stable offset, once the transactions open
     * on them have ended (see {@link #stableEnds}).
     */
    public static RelayedLog read(String bootstrapServers, Collection<String> topics) {
        Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<TopicPartition> partitions = new ArrayList<>();
        Map<TopicPartition, Integer> indexOf = new HashMap<>();
        Entries entries = new Entries();
        RecordFingerprint fingerprint = new RecordFingerprint();
        int unreadable = 0;
        NotARelayedRecordException firstUnreadable = null;
        int[] counts;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            for (String topic : new TreeSet<>(topics)) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    TopicPartition partition = new TopicPartition(topic, info.partition());
                    indexOf.put(partition, partitions.size());
                    partitions.add(partition);
                }
            }
            counts = new int[partitions.size()];
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = stableEnds(consumer, properties, partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topics + " to their ends " + ends + " in 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    int partition = indexOf.get(new TopicPartition(record.topic(), record.partition()));
                    counts[partition]++;
                    try {
                        LogRecord relayed = KafkaRecords.fromKafka(record);
                        entries.add(relayed.offset(), fingerprint.of(record.topic(), record.key(),
                                record.value() == null, relayed), partition, record.offset());
                    } catch (NotARelayedRecordException e) {
                        // not the relay's record (the position topic's, say): counted, and fails the comparison
                        unreadable++;
                        firstUnreadable = firstUnreadable == null ? e : firstUnreadable;
                    }
                }
            }
        }
        return new RelayedLog(properties, List.copyOf(partitions), counts, entries, unreadable, firstUnreadable);
    }

    /**
     * The partitions' last stable offsets once no transaction is open on them, or as they are after
     * {@link #STABLE_WAIT}. A producer's commit returns before the broker has written the transaction's markers, and
     * until it has, the last stable offsets stay below the committed records: read at once, they would look missing.
     */
    private static Map<TopicPartition, Long> stableEnds(KafkaConsumer<byte[], byte[]> committed,
                                                        Map<String, Object> properties,
                                                        List<TopicPartition> partitions) {
        Map<String, Object> uncommittedProperties = new HashMap<>(properties);
        uncommittedProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> uncommitted = new KafkaConsumer<>(uncommittedProperties)) {
            long deadline = System.nanoTime() + STABLE_WAIT.toNanos();
            while (true) {
                // the high watermarks first: a last stable offset read after them that reaches them means no
                // transaction was open on records written before
                Map<TopicPartition, Long> written = uncommitted.endOffsets(partitions, Duration.ofSeconds(30));
                Map<TopicPartition, Long> stable = committed.endOffsets(partitions, Duration.ofSeconds(30));
                if (partitions.stream().allMatch(p -> stable.get(p) >= written.get(p))
                        || System.nanoTime() > deadline) {
                    return stable;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return stable;
                }
            }
        }
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

    /** How many records were read from each partition of the topics (every partition, those with none too). */
    public Map<TopicPartition, Integer> recordsByPartition() {
        Map<TopicPartition, Integer> counts = new LinkedHashMap<>();
        for (int p = 0; p < partitions.size(); p++) {
            counts.put(partitions.get(p), recordsInPartition[p]);
        }
        return counts;
    }

    /** How many records were read. */
    public int size() {
        return Arrays.stream(recordsInPartition).sum();
    }

    /**
     * Asserts that the topics hold the log exactly: each record of the log once and nothing else (the same set of
     * offsets, no duplicate), each on the topic and under the key the routing gives, equal to the log's record (headers,
     * value; a tombstone's value null), each partition in increasing log offset order, and each stream of a retained
     * topic in one partition.
     */
    public void assertEqualsLog(EventReader reader, RelayTopics topics) {
        if (firstUnreadable != null) {
            throw new AssertionError(unreadableCount + " records in the topics were not published by the relay; the"
                    + " first: " + firstUnreadable.getMessage(), firstUnreadable);
        }
        // where each log offset's record was read (an index into entries), -1 for none; offsets outside 1..head, which
        // only a broken relay writes, aside
        long head = reader.head();
        if (head >= Integer.MAX_VALUE) {
            throw new AssertionError("a log of " + head + " records is beyond this comparison's arrays");
        }
        int[] entryOf = new int[(int) head + 1];
        Arrays.fill(entryOf, -1);
        TreeMap<Long, Integer> outside = new TreeMap<>();
        long duplicateCount = 0;
        TreeSet<Long> duplicates = new TreeSet<>();
        for (int i = 0; i < entries.size(); i++) {
            long offset = entries.logOffset(i);
            boolean taken;
            if (offset >= 1 && offset <= head) {
                taken = entryOf[(int) offset] != -1;
                if (!taken) {
                    entryOf[(int) offset] = i;
                }
            } else {
                taken = outside.putIfAbsent(offset, i) != null;
            }
            if (taken) {
                duplicateCount++;
                keepFirst(duplicates, offset);
            }
        }
        assertThat(duplicateCount).as("records relayed more than once: %s", duplicates).isZero();

        // then the log, page by page in offset order, against what was read
        RecordFingerprint fingerprint = new RecordFingerprint();
        long missingCount = 0;
        TreeSet<Long> missing = new TreeSet<>();
        LogRecord firstDiffering = null;
        int firstDifferingEntry = -1;
        Map<String, Integer> partitionOfStream = new HashMap<>();
        String streamSplit = null;
        try (var records = reader.streamLog(0)) {
            for (LogRecord original : (Iterable<LogRecord>) records::iterator) {
                long offset = original.offset();
                Integer found;
                if (offset >= 1 && offset <= head) {
                    found = entryOf[(int) offset] >= 0 ? entryOf[(int) offset] : null;
                    entryOf[(int) offset] = -2;
                } else {
                    found = outside.remove(offset);
                }
                if (found == null) {
                    missingCount++;
                    keepFirst(missing, offset);
                    continue;
                }
                int entry = found;
                long expected = fingerprint.of(topics.topicFor(original), expectedKey(original),
                        original.tombstone(), original);
                if (firstDiffering == null && entries.fingerprint(entry) != expected) {
                    firstDiffering = original;
                    firstDifferingEntry = entry;
                }
                if (original.compactionKey() == null && streamSplit == null) {
                    Integer earlier = partitionOfStream.putIfAbsent(original.streamId(), entries.partition(entry));
                    if (earlier != null && earlier != entries.partition(entry)) {
                        streamSplit = String.format("stream %s is on %s and, at log offset %d, on %s",
                                original.streamId(), partitions.get(earlier), offset,
                                partitions.get(entries.partition(entry)));
                    }
                }
            }
        }
        assertThat(missing).as("log offsets missing from Kafka (first %d of %d)", missing.size(), missingCount)
                .isEmpty();
        TreeSet<Long> extra = new TreeSet<>();
        long extraCount = outside.size();
        outside.keySet().forEach(offset -> keepFirst(extra, offset));
        for (int offset = 1; offset < entryOf.length; offset++) {
            if (entryOf[offset] >= 0) {
                extraCount++;
                keepFirst(extra, (long) offset);
            }
        }
        assertThat(extra).as("offsets in Kafka that are not in the log (first %d of %d)", extra.size(), extraCount)
                .isEmpty();
        if (firstDiffering != null) {
            assertSameRecord(firstDifferingEntry, firstDiffering, topics);
        }

        long[] previous = new long[partitions.size()];
        for (int i = 0; i < entries.size(); i++) {
            int partition = entries.partition(i);
            assertThat(entries.logOffset(i)).as("log offsets in partition %s, at %s@%d", partitions.get(partition),
                    partitions.get(partition), entries.kafkaOffset(i)).isGreaterThan(previous[partition]);
            previous[partition] = entries.logOffset(i);
        }
        assertThat(streamSplit).as("partition of each stream").isNull();
    }

    /** Reads the record of {@code entry} again and names how it differs from {@code original}. */
    private void assertSameRecord(int entry, LogRecord original, RelayTopics topics) {
        TopicPartition partition = partitions.get(entries.partition(entry));
        long kafkaOffset = entries.kafkaOffset(entry);
        ConsumerRecord<byte[], byte[]> record = reread(partition, kafkaOffset);
        LogRecord relayed = KafkaRecords.fromKafka(record);
        assertThat(relayed).as("record at %s@%d", partition, kafkaOffset).isEqualTo(original);
        assertThat(record.topic()).as("topic of log offset %d", relayed.offset())
                .isEqualTo(topics.topicFor(original));
        byte[] key = expectedKey(original);
        assertThat(record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8))
                .as("key of log offset %d", relayed.offset()).isEqualTo(new String(key, StandardCharsets.UTF_8));
        if (original.tombstone()) {
            assertThat(record.value()).as("value of tombstone at log offset %d", relayed.offset()).isNull();
        } else {
            assertThat(record.value()).as("value of log offset %d", relayed.offset()).isNotNull();
        }
        assertThat(record.key()).as("key bytes of log offset %d", relayed.offset()).isEqualTo(key);
        throw new AssertionError("the record at " + partition + "@" + kafkaOffset + " differs from log offset "
                + original.offset() + " by its fingerprint, yet no difference was found on reading it again");
    }

    /** The key the relay must give a record: its compaction key if it has one, else its stream id. */
    private static byte[] expectedKey(LogRecord original) {
        String key = original.compactionKey() != null ? original.compactionKey() : original.streamId();
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private ConsumerRecord<byte[], byte[]> reread(TopicPartition partition, long kafkaOffset) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties)) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, kafkaOffset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == kafkaOffset) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("could not read " + partition + "@" + kafkaOffset + " again in 30 s");
    }

    private static void keepFirst(TreeSet<Long> offsets, long offset) {
        offsets.add(offset);
        if (offsets.size() > LISTED) {
            offsets.pollLast();
        }
    }

    /**
     * What is kept of each record read, in reading order (each partition's records in Kafka offset order), in
     * primitive arrays that grow by half: log offset, fingerprint, partition index, Kafka offset.
     */
    private static final class Entries {

        private long[] logOffsets = new long[1024];
        private long[] fingerprints = new long[1024];
        private int[] partitions = new int[1024];
        private long[] kafkaOffsets = new long[1024];
        private int size;

        void add(long logOffset, long fingerprint, int partition, long kafkaOffset) {
            if (size == logOffsets.length) {
                int capacity = size + (size >> 1);
                logOffsets = Arrays.copyOf(logOffsets, capacity);
                fingerprints = Arrays.copyOf(fingerprints, capacity);
                partitions = Arrays.copyOf(partitions, capacity);
                kafkaOffsets = Arrays.copyOf(kafkaOffsets, capacity);
            }
            logOffsets[size] = logOffset;
            fingerprints[size] = fingerprint;
            partitions[size] = partition;
            kafkaOffsets[size] = kafkaOffset;
            size++;
        }

        int size() {
            return size;
        }

        long logOffset(int i) {
            return logOffsets[i];
        }

        long fingerprint(int i) {
            return fingerprints[i];
        }

        int partition(int i) {
            return partitions[i];
        }

        long kafkaOffset(int i) {
            return kafkaOffsets[i];
        }
    }
}
