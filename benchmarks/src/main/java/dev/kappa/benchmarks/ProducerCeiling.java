package dev.kappa.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.internal.record.KafkaRecords;
import dev.kappa.kafka.relay.RelayTopics;

/**
 * The ceiling for the relay: the same pipeline without the transactions. The log is read in pages of 10,000 on a
 * thread of its own, two pages ahead (as the relay reads it), and one plain idempotent producer ({@code acks=all}, the
 * relay's batching settings, no transactions, no position) maps each record with the relay's own mapping
 * ({@link KafkaRecords#toKafka}: the same keys, values and headers) and sends it to a topic with the same partitions and
 * policy as the relay's retained topic, until the last is acknowledged. Figure: records per second; the time the
 * mapping took is reported apart.
 *
 * <p>Not thread-safe; one run.
 */
record ProducerCeiling(BenchmarkOptions options, BenchmarkReport report) {

    static final String TOPIC = "bank.ceiling";
    private static final String WARM_UP_TOPIC = "bank.warm-up";
    /** Records sent before the timed run, so that neither JVM is measured while it compiles the code paths. */
    private static final long WARM_UP_RECORDS = 200_000;
    private static final int PAGE = 10_000;
    private static final int PAGES_AHEAD = 2;

    /**
     * Sends the first records of the log to a topic of their own (untimed: this JVM's and the broker's first pass over
     * the producer's and the log's code paths), then reads the log and sends it all; returns the records sent per
     * second in the timed run.
     */
    double run(BankDatabase database, Map<String, Object> kafkaProperties, RelayTopics topics, CpuUsage cpu)
            throws Exception {
        try (Admin admin = Admin.create(kafkaProperties)) {
            Map<String, String> retained = Map.of("cleanup.policy", "delete", "retention.ms", "-1");
            admin.createTopics(List.of(new NewTopic(TOPIC, topics.partitions(), (short) 1).configs(retained),
                    new NewTopic(WARM_UP_TOPIC, topics.partitions(), (short) 1).configs(retained)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        long warmUpStarted = System.nanoTime();
        send(database, kafkaProperties, WARM_UP_TOPIC, Math.min(WARM_UP_RECORDS, database.store().head()));
        report.note("relay-ceiling: warm-up (untimed), %d records in %.1f s", Math.min(WARM_UP_RECORDS,
                database.store().head()), (System.nanoTime() - warmUpStarted) / 1e9);
        CpuUsage.Sample before = cpu.sample();
        Sent sent = send(database, kafkaProperties, TOPIC, Long.MAX_VALUE);
        String usage = CpuUsage.describe(before, cpu.sample(), 4);
        double rate = sent.records() * 1e9 / sent.nanos();
        report.figure("relay-ceiling-producer", rate, "records/s");
        report.note("relay-ceiling: %d records read, mapped and sent in %.2f s by one idempotent producer, acks=all, no"
                + " transaction; the mapping took %.2f s of it", sent.records(), sent.nanos() / 1e9,
                sent.mappingNanos() / 1e9);
        report.note("relay-ceiling: %s", usage);
        return rate;
    }

    /** What one pass sent, and how long it and its mapping took. */
    private record Sent(long records, long nanos, long mappingNanos) {
    }

    /** Reads the log's first {@code limit} records (about: whole pages) and sends them to {@code topic}. */
    private static Sent send(BankDatabase database, Map<String, Object> kafkaProperties, String topic, long limit)
            throws InterruptedException {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long mappingNanos = 0;
        long sent = 0;
        long nanos;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(kafkaProperties))) {
            BlockingQueue<List<LogRecord>> pages = new ArrayBlockingQueue<>(PAGES_AHEAD);
            Thread reader = new Thread(() -> readLog(database, pages, limit, failure), "bench-ceiling-reader");
            reader.setDaemon(true);
            long started = System.nanoTime();
            reader.start();
            for (List<LogRecord> page = pages.take(); !page.isEmpty(); page = pages.take()) {
                for (LogRecord record : page) {
                    long mapping = System.nanoTime();
                    ProducerRecord<byte[], byte[]> mapped = KafkaRecords.toKafka(topic, record);
                    mappingNanos += System.nanoTime() - mapping;
                    producer.send(mapped, (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
                sent += page.size();
            }
            producer.flush();
            nanos = System.nanoTime() - started;
            reader.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the ceiling failed: " + failure.get().getMessage(), failure.get());
        }
        return new Sent(sent, nanos, mappingNanos);
    }

    /** Puts the log's pages on {@code pages}, then an empty page; a failure is recorded and ends the pages too. */
    private static void readLog(BankDatabase database, BlockingQueue<List<LogRecord>> pages, long limit,
                                AtomicReference<Exception> failure) {
        try {
            long after = 0;
            try {
                for (List<LogRecord> page = database.store().readLog(after, PAGE); !page.isEmpty() && after < limit;
                     page = database.store().readLog(after, PAGE)) {
                    pages.put(page);
                    after = page.get(page.size() - 1).offset();
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
            pages.put(List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The relay's producer settings (batching, acks, idempotence), without its transactional id. */
    private static Map<String, Object> producerProperties(Map<String, Object> kafkaProperties) {
        Map<String, Object> properties = new HashMap<>(kafkaProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-ceiling");
        return properties;
    }
}
