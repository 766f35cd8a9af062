package dev.kappa.boot.autoconfigure.kafka;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import dev.kappa.boot.autoconfigure.actuate.KafkaStatus;
import dev.kappa.boot.autoconfigure.actuate.KappaActuatorAutoConfiguration;
import dev.kappa.boot.autoconfigure.actuate.KappaEndpoint;
import dev.kappa.boot.autoconfigure.projections.KappaProjectionsAutoConfiguration;
import dev.kappa.boot.autoconfigure.store.KappaStoreAutoConfiguration;
import dev.kappa.eventstore.EventStore;
import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.RelayState;
import dev.kappa.kafka.relay.RelayStatus;
import dev.kappa.kafka.relay.RelayTopics;
import dev.kappa.kafka.source.KafkaRecordSources;
import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;
import dev.kappa.projections.ProjectionRuntime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kappa's Kafka parts turn on with Kafka configured the Spring Boot way, and only then; the relay only where
 * {@code kappa.kafka.relay.enabled} says so. No broker is needed: nothing here connects until a relay or a source
 * runs (those are tested with a broker in kappa-kafka and in the example applications).
 */
class KappaKafkaAutoConfigurationTest {

    private static TestDatabase database;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KappaStoreAutoConfiguration.class,
                    KappaProjectionsAutoConfiguration.class, KappaKafkaAutoConfiguration.class,
                    KappaActuatorAutoConfiguration.class))
            // a delegate, so that closing one test's context does not close the shared pool
            .withBean(DataSource.class, () -> new DelegatingDataSource(database.dataSource()))
            .withPropertyValues("kappa.aggregates.packages=dev.kappa.boot.autoconfigure.sample",
                    "management.endpoints.web.exposure.include=kappa");

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void withoutKafkaConfiguredThereIsNoKafkaBeanAndTheApplicationStartsAsBefore() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(EventStore.class).hasSingleBean(ProjectionRuntime.class)
                    .hasSingleBean(KappaEndpoint.class);
            assertThat(context).doesNotHaveBean(KafkaRelay.class).doesNotHaveBean(KafkaRecordSources.class)
                    .doesNotHaveBean(CompactedViews.class).doesNotHaveBean(KafkaStatus.class)
                    .doesNotHaveBean(KappaRelayHealthIndicator.class).doesNotHaveBean(KappaKafkaTopicsProperties.class);
            assertThat(context.getBean(KappaEndpoint.class).report().relay()).isNull();
            assertThat(context.getBean(KappaEndpoint.class).report().views()).isEmpty();
        });
    }

    @Test
    void anEmptyBootstrapServersSettingIsNoKafka() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(KafkaRecordSources.class));
    }

    @Test
    void withKafkaConfiguredProjectionsGetKafkaSourcesAndViewsAFactoryButNoRelayUnlessAskedFor() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=localhost:9092").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(KafkaRecordSources.class)
                    .hasSingleBean(CompactedViews.class).hasSingleBean(CompactedViewsReadiness.class)
                    .hasSingleBean(KafkaStatus.class).hasBean("kappaKafkaProjections");
            assertThat(context).doesNotHaveBean(KafkaRelay.class).doesNotHaveBean(RelayLifecycle.class)
                    .doesNotHaveBean(KappaRelayHealthIndicator.class);
            assertThat(context.getBean(KappaEndpoint.class).report().relay()).as("no relay here").isNull();
        });
    }

    @Test
    void bootstrapServersGivenAsAListTurnKafkaOnToo() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers[0]=broker-1:9092",
                "spring.kafka.bootstrap-servers[1]=broker-2:9092").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(KafkaRecordSources.class));
    }

    @Test
    void theTopicSettingsHaveTheDocumentedDefaultsAndMakeTheRelaysTopics() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=localhost:9092").run(context -> {
            assertThat(context.getBean(KappaKafkaRelayProperties.class))
                    .isEqualTo(new KappaKafkaRelayProperties(false, "kappa-relay", 10_000));
            KappaKafkaTopicsProperties topics = context.getBean(KappaKafkaTopicsProperties.class);
            assertThat(topics.relayTopics()).isEqualTo(RelayTopics.defaults());
            assertThat(context.getBean(KappaKafkaViewsProperties.class).readinessTimeout())
                    .isEqualTo(java.time.Duration.ofMinutes(10));
        });
    }

    @Test
    void routesAndTopicsAreBoundFromProperties() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=localhost:9092",
                "kappa.kafka.topics.retained=bank.log", "kappa.kafka.topics.compacted=bank.latest",
                "kappa.kafka.topics.position=bank.position", "kappa.kafka.topics.partitions=12",
                "kappa.kafka.topics.replication-factor=3", "kappa.kafka.topics.routes.customer-=bank.customers",
                "kappa.kafka.topics.routes[Account-]=bank.accounts",
                "kappa.kafka.relay.transactional-id=bank-relay", "kappa.kafka.relay.batch-size=500").run(context -> {
            RelayTopics topics = context.getBean(KappaKafkaTopicsProperties.class).relayTopics();

            assertThat(topics).isEqualTo(new RelayTopics("bank.log", "bank.latest", "bank.position",
                    Map.of("customer-", "bank.customers", "Account-", "bank.accounts"), 12, (short) 3));
            assertThat(context.getBean(KappaKafkaRelayProperties.class))
                    .isEqualTo(new KappaKafkaRelayProperties(false, "bank-relay", 500));
        });
    }

    @Test
    void aTopicNameKafkaDoesNotAllowStopsTheStartNamingTheProperties() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=localhost:9092",
                        "kappa.kafka.topics.retained=bank log")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("kappa.kafka.topics")
                            .hasStackTraceContaining("retained topic 'bank log' is not a legal Kafka topic name");
                });
    }

    @Test
    void aBatchSizeBelowOneStopsTheStartNamingTheProperty() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=localhost:9092", "kappa.kafka.relay.batch-size=0")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("kappa.kafka.relay.batch-size must be at least 1, was 0"));
    }

    @Test
    void theRelayRunsWithTheApplicationReportsItsHealthAndShowsInTheEndpoint() {
        StandInRelay relay = new StandInRelay();
        runner.withPropertyValues("spring.kafka.bootstrap-servers=localhost:9092", "kappa.kafka.relay.enabled=true")
                .withBean(KafkaRelay.class, () -> relay)
                .run(context -> {
                    // given an application that relays: the relay started with it
                    assertThat(context).hasNotFailed().hasSingleBean(RelayLifecycle.class);
                    assertThat(relay.starts).hasValue(1);

                    // then health and the endpoint report it
                    KappaRelayHealthIndicator health = context.getBean("kappaRelayHealthIndicator",
                            KappaRelayHealthIndicator.class);
                    Health caughtUp = health.health(true);
                    assertThat(caughtUp.getStatus()).isEqualTo(Status.UP);
                    assertThat(caughtUp.getDetails()).containsEntry("state", RelayState.CAUGHT_UP)
                            .containsEntry("relayedOffset", 42L).containsEntry("head", 42L).containsEntry("lag", 0L);
                    KafkaStatus.Relay shown = context.getBean(KappaEndpoint.class).report().relay();
                    assertThat(shown).isEqualTo(new KafkaStatus.Relay("CAUGHT_UP", 42, 42, 0, 12.5,
                            Instant.parse("2026-11-30T12:00:00Z"), null));
                    assertThat(relay.closes).hasValue(0);
                });
        // and it was closed with the application
        assertThat(relay.closes.get()).isPositive();
    }

    @Test
    void theRelayIsGivenTheApplicationsMeterRegistry() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=localhost:9092", "kappa.kafka.relay.enabled=true")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(KafkaRelay.class, StandInRelay::new)
                .run(context -> assertThat(context).hasBean("kappaRelayMetrics"));
    }

    @Test
    void relayingIsOffByDefaultEvenWithTheStoreAndKafka() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=localhost:9092")
                .withBean(KafkaRelay.class, StandInRelay::new)
                .run(context -> assertThat(context).doesNotHaveBean(RelayLifecycle.class)
                        .doesNotHaveBean("kappaRelayHealthIndicator"));
    }

    @Projection("log-reader")
    static class LogReader {
        @EventHandler
        void on(Object event) {
        }
    }

    @Test
    void aTopicSetForAProjectionMovesItToKafkaWhichWithoutKafkaConfiguredStopsTheStart() {
        runner.withPropertyValues("kappa.projections.topics.log-reader=kappa.log")
                .withBean(LogReader.class, LogReader::new)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("reads topic 'kappa.log', but Kafka is not configured"));
    }

    @Test
    void aTopicSetForAProjectionTheApplicationDoesNotHaveStopsTheStart() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=localhost:9092",
                        "kappa.projections.topics.acount-activity=kappa.log")
                .withBean(LogReader.class, LogReader::new)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("kappa.projections.topics.acount-activity names a projection the"
                                + " application does not have; its projections are [log-reader]"));
    }

    /** Stands in for the relay, whose own behaviour kappa-kafka's tests cover: this test is about the wiring. */
    static final class StandInRelay implements KafkaRelay {

        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public void start() {
            starts.incrementAndGet();
        }

        @Override
        public RelayStatus status() {
            return new RelayStatus(RelayState.CAUGHT_UP, 42, 42, 12.5, Instant.parse("2026-11-30T12:00:00Z"), null);
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }
}
