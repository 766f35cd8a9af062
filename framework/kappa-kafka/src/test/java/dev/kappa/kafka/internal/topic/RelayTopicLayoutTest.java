package dev.kappa.kafka.internal.topic;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kappa.kafka.relay.RelayTopics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayTopicLayoutTest {

    @Test
    void aRouteToTheCompactedTopicIsRefusedNamingBothParts() {
        RelayTopics topics = RelayTopics.defaults().withRoute("customer-", RelayTopics.DEFAULT_COMPACTED);

        assertThatThrownBy(() -> RelayTopicLayout.of(topics)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + RelayTopics.DEFAULT_COMPACTED + "'")
                .hasMessageContaining("compacted topic").hasMessageContaining("retained topic of streams 'customer-*'");
    }

    @Test
    void thePositionTopicSharedWithRecordsIsRefused() {
        RelayTopics topics = new RelayTopics("log", "compacted", "compacted", Map.of(), 3, (short) 1);

        assertThatThrownBy(() -> RelayTopicLayout.of(topics)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position topic");
    }

    @Test
    void routesToTheRetainedTopicAreOneTopic() {
        RelayTopics topics = RelayTopics.defaults().withRoute("order-", "orders").withRoute("invoice-", "orders");

        assertThat(RelayTopicLayout.of(topics).names()).containsExactly(RelayTopics.DEFAULT_RETAINED, "orders",
                RelayTopics.DEFAULT_COMPACTED, RelayTopics.DEFAULT_POSITION);
    }
}
