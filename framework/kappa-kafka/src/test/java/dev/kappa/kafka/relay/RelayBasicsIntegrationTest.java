package dev.kappa.kafka.relay;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.kafka.testing.RelayedLog;

import static dev.kappa.kafka.relay.RelayTestEvents.deposited;
import static dev.kappa.kafka.relay.RelayTestEvents.profileChanged;
import static dev.kappa.kafka.relay.RelayTestEvents.profileErased;
import static org.assertj.core.api.Assertions.assertThat;

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
        KafkaRelay relay = closeAfterTest(relay(topics, "basics").batchSize(100).build());
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
    }
}
