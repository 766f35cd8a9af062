package dev.kappa.kafka.relay;

import static dev.kappa.kafka.relay.RelayTestEvents.profileChanged;
import static dev.kappa.kafka.relay.RelayTestEvents.profileErased;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.kappa.eventstore.LogRecord;
import dev.kappa.kafka.view.CompactedView;

/** The essay's second use: every instance loads the relayed compacted topic from offset zero into memory. */
class RelayedCompactedViewIntegrationTest extends RelayIntegrationTest {

    RelayedCompactedViewIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void aViewLoadedFromTheRelayedCompactedTopicHoldsExactlyTheLatestValuePerKey() throws Exception {
        // given keyed records, superseded and deleted, relayed to the compacted topic
        Map<String, String> latest = new HashMap<>();
        for (int i = 1; i <= 600; i++) {
            String key = "customer:" + i % 40;
            if (i % 9 == 0) {
                append("customer-" + i % 40, profileErased(key));
                latest.remove(key);
            } else {
                append("customer-" + i % 40, profileChanged(key, "name " + i));
                latest.put(key, "name " + i);
            }
        }
        RelayTopics topics = topics("view");
        KafkaRelay relay = closeAfterTest(relay(topics, "view").batchSize(50).build());
        relay.start();
        awaitRelayed(relay);

        // when two instances each load a view of it from zero
        try (CompactedView<String> first = view(topics); CompactedView<String> second = view(topics)) {
            first.start();
            second.start();

            // then each holds exactly the latest value of every key not deleted
            assertThat(first.awaitReady(PATIENCE)).isTrue();
            assertThat(second.awaitReady(PATIENCE)).isTrue();
            assertThat(first.asMap()).containsExactlyInAnyOrderEntriesOf(latest);
            assertThat(second.asMap()).containsExactlyInAnyOrderEntriesOf(latest);

            // and follows what is relayed after it loaded
            append("customer-0", profileChanged("customer:0", "renamed"));
            append("customer-1", profileErased("customer:1"));
            latest.put("customer:0", "renamed");
            latest.remove("customer:1");
            await().atMost(PATIENCE).untilAsserted(() ->
                    assertThat(first.asMap()).containsExactlyInAnyOrderEntriesOf(latest));
        }
    }

    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

    private CompactedView<String> view(RelayTopics topics) {
        return CompactedView.builder(topics.compacted(), RelayedCompactedViewIntegrationTest::name)
                .kafkaProperties(broker.clientProperties()).build();
    }

    /** The name from the ProfileChanged JSON, without the bank's classes: a view sees only JSON. */
    private static String name(LogRecord record) {
        Matcher name = NAME.matcher(record.payload());
        assertThat(name.find()).as("a name in %s", record.payload()).isTrue();
        return name.group(1);
    }

}
