package dev.kappa.boot.autoconfigure.kafka;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.kappa.boot.autoconfigure.actuate.KafkaStatus;
import dev.kappa.boot.autoconfigure.projections.KappaProjectionsAutoConfiguration;
import dev.kappa.boot.autoconfigure.projections.KappaProjectionsCustomizer;
import dev.kappa.boot.autoconfigure.store.KappaStoreAutoConfiguration;
import dev.kappa.eventstore.EventStore;
import dev.kappa.kafka.relay.KafkaRelay;
import dev.kappa.kafka.relay.KafkaRelayBuilder;
import dev.kappa.kafka.source.KafkaRecordSources;
import dev.kappa.projections.ProjectionRuntime;

/**
 * Kappa on Kafka, when {@code kappa-kafka} is on the class path and Kafka is configured the Spring Boot way
 * ({@code spring.kafka.bootstrap-servers}; every Kafka client Kappa makes takes the rest of {@code spring.kafka.*},
 * security and SSL included): the sources of Kafka-fed projections, a factory of compacted views run with the
 * application, and, with {@code kappa.kafka.relay.enabled}, the relay that publishes this application's log. Without
 * Kafka configured nothing here exists.
 */
@AutoConfiguration(after = {KappaStoreAutoConfiguration.class, KappaProjectionsAutoConfiguration.class},
        afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass({KafkaRelay.class, KafkaProperties.class})
@Conditional(OnKafkaConfiguredCondition.class)
@EnableConfigurationProperties({KafkaProperties.class, KappaKafkaRelayProperties.class,
        KappaKafkaTopicsProperties.class, KappaKafkaViewsProperties.class})
public class KappaKafkaAutoConfiguration {

    /** The application's compacted views: made by it, run with the context. */
    @Bean
    @ConditionalOnMissingBean
    CompactedViews kappaCompactedViews(KafkaProperties kafka) {
        return new CompactedViews(KafkaClientProperties.consumer(kafka));
    }

    @Bean
    @ConditionalOnMissingBean
    CompactedViewsReadiness kappaCompactedViewsReadiness(CompactedViews views, ApplicationContext context,
                                                         KappaKafkaViewsProperties properties) {
        return new CompactedViewsReadiness(views, context, properties.readinessTimeout());
    }

    /** The relay and the views, for the {@code kappa} actuator endpoint. */
    @Bean
    @ConditionalOnMissingBean
    KafkaStatus kappaKafkaStatus(ObjectProvider<KafkaRelay> relay, CompactedViews views) {
        return new RelayAndViews(relay.getIfUnique(), views);
    }

    /** Projections that name a topic read it from Kafka; their positions stay in PostgreSQL. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ProjectionRuntime.class)
    @ConditionalOnBean(ProjectionRuntime.class)
    static class ProjectionsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        KafkaRecordSources kappaKafkaRecordSources(KafkaProperties kafka, KappaKafkaTopicsProperties topics) {
            return new KafkaRecordSources(KafkaClientProperties.consumer(kafka), topics.position());
        }

        /** Hands the sources to the runtime. */
        @Bean
        @ConditionalOnMissingBean(name = "kappaKafkaProjections")
        KappaProjectionsCustomizer kappaKafkaProjections(KafkaRecordSources sources) {
            return builder -> builder.recordSources(sources);
        }
    }

    /** The relay, on the instances that have it on; one of them relays at a time. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("kappa.kafka.relay.enabled")
    @ConditionalOnBean(EventStore.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    static class RelayConfiguration {

        @Bean
        @ConditionalOnMissingBean
        KafkaRelay kappaKafkaRelay(DataSource dataSource, EventStore store, KafkaProperties kafka,
                                   KappaKafkaRelayProperties relay, KappaKafkaTopicsProperties topics,
                                   Environment environment, ObjectProvider<KappaKafkaRelayCustomizer> customizers) {
            KafkaRelayBuilder builder = KafkaRelay.builder(dataSource, store, store)
                    .kafkaProperties(KafkaClientProperties.producer(kafka))
                    .topics(topics.relayTopics())
                    .transactionalId(relay.transactionalId())
                    .batchSize(relay.batchSize());
            // the name this instance holds projection leases under names it in the relay's lease too
            String instanceId = environment.getProperty("kappa.projections.instance-id");
            if (instanceId != null && !instanceId.isBlank()) {
                builder.instanceId(instanceId);
            }
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder.build();
        }

        @Bean
        @ConditionalOnMissingBean
        RelayLifecycle kappaKafkaRelayLifecycle(KafkaRelay relay) {
            return new RelayLifecycle(relay);
        }

        /** Lag, rate and state as Micrometer metrics, published by the relay itself. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(MeterRegistry.class)
        static class RelayMetricsConfiguration {

            @Bean
            @ConditionalOnMissingBean(name = "kappaRelayMetrics")
            KappaKafkaRelayCustomizer kappaRelayMetrics(ObjectProvider<MeterRegistry> registry) {
                return builder -> registry.ifAvailable(builder::meterRegistry);
            }
        }

        /** Kept apart: the health module is optional even with Actuator. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
        static class RelayHealthConfiguration {

            @Bean
            @ConditionalOnMissingBean(name = "kappaRelayHealthIndicator")
            KappaRelayHealthIndicator kappaRelayHealthIndicator(KafkaRelay relay) {
                return new KappaRelayHealthIndicator(relay);
            }
        }
    }
}
