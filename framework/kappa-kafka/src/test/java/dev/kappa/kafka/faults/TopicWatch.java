package dev.kappa.kafka.faults;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Watches the relay's topics from outside: how far their committed records reach, whether a transaction is open on
 * them right now, and how many records they hold counting those of aborted transactions.
 *
 * <p>Not thread-safe.
 */
final class TopicWatch implements AutoCloseable {

    private final String bootstrapServers;
    private final List<String> topics;
    private final Admin admin;

    TopicWatch(String bootstrapServers, List<String> topics) {
        this.bootstrapServers = bootstrapServers;
        this.topics = List.copyOf(topics);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
    }

    /** The sum of the topics' last stable offsets (0 while they do not exist). */
    long committedEnd() {
        return ends(IsolationLevel.READ_COMMITTED).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Whether a transaction is open on the topics now: a partition's high watermark, read first, is above its last
     * stable offset read after it, so records written before the second read were not yet committed or aborted.
     */
    boolean transactionOpen() {
        Map<TopicPartition, Long> written = ends(IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, Long> stable = ends(IsolationLevel.READ_COMMITTED);
        return written.entrySet().stream().anyMatch(e -> e.getValue() > stable.getOrDefault(e.getKey(), e.getValue()));
    }

    /** Records in the topics read with {@code read_uncommitted}: the committed ones and those of aborted transactions. */
    long recordsIncludingAborted() {
        Map<TopicPartition, Long> ends = ends(IsolationLevel.READ_UNCOMMITTED);
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(ends.keySet());
            consumer.seekToBeginning(ends.keySet());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (ends.keySet().stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                count += consumer.poll(Duration.ofMillis(500)).count();
            }
        }
        return count;
    }

    private Map<TopicPartition, Long> ends(IsolationLevel isolation) {
        try {
            Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
                    .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            descriptions.values().forEach(d -> d.partitions().forEach(p ->
                    specs.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResultInfo> offsets = admin.listOffsets(specs,
                    new ListOffsetsOptions(isolation)).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> ends = new HashMap<>();
            offsets.forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        } catch (ExecutionException | TimeoutException e) {
            // the relay has not created every topic yet, or the broker is away: nothing to count
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing offsets", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
