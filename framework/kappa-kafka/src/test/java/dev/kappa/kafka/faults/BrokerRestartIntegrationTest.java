package dev.kappa.kafka.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.RelayTopics;
import dev.kappa.kafka.testing.KafkaServerProcess;
import dev.kappa.kafka.testing.RelayedLog;
import dev.kappa.postgres.embedded.junit.TestDatabase;

/**
 * The broker stopped (SIGTERM) and restarted, then killed (SIGKILL) and restarted, under a running relay while
 * writers append: once the relay has caught up, the topics hold every log record exactly once.
 */
class BrokerRestartIntegrationTest {

    private static final long EVENTS = 100_000;

    private static KafkaServerProcess kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaServerProcess.builder(Path.of("target", "faults", "broker-restart-kafka")).build();
        kafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void aBrokerStoppedOrKilledAndRestartedUnderARunningRelayLeavesEveryLogRecordInTheTopicsExactlyOnce()
            throws Exception {
        RelayTopics topics = FaultRelays.topics("restart");
        try (TestDatabase database = TestDatabase.create();
             TopicWatch watch = new TopicWatch(kafka.bootstrapServers(), List.of(topics.retained(),
                     topics.compacted(), topics.routes().get(LogWriters.ROUTED_PREFIX)))) {
            KappaSchema.migrate(database.dataSource());
            try (EventStore store = FaultRelays.store(database.dataSource());
                 KafkaRelay relay = FaultRelays.relay(database.dataSource(), store, kafka.bootstrapServers(), topics,
                         "faults-restart", "only")) {
                // given a relay running while writers append
                LogWriters writers = LogWriters.start(store, 4, EVENTS);
                relay.start();
                long committed = awaitCommittedBeyond(watch, 0, "before the stop");

                // when the broker stops, stays away while the writers go on, and comes back; then is killed
                kafka.stop();
                long appendedWhileAway = writers.appended() + 5_000;
                Awaitility.await("appends while the broker is away").atMost(Duration.ofMinutes(1))
                        .until(() -> writers.appended() >= appendedWhileAway || writers.finished());
                kafka.start();
                committed = awaitCommittedBeyond(watch, committed, "after the restart");
                kafka.kill();
                kafka.start();
                awaitCommittedBeyond(watch, committed, "after the kill");
                Awaitility.await("the writers appending " + EVENTS + " events").atMost(Duration.ofMinutes(2))
                        .until(writers::finished);
                writers.stop();
                FaultRelays.awaitCaughtUp(relay, store, Duration.ofMinutes(3));
            }

            // then the topics hold the log, record by record
            try (EventStore reader = FaultRelays.store(database.dataSource())) {
                assertThat(reader.head()).isGreaterThanOrEqualTo(EVENTS);
                RelayedLog.read(kafka.bootstrapServers(), topics).assertEqualsLog(reader, topics);
            }
        }
    }

    /** Waits until the topics' committed records reach beyond {@code before}; returns how far they reach. */
    private static long awaitCommittedBeyond(TopicWatch watch, long before, String when) {
        return Awaitility.await("the relay committing records " + when).atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100)).until(watch::committedEnd, end -> end > before);
    }
}
