package dev.kappa.kafka.relay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import static dev.kappa.kafka.relay.RelayTestEvents.deposited;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The relay's topics: created as the relay needs them, refused when they are not, watched while it runs. */
class RelayTopicsIntegrationTest extends RelayIntegrationTest {

    RelayTopicsIntegrationTest(DataSource dataSource) {
        super(dataSource);
    }

    @Test
    void startCreatesAbsentTopicsWithTheirPoliciesAndPartitions() throws Exception {
        // given topics that do not exist, one route among them
        RelayTopics topics = topics("created").withRoute("order-", "created-orders");

        // when a relay starts
        KafkaRelay relay = closeAfterTest(relay(topics, "created").build());
        relay.start();

        // then each exists with the policy and partitions the relay needs
        try (Admin admin = Admin.create(broker.clientProperties())) {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(topics.retained(),
                    topics.compacted(), topics.position(), "created-orders")).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(described.get(topics.retained()).partitions()).hasSize(3);
            assertThat(described.get(topics.compacted()).partitions()).hasSize(3);
            assertThat(described.get("created-orders").partitions()).hasSize(3);
            assertThat(described.get(topics.position()).partitions()).hasSize(1);
            assertThat(config(admin, topics.retained(), TopicConfig.CLEANUP_POLICY_CONFIG)).isEqualTo("delete");
            assertThat(config(admin, topics.retained(), TopicConfig.RETENTION_MS_CONFIG)).isEqualTo("-1");
            assertThat(config(admin, "created-orders", TopicConfig.CLEANUP_POLICY_CONFIG)).isEqualTo("delete");
            assertThat(config(admin, "created-orders", TopicConfig.RETENTION_MS_CONFIG)).isEqualTo("-1");
            assertThat(config(admin, topics.compacted(), TopicConfig.CLEANUP_POLICY_CONFIG)).isEqualTo("compact");
            assertThat(config(admin, topics.position(), TopicConfig.CLEANUP_POLICY_CONFIG)).isEqualTo("compact");
        }
        // and routed streams go to their topic
        append("order-1", deposited(1));
        append("account-1", deposited(2));
        awaitRelayed(relay);
        readBack(topics).assertEqualsLog(store, topics);
        assertThat(readBack(topics).recordsByPartition().keySet()).anyMatch(p -> p.topic().equals("created-orders"));
    }

    @Test
    void anExistingTopicWithTheWrongCleanupPolicyFailsStartNamingTopicPolicyAndRemedy() throws Exception {
        // given the retained topic exists already, compacted
        RelayTopics topics = topics("wrong-policy");
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topics.retained(), 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")))).all().get(30, TimeUnit.SECONDS);
        }

        // when a relay starts, then start fails with an error that says which topic, what is wrong and what to do
        KafkaRelay relay = closeAfterTest(relay(topics, "wrong-policy").build());
        assertThatThrownBy(relay::start).isInstanceOf(RelayTopicException.class)
                .hasMessageContaining("'" + topics.retained() + "'")
                .hasMessageContaining("cleanup.policy=compact")
                .hasMessageContaining("needs cleanup.policy=delete")
                .hasMessageContaining("kafka-configs.sh")
                .satisfies(e -> assertThat(((RelayTopicException) e).topic()).isEqualTo(topics.retained()));
        assertThat(relay.status().state()).isEqualTo(RelayState.FAILED);
        assertThat(relay.status().error()).contains(topics.retained());
    }

    @Test
    void aRetainedTopicDeletedUnderARunningRelayFailsItWithAClearErrorInsteadOfRecreatingIt() throws Exception {
        // given a relay that relayed some records
        RelayTopics topics = topics("deleted");
        KafkaRelay relay = closeAfterTest(relay(topics, "deleted").build());
        relay.start();
        for (int i = 0; i < 100; i++) {
            append("account-" + i % 5, deposited(i));
        }
        awaitRelayed(relay);

        // when its retained topic is deleted while records keep coming
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.deleteTopics(List.of(topics.retained())).all().get(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 100; i++) {
            append("account-" + i % 5, deposited(i));
        }

        // then the relay stops, FAILED, saying which topic went, that its records are gone and how to recover
        await().atMost(PATIENCE).until(() -> relay.status().state() == RelayState.FAILED);
        assertThat(relay.status().error()).contains("'" + topics.retained() + "'").contains("was deleted")
                .contains("relayed records it held are gone").contains("relays the whole log from offset 0");
        // and it stays so
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> relay.status().state() == RelayState.FAILED);
    }

    @Test
    void aPositionBeyondTheLogsHeadFailsTheRelayInsteadOfReusingOffsetsKafkaHolds() {
        // given topics that a relay filled with 100 records, and a log emptied since (a database restored, say)
        RelayTopics topics = topics("behind");
        KafkaRelay first = closeAfterTest(relay(topics, "behind").build());
        first.start();
        for (int i = 0; i < 100; i++) {
            append("account-" + i % 5, deposited(i));
        }
        awaitRelayed(first);
        first.close();
        jdbc.execute("TRUNCATE kappa_log, kappa_streams CASCADE; UPDATE kappa_log_head SET head = 0");
        append("account-1", deposited(1));

        // when a relay of the same transactional id starts on these topics
        KafkaRelay second = closeAfterTest(relay(topics, "behind").build());
        second.start();

        // then it fails, saying why and what to do, and relays nothing
        await().atMost(PATIENCE).until(() -> second.status().state() == RelayState.FAILED);
        assertThat(second.status().error()).contains("'" + topics.position() + "'")
                .contains("log offset 100 was relayed").contains("head is 1").contains("to relay it from offset 0");
        assertThat(readBack(topics).size()).isEqualTo(100);
    }

    private static String config(Admin admin, String topic, String name) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        return config.get(name).value();
    }
}
