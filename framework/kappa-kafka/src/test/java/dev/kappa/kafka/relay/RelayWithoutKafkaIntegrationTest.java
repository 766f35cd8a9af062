package dev.kappa.kafka.relay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.kafka.testing.KafkaTestBroker;
import dev.kappa.kafka.testing.RelayedLog;
import dev.kappa.kafka.testing.TcpGate;
import dev.kappa.postgres.embedded.junit.TestDatabaseExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A relay whose Kafka cannot be reached: it says so and retries, and never holds up the application. */
@ExtendWith(TestDatabaseExtension.class)
class RelayWithoutKafkaIntegrationTest {

    @BeforeAll
    static void migrate(DataSource dataSource) {
        KappaSchema.migrate(dataSource);
    }

    @Test
    void anUnreachableBrokerAtStartIsReportedAndRetriedWithoutAnExceptionAndCloseReturnsPromptly(
            DataSource dataSource) {
        // given bootstrap servers where no broker listens
        startsWaitingForKafkaAndClosesPromptly(dataSource, "localhost:1");
    }

    @Test
    void anUnresolvableBrokerHostAtStartIsReportedAndRetriedWithoutAnException(DataSource dataSource) {
        // given bootstrap servers whose host name does not resolve
        startsWaitingForKafkaAndClosesPromptly(dataSource, "no-such-broker.invalid:9092");
    }

    @Test
    void aRelayStartedBeforeItsBrokerCreatesTheTopicsAndRelaysOnceTheBrokerIsUp(DataSource dataSource)
            throws Exception {
        // given a log, and a relay bootstrapping through an address where nothing listens yet
        try (EventStore store = EventStore.builder(dataSource).codec(RelayTestEvents.codec()).build();
             TcpGate gate = TcpGate.closed()) {
            for (int i = 0; i < 1_000; i++) {
                store.append("account-" + i % 10, ExpectedVersion.any(), List.of(RelayTestEvents.deposited(i)));
            }
            RelayTopics topics = new RelayTopics("late.log", "late.compacted", "late.position", Map.of(), 2,
                    (short) 1);
            KafkaRelay relay = KafkaRelay.builder(dataSource, store, store)
                    .kafkaProperties(Map.of("bootstrap.servers", gate.address())).topics(topics)
                    .transactionalId("late").retryInterval(Duration.ofMillis(200)).build();
            KafkaTestBroker broker = null;
            try {
                relay.start();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> relay.status().state() == RelayState.WAITING_FOR_KAFKA);

                // when the broker comes up behind that address
                broker = KafkaTestBroker.start();
                gate.open(Integer.parseInt(broker.bootstrapServers().replaceAll(".*:", "")));

                // then the relay creates its topics and relays the whole log
                await().atMost(Duration.ofSeconds(90)).until(() -> relay.status().relayedOffset() == store.head());
                assertThat(relay.status().error()).isNull();
                RelayedLog.read(broker.bootstrapServers(), topics).assertEqualsLog(store, topics);
            } finally {
                relay.close();
                if (broker != null) {
                    broker.stop();
                }
            }
        }
    }

    private static void startsWaitingForKafkaAndClosesPromptly(DataSource dataSource, String servers) {
        try (EventStore store = EventStore.builder(dataSource).codec(RelayTestEvents.codec()).build()) {
            KafkaRelay relay = KafkaRelay.builder(dataSource, store, store)
                    .kafkaProperties(Map.of("bootstrap.servers", servers)).transactionalId("unreachable")
                    .retryInterval(Duration.ofMillis(200)).build();

            // when it starts, then start returns (no exception) and the relay waits for Kafka, saying where and why
            long started = System.nanoTime();
            relay.start();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> relay.status().state() == RelayState.WAITING_FOR_KAFKA);
            assertThat(relay.status().error()).contains(servers).contains("cannot be reached")
                    .contains("bootstrap.servers");
            assertThat(relay.status().relayedOffset()).isEqualTo(-1);

            // and close returns within its bound although Kafka is away
            long closing = System.nanoTime();
            relay.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(15));
            assertThat(relay.status().state()).isEqualTo(RelayState.STOPPED);
        }
    }
}
