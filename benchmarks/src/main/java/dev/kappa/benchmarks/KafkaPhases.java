package dev.kappa.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.kappa.benchmarks.BenchmarkOptions.Phase;
import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.RelayTopics;
import dev.kappa.kafka.testing.KafkaServerProcess;
import dev.kappa.projections.ProjectionRuntime;

/**
 * The Kafka phases, on a broker of their own: Apache Kafka's server in a child JVM (one node, KRaft, its defaults but
 * for one node's replication settings, a fresh log directory in a temporary directory), started before and killed
 * after. In order: the producer ceiling, relay, kafka-rebuild, kafka-latency; each after the first uses what the one
 * before left running.
 */
record KafkaPhases(BenchmarkOptions options, BenchmarkReport report) {

    /** The relay's topics in the benchmark: every bank event goes to the retained one. */
    static RelayTopics topics(int partitions) {
        return new RelayTopics(KafkaBalanceProjection.TOPIC, "bank.log.compacted", "bank.relay.position", Map.of(),
                partitions, (short) 1);
    }

    /** Runs the phases asked for; {@code expectedBalance} is what the log's balances add up to now. */
    void run(BankDatabase database, long expectedBalance) throws Exception {
        Path directory = Files.createTempDirectory("kappa-bench-kafka");
        try (KafkaServerProcess kafka = KafkaServerProcess.builder(directory).build()) {
            long started = System.nanoTime();
            kafka.start();
            report.note("kafka: Apache Kafka's server in its own JVM (pid %d, -Xmx384m) started in %.1f s; its log:"
                    + " %s", kafka.pid(), (System.nanoTime() - started) / 1e9, kafka.logFile());
            Map<String, Object> kafkaProperties = Map.of("bootstrap.servers", kafka.bootstrapServers());
            RelayTopics topics = topics(options.kafkaPartitions());
            CpuUsage cpu = new CpuUsage(kafka.pid(), database.postmaster());
            double ceiling = new ProducerCeiling(options, report).run(database, kafkaProperties, topics, cpu);
            try (KafkaRelay relay = new RelayPhase(options, report).run(database, kafkaProperties, topics, ceiling,
                    cpu)) {
                if (options.runs(Phase.KAFKA_REBUILD)) {
                    try (ProjectionRuntime runtime = new KafkaRebuildPhase(options, report)
                            .run(database, kafkaProperties, topics, expectedBalance, cpu)) {
                        if (options.runs(Phase.KAFKA_LATENCY)) {
                            CpuUsage.Sample before = cpu.sample();
                            LatencyPhase.throughKafka(options, report).run(database, runtime, expectedBalance,
                                    database.store().head());
                            report.note("kafka-latency: %s", CpuUsage.describe(before, cpu.sample(), 6));
                        }
                    }
                }
            }
        }
    }
}
