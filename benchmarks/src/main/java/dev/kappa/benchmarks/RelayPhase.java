package dev.kappa.benchmarks;

import java.time.Duration;
import java.util.Map;

import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.RelayState;
import dev.kappa.kafka.relay.RelayStatus;
import dev.kappa.kafka.relay.RelayTopics;

/**
 * Phase relay: the log bulk-append filled (and whatever the phases before added), relayed to Kafka by
 * {@link KafkaRelay} from a standing start: from {@code start()} (topics created, the position read, the election
 * won) until its status reports the log's head as relayed, each record exactly once in a Kafka transaction with the
 * relay's position. Figure: events per second, beside the producer ceiling measured just before.
 *
 * <p>The relay keeps running afterwards: the kafka-latency phase uses it live.
 */
record RelayPhase(BenchmarkOptions options, BenchmarkReport report) {

    private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(30);

    KafkaRelay run(BankDatabase database, Map<String, Object> kafkaProperties, RelayTopics topics,
                   double ceilingRate, CpuUsage cpu) throws InterruptedException {
        KafkaRelay relay = KafkaRelay.builder(database.dataSource(), database.store(), database.store())
                .kafkaProperties(kafkaProperties).topics(topics).transactionalId("bank-relay").instanceId("bench")
                .build();
        long head = database.store().head();
        database.checkpoint();
        CpuUsage.Sample before = cpu.sample();
        long started = System.nanoTime();
        relay.start();
        RelayStatus status = awaitRelayed(relay, head);
        long nanos = System.nanoTime() - started;
        String usage = CpuUsage.describe(before, cpu.sample(), 4);
        double rate = head * 1e9 / nanos;
        report.figure("relay", rate, "events/s");
        report.note("relay: %d events in %.2f s, %.0f%% of the producer ceiling's %.0f records/s", head, nanos / 1e9,
                100 * rate / ceilingRate, ceilingRate);
        report.note("relay: %s", usage);
        report.check("relay.relayedOffset", head, status.relayedOffset());
        return relay;
    }

    private static RelayStatus awaitRelayed(KafkaRelay relay, long head) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP_LIMIT.toNanos();
        while (true) {
            RelayStatus status = relay.status();
            if (status.relayedOffset() >= head) {
                return status;
            }
            if (status.state() == RelayState.FAILED || System.nanoTime() > deadline) {
                relay.close();
                throw new IllegalStateException("the relay did not reach log offset " + head + " (within "
                        + CATCH_UP_LIMIT + "): " + status);
            }
            Thread.sleep(5);
        }
    }
}
