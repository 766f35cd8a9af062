package dev.kappa.kafka.internal.view;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.KappaHeaders;
import dev.kappa.kafka.internal.record.KafkaRecords;
import dev.kappa.kafka.view.CompactedView;
import dev.kappa.kafka.view.ViewStatus;

/**
 * A {@link CompactedView} kept by one consumer without a group: it assigns itself every partition of the topic, reads
 * each from its beginning with {@code read_committed} (the relay writes in transactions), and is ready once its
 * positions reach the end offsets it took when it started. It then goes on polling, so the view follows the topic.
 *
 * <p>Thread-safe: the consumer lives on the view's own thread; readers see the Caffeine cache, and status fields are
 * volatile.
 */
public final class KafkaCompactedView<V> implements CompactedView<V> {

    private static final Logger log = LoggerFactory.getLogger(KafkaCompactedView.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final String name;
    private final String topic;
    private final Function<LogRecord, V> decoder;
    private final Map<String, Object> consumerProperties;
    private final Cache<String, V> values = Caffeine.newBuilder().build();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean closed;
    private volatile long recordsRead;
    private volatile long lag = -1;
    private volatile String error;

    public KafkaCompactedView(String name, String topic, Function<LogRecord, V> decoder,
                              Map<String, Object> kafkaProperties) {
        this.name = name;
        this.topic = topic;
        this.decoder = decoder;
        this.consumerProperties = consumerProperties(kafkaProperties, name);
        this.thread = new Thread(this::run, "kappa-view-" + name);
        this.thread.setDaemon(true);
    }

    private static Map<String, Object> consumerProperties(Map<String, Object> kafkaProperties, String name) {
        Map<String, Object> properties = new HashMap<>(kafkaProperties);
        // every instance reads every partition from the start: a group would split them and remember positions
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // asking for a missing topic must not make the broker create it with its default (delete) policy
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kappa-view-" + name);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    @Override
    public void start() {
        if (thread.getState() != Thread.State.NEW) {
            throw new IllegalStateException("view '" + name + "' was already started");
        }
        thread.start();
    }

    private void run() {
        while (!closed) {
            try (KafkaConsumer<byte[], byte[]> opened = new KafkaConsumer<>(consumerProperties)) {
                consumer = opened;
                if (closed) {
                    return;
                }
                follow(opened);
            } catch (WakeupException e) {
                return;
            } catch (KafkaException | IllegalStateException e) {
                if (closed) {
                    return;
                }
                fail("cannot read topic '" + topic + "': " + e.getMessage()
                        + "; retrying in " + RETRY.toSeconds() + " s");
                sleep(RETRY);
            } finally {
                consumer = null;
            }
        }
    }

    /** Loads the topic from its start, then follows it, until closed or the consumer fails. */
    private void follow(KafkaConsumer<byte[], byte[]> opened) {
        List<PartitionInfo> partitions = opened.partitionsFor(topic, Duration.ofSeconds(10));
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("the topic does not exist; create it (the relay does when it starts)");
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        opened.assign(assigned);
        opened.seekToBeginning(assigned);
        // a view rebuilt after a failure starts over from the beginning: stale keys must not survive a tombstone missed
        values.invalidateAll();
        Map<TopicPartition, Long> loadTo = opened.endOffsets(assigned);
        boolean loaded = ready.getCount() == 0;
        long started = System.nanoTime();
        if (!loaded) {
            log.info("view '{}': loading topic '{}' ({} partitions, {} records at most)", name, topic,
                    assigned.size(), loadTo.values().stream().mapToLong(Long::longValue).sum());
        }
        error = null;
        while (!closed) {
            ConsumerRecords<byte[], byte[]> records = opened.poll(POLL);
            for (ConsumerRecord<byte[], byte[]> record : records) {
                apply(record);
            }
            recordsRead += records.count();
            lag = behind(opened, loadTo);
            if (!loaded && lag == 0) {
                loaded = true;
                ready.countDown();
                log.info("view '{}': ready with {} keys after {} ms", name, values.estimatedSize(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
            if (loaded) {
                loadTo = opened.endOffsets(assigned, Duration.ofSeconds(5));
            }
        }
    }

    private long behind(KafkaConsumer<byte[], byte[]> opened, Map<TopicPartition, Long> ends) {
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            behind += Math.max(0, end.getValue() - opened.position(end.getKey()));
        }
        return behind;
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            fail("record " + coordinates(record) + " has no key; a compacted topic's records are keyed: skipped it");
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null || record.headers().lastHeader(KappaHeaders.TOMBSTONE) != null) {
            values.invalidate(key);
            return;
        }
        try {
            V value = decoder.apply(KafkaRecords.fromKafka(record));
            if (value == null) {
                values.invalidate(key);
            } else {
                values.put(key, value);
            }
        } catch (RuntimeException e) {
            // a view cannot stop the topic: the key keeps its last good value, and the operator sees why
            fail("record " + coordinates(record) + " for key '" + key + "' could not be turned into a value, so the key"
                    + " keeps its previous one: " + e);
        }
    }

    private void fail(String message) {
        error = message;
        log.warn("view '{}': {}", name, message);
    }

    private static String coordinates(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** Waits out a retry's pause, cut short by {@link #close()} (not by an interrupt, which would spoil the consumer's close). */
    private void sleep(Duration duration) {
        try {
            closing.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public Optional<V> get(String key) {
        return Optional.ofNullable(values.getIfPresent(key));
    }

    @Override
    public Map<String, V> asMap() {
        return Map.copyOf(values.asMap());
    }

    @Override
    public long size() {
        return values.estimatedSize();
    }

    @Override
    public boolean isReady() {
        return ready.getCount() == 0;
    }

    @Override
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public ViewStatus status() {
        return new ViewStatus(topic, isReady(), values.estimatedSize(), recordsRead, lag, error);
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
