package dev.kappa.kafka.relay;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.kafka.testing.RelayedLog;

import static dev.kappa.kafka.relay.RelayTestEvents.deposited;
import static dev.kappa.kafka.relay.RelayTestEvents.profileChanged;
import static dev.kappa.kafka.relay.RelayTestEvents.profileErased;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a relay publishes, where, and what it reports. */
class RelayBasicsIntegrationTest extends RelayIntegrationTest {

    RelayBasicsIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void everyLogRecordReachesItsTopicOnceWithItsHeadersAndTombstonesAsNullValues() {
        // given a log with plain, keyed and tombstone records
        for (int i = 1; i <= 500; i++) {
            append("account-" + i % 7, deposited(i));
            if (i % 10 == 0) {
                append("customer-" + i % 3, profileChanged("customer:" + i % 3, "name " + i));
            }
            if (i % 50 == 0) {
                append("customer-" + i % 3, profileErased("customer:" + i % 3));
            }
        }
        RelayTopics topics = topics("basics");

        // when a relay runs until it has relayed the head
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        KafkaRelay relay = closeAfterTest(relay(topics, "basics").batchSize(100).meterRegistry(meters).build());
        relay.start();
        long head = awaitRelayed(relay);

        // then the topics equal the log, and the relay says it caught up
        RelayedLog relayed = readBack(topics);
        relayed.assertEqualsLog(store, topics);
        assertThat(relayed.size()).isEqualTo(head);
        RelayStatus status = relay.status();
        assertThat(status.relayedOffset()).isEqualTo(head);
        assertThat(status.error()).isNull();
        assertThat(status.state()).isIn(RelayState.RELAYING, RelayState.CAUGHT_UP);
        assertThat(status.eventsPerSecond()).isPositive();
        // and its metrics say the same
        assertThat(meters.get("kappa.relay.offset").tag("relay", "basics").gauge().value()).isEqualTo(head);
        assertThat(meters.get("kappa.relay.records").tag("relay", "basics").counter().count()).isEqualTo(head);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(meters.get("kappa.relay.lag").tag("relay", "basics").gauge().value()).isZero();
            assertThat(meters.get("kappa.relay.state").tags("relay", "basics", "state", "CAUGHT_UP").gauge().value())
                    .isEqualTo(1);
        });
        assertThat(meters.get("kappa.relay.state").tags("relay", "basics", "state", "STANDBY").gauge().value())
                .isZero();
    }

    @Test
    void aRestartedRelayContinuesFromItsPositionWithoutDuplicates() {
        // given a relay that relayed 60,000 events and was closed
        appendDeposits(60_000);
        RelayTopics topics = topics("restart");
        KafkaRelay first = closeAfterTest(relay(topics, "restart").build());
        long started = System.nanoTime();
        first.start();
        long relayedFirst = awaitRelayed(first);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("relay rate: %d records in %.2f s = %.0f records/s (including topic creation and start)%n",
                relayedFirst, seconds, relayedFirst / seconds);
        first.close();

        // when more events are appended and a new relay of the same transactional id starts
        appendDeposits(20_000);
        KafkaRelay second = closeAfterTest(relay(topics, "restart").build());
        second.start();
        long head = awaitRelayed(second);

        // then the topics hold every record once: the second relay started where the first stopped
        RelayedLog relayed = readBack(topics);
        assertThat(relayed.size()).isEqualTo(head).isEqualTo(80_000);
        relayed.assertEqualsLog(store, topics);
    }

    @Test
    void largeEventsAreRelayedInSmallerTransactions() {
        // given 40 events of about 400 KB each: 16 MB, more than a page holds
        String large = "x".repeat(400 * 1024);
        for (int i = 0; i < 40; i++) {
            append("large-" + i % 3, NewEvent.of(new RelayTestEvents.ProfileChanged(large + i)));
        }
        RelayTopics topics = topics("large");

        // when a relay with the default batch size relays them
        KafkaRelay relay = closeAfterTest(relay(topics, "large").build());
        relay.start();
        long head = awaitRelayed(relay);

        // then they all arrive, in more than one transaction (one position record each)
        RelayedLog relayed = readBack(topics);
        assertThat(relayed.size()).isEqualTo(head).isEqualTo(40);
        relayed.assertEqualsLog(store, topics);
        assertThat(RelayedLog.read(broker.bootstrapServers(), List.of(topics.position())).size()).isGreaterThan(1);
    }

    private void appendDeposits(int count) {
        for (int i = 0; i < count; i += 100) {
            List<NewEvent> events = new ArrayList<>();
            for (int e = 0; e < 100; e++) {
                events.add(deposited(i + e));
            }
            store.append("account-" + i % 1_000, ExpectedVersion.any(), events);
        }
    }
}
