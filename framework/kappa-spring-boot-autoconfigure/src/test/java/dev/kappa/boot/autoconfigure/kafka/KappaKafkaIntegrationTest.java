package dev.kappa.boot.autoconfigure.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import dev.kappa.boot.autoconfigure.actuate.KafkaStatus;
import dev.kappa.boot.autoconfigure.actuate.KappaActuatorAutoConfiguration;
import dev.kappa.boot.autoconfigure.actuate.KappaEndpoint;
import dev.kappa.boot.autoconfigure.projections.KappaProjectionsAutoConfiguration;
import dev.kappa.boot.autoconfigure.sample.SampleAccount;
import dev.kappa.boot.autoconfigure.store.KappaStoreAutoConfiguration;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.ExpectedVersion;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.NewEvent;
import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.RelayState;
import dev.kappa.kafka.view.CompactedView;
import dev.kappa.postgres.embedded.junit.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configured relay and views on a real KRaft broker and PostgreSQL: the relay publishes to the topics
 * {@code kappa.kafka.topics.*} name, routes included; a topic with the wrong cleanup policy stops the start; a view
 * made with {@link CompactedViews} loads its topic and shows in the endpoint. (The relay's and views' own guarantees
 * are kappa-kafka's tests; this is about what the properties and the context make of them.)
 */
class KappaKafkaIntegrationTest {

    private static EmbeddedKafkaKraftBroker broker;
    private static TestDatabase database;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KappaStoreAutoConfiguration.class,
                    KappaProjectionsAutoConfiguration.class, KappaKafkaAutoConfiguration.class,
                    KappaActuatorAutoConfiguration.class))
            .withBean(DataSource.class, () -> new DelegatingDataSource(database.dataSource()))
            .withPropertyValues("kappa.aggregates.packages=dev.kappa.boot.autoconfigure.sample",
                    "management.endpoints.web.exposure.include=kappa", "kappa.kafka.relay.enabled=true",
                    "kappa.kafka.topics.partitions=2");

    @BeforeAll
    static void start() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1", "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        // the broker names itself in system properties, which would turn Kafka on in every later test of this JVM
        System.clearProperty("spring.kafka.bootstrap-servers");
        System.clearProperty("spring.embedded.kafka.brokers");
        database = TestDatabase.create();
    }

    @AfterAll
    static void stop() {
        broker.destroy();
        database.close();
    }

    @Test
    void theRelayPublishesToTheTopicsThePropertiesNameRoutesIncluded() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "kappa.kafka.relay.transactional-id=routes-relay", "kappa.kafka.topics.retained=routes.log",
                        "kappa.kafka.topics.compacted=routes.latest", "kappa.kafka.topics.position=routes.position",
                        "kappa.kafka.topics.routes.notes-=routes.notes")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    EventStore store = context.getBean(EventStore.class);
                    String id = "routes-" + System.nanoTime();

                    // when the application appends to a stream of its own, a routed stream and a compaction key
                    store.append("sample-" + id, ExpectedVersion.noStream(),
                            List.of(NewEvent.of(new SampleAccount.Opened(id, "Ada"))));
                    store.append("notes-" + id, ExpectedVersion.noStream(),
                            List.of(NewEvent.of(new SampleAccount.Noted("routed"))));
                    store.append("profile-" + id, ExpectedVersion.any(), List.of(
                            NewEvent.of(new SampleAccount.Noted("latest")).withCompactionKey("profile:" + id)));

                    // then each record is on the topic the properties route it to, keyed as docs/kafka.md says
                    await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
                        assertThat(keys("routes.log")).contains("sample-" + id).doesNotContain("notes-" + id);
                        assertThat(keys("routes.notes")).contains("notes-" + id);
                        assertThat(keys("routes.latest")).contains("profile:" + id);
                    });
                    assertThat(partitions("routes.log")).isEqualTo(2);
                    assertThat(context.getBean(KafkaRelay.class).status().state())
                            .isIn(RelayState.CAUGHT_UP, RelayState.RELAYING);
                });
    }

    @Test
    void aTopicWithTheWrongCleanupPolicyStopsTheStartNamingIt() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic("compacted.by.mistake", 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get();
        }

        runner.withPropertyValues("spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "kappa.kafka.relay.transactional-id=mistaken-relay",
                        "kappa.kafka.topics.retained=compacted.by.mistake")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("compacted.by.mistake"));
    }

    @Configuration(proxyBeanMethods = false)
    static class LatestNotes {
        @Bean
        CompactedView<String> latestNotes(CompactedViews views) {
            return views.view("latest-notes", "views.latest", LogRecord::payload);
        }
    }

    @Test
    void aViewMadeWithCompactedViewsLoadsItsTopicAndShowsInTheEndpoint() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "kappa.kafka.relay.transactional-id=views-relay", "kappa.kafka.topics.retained=views.log",
                        "kappa.kafka.topics.compacted=views.latest", "kappa.kafka.topics.position=views.position")
                .withUserConfiguration(LatestNotes.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    EventStore store = context.getBean(EventStore.class);
                    String key = "note:" + System.nanoTime();

                    store.append("notes-" + key, ExpectedVersion.any(), List.of(
                            NewEvent.of(new SampleAccount.Noted("first")).withCompactionKey(key),
                            NewEvent.of(new SampleAccount.Noted("second")).withCompactionKey(key)));

                    @SuppressWarnings("unchecked")
                    CompactedView<String> view = context.getBean("latestNotes", CompactedView.class);
                    await().atMost(Duration.ofSeconds(45)).untilAsserted(() ->
                            assertThat(view.get(key)).hasValueSatisfying(value ->
                                    assertThat(value).contains("second")));
                    List<KafkaStatus.View> shown = context.getBean(KappaEndpoint.class).report().views();
                    assertThat(shown).singleElement().satisfies(status -> {
                        assertThat(status.name()).isEqualTo("latest-notes");
                        assertThat(status.topic()).isEqualTo("views.latest");
                        assertThat(status.ready()).isTrue();
                        assertThat(status.keys()).isPositive();
                    });
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class ViewOfAMissingTopic {
        @Bean
        CompactedView<String> notYetRelayed(CompactedViews views) {
            return views.view("not-yet-relayed", "not.yet.relayed", LogRecord::payload);
        }
    }

    @Test
    void aViewOfATopicNotYetCreatedLeavesItForTheRelayToCreate() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "kappa.kafka.relay.enabled=false")
                .withUserConfiguration(ViewOfAMissingTopic.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    @SuppressWarnings("unchecked")
                    CompactedView<String> view = context.getBean("notYetRelayed", CompactedView.class);

                    // once the view has looked for its topic and said it is missing
                    await().atMost(Duration.ofSeconds(30)).until(() -> view.status().error() != null);

                    // it has not made the broker create it (with the broker's default policy, delete, which the
                    // relay would then refuse for a compacted topic)
                    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                            broker.getBrokersAsString()))) {
                        assertThat(admin.listTopics().names().get()).doesNotContain("not.yet.relayed");
                    }
                });
    }

    /** The keys of every committed record of {@code topic}, from its start. */
    private static List<String> keys(String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
            List<String> keys = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(record.key());
                }
            }
            return keys;
        }
    }

    private static int partitions(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            return admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
    }
}
