package dev.kappa.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * The ceiling for the relay: a plain idempotent producer ({@code acks=all}, no transactions, the relay's batching
 * settings) sending the same records — the log's, mapped by the relay's own mapping ({@link KafkaRecords#toKafka}),
 * so the same keys, values and headers — to a topic with the same partitions and policy as the relay's retained
 * topic. The log is read into memory before the timing starts (that read is timed apart and reported as a note); the
 * timing covers mapping each record and sending it, as any producer of these records must, until the last is
 * acknowledged. The time the mapping took is reported apart.
 *
 * <p>Not thread-safe; one run.
 */
record ProducerCeiling(BenchmarkOptions options, BenchmarkReport report) {

    static final String TOPIC = "bank.ceiling";
    private static final int PAGE = 10_000;

    /** Reads the log, sends it all, and returns the records sent per second. */
    double run(BankDatabase database, Map<String, Object> kafkaProperties, RelayTopics topics, CpuUsage cpu)
            throws Exception {
        try (Admin admin = Admin.create(kafkaProperties)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, topics.partitions(), (short) 1)
                    .configs(Map.of("cleanup.policy", "delete", "retention.ms", "-1")))).all().get(30, TimeUnit.SECONDS);
        }
        long readStarted = System.nanoTime();
        List<LogRecord> records = new ArrayList<>();
        long after = 0;
        for (List<LogRecord> page = database.store().readLog(after, PAGE); !page.isEmpty();
             page = database.store().readLog(after, PAGE)) {
            records.addAll(page);
            after = page.get(page.size() - 1).offset();
        }
        long readNanos = System.nanoTime() - readStarted;
        report.note("relay-ceiling: reading the log's %d records into memory (untimed): %.1f s, %.0f records/s",
                records.size(), readNanos / 1e9, records.size() * 1e9 / readNanos);

        AtomicReference<Exception> failure = new AtomicReference<>();
        long mappingNanos = 0;
        long started;
        long nanos;
        CpuUsage.Sample before = cpu.sample();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(kafkaProperties))) {
            started = System.nanoTime();
            for (LogRecord record : records) {
                long mapping = System.nanoTime();
                ProducerRecord<byte[], byte[]> mapped = KafkaRecords.toKafka(TOPIC, record);
                mappingNanos += System.nanoTime() - mapping;
                producer.send(mapped, (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            nanos = System.nanoTime() - started;
        }
        String usage = CpuUsage.describe(before, cpu.sample(), 4);
        if (failure.get() != null) {
            throw new IllegalStateException("the ceiling's producer failed to send: " + failure.get().getMessage(),
                    failure.get());
        }
        double rate = records.size() * 1e9 / nanos;
        report.figure("relay-ceiling-producer", rate, "records/s");
        report.note("relay-ceiling: %d records mapped and sent in %.2f s by one idempotent producer, acks=all, no"
                + " transaction; the mapping took %.2f s of it", records.size(), nanos / 1e9, mappingNanos / 1e9);
        report.note("relay-ceiling: %s", usage);
        return rate;
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
