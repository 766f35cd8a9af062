package dev.kappa.benchmarks;

import java.time.Duration;
import java.util.Map;

import dev.kappa.kafka.relay.RelayTopics;
import dev.kappa.kafka.source.KafkaRecordSources;
import dev.kappa.projections.CheckpointWait;
import dev.kappa.projections.ProjectionRuntime;

/**
 * Phase kafka-rebuild: {@link KafkaBalanceProjection}, fed from the topic the relay filled, built once, then reset
 * to offset zero and replayed until it has passed the log's head (its positions per partition, kept in PostgreSQL
 * with its rows, read back to log offsets through the relay's headers). Figure: events per second, from the reset
 * call to caught-up. Its table must then hold what {@code account_balance} holds.
 *
 * <p>The runtime keeps running afterwards: the kafka-latency phase uses it live.
 */
record KafkaRebuildPhase(BenchmarkOptions options, BenchmarkReport report) {

    private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(30);

    ProjectionRuntime run(BankDatabase database, Map<String, Object> kafkaProperties, RelayTopics topics,
                          long expectedBalance, CpuUsage cpu) throws InterruptedException {
        ProjectionRuntime runtime = ProjectionRuntime.builder(database.dataSource(), database.store())
                .recordSources(new KafkaRecordSources(kafkaProperties, topics.position())).build();
        runtime.register(new KafkaBalanceProjection(database.dataSource()));
        runtime.start();
        long head = database.store().head();
        long firstStarted = System.nanoTime();
        requireReached(runtime.awaitCheckpoint(KafkaBalanceProjection.NAME, head, CATCH_UP_LIMIT), "first build");
        report.note("kafka-rebuild: the first build (from start-up, untimed) took %.1f s",
                (System.nanoTime() - firstStarted) / 1e9);

        database.checkpoint();
        // as the checkpoint does for PostgreSQL: the first build's garbage is collected now, not in the timed rebuild
        System.gc();
        CpuUsage.Sample before = cpu.sample();
        long started = System.nanoTime();
        runtime.reset(KafkaBalanceProjection.NAME);
        requireReached(runtime.awaitCheckpoint(KafkaBalanceProjection.NAME, head, CATCH_UP_LIMIT), "rebuild");
        long nanos = System.nanoTime() - started;
        String usage = CpuUsage.describe(before, cpu.sample(), 8);
        report.figure("kafka-rebuild", head * 1e9 / nanos, "events/s");
        report.note("kafka-rebuild: %d events from %d partitions in %.2f s", head, topics.partitions(), nanos / 1e9);
        report.note("kafka-rebuild: %s", usage);
        String table = KafkaBalanceProjection.TABLE;
        report.check(table + ".count", options.accounts(), database.queryLong("SELECT count(*) FROM " + table));
        report.check(table + ".sum(balance)", expectedBalance,
                database.queryLong("SELECT coalesce(sum(balance), 0) FROM " + table));
        report.check(table + ".sum(version)", head,
                database.queryLong("SELECT coalesce(sum(version), 0) FROM " + table));
        return runtime;
    }

    private static void requireReached(CheckpointWait wait, String what) {
        if (!wait.reached()) {
            throw new IllegalStateException("the " + what + " of " + KafkaBalanceProjection.NAME + " did not reach"
                    + " the head within " + CATCH_UP_LIMIT + "; it stopped at offset " + wait.checkpoint());
        }
    }
}
