package dev.kappa.boot.autoconfigure.projections;

import javax.sql.DataSource;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import dev.kappa.boot.autoconfigure.store.KappaEventTypes;
import dev.kappa.boot.autoconfigure.store.KappaSchemaMigration;
import dev.kappa.boot.autoconfigure.store.KappaStoreAutoConfiguration;
import dev.kappa.eventstore.EventStore;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionRuntime;
import dev.kappa.projections.ProjectionRuntimeBuilder;
import dev.kappa.projections.ProjectionSchema;
import dev.kappa.projections.RetryPolicy;

/**
 * The projection runtime: the application's {@code @Projection} beans are found, registered and run by workers
 * that start late in start-up and stop gracefully on shutdown; readiness waits for them to catch up.
 */
@AutoConfiguration(after = KappaStoreAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration")
@ConditionalOnClass(ProjectionRuntime.class)
@ConditionalOnBean(EventStore.class)
@EnableConfigurationProperties(KappaProjectionsProperties.class)
public class KappaProjectionsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "kappaProjectionsMigration")
    KappaSchemaMigration kappaProjectionsMigration() {
        return ProjectionSchema::migrate;
    }

    /** The event types the projections handle, for the codec. */
    @Bean
    @ConditionalOnMissingBean(name = "kappaProjectionEventTypes")
    KappaEventTypes kappaProjectionEventTypes(ConfigurableListableBeanFactory beanFactory) {
        return new KappaEventTypes(ProjectionEventTypes.of(beanFactory));
    }

    /**
     * The one runtime, injectable by each role it plays: {@code ProjectionControl} (reset, rebuild, restart, skip,
     * replay), {@code ProjectionMonitor} (status, caught up, dead letters) and {@code CheckpointWaits} (read your
     * writes), or as the {@code ProjectionRuntime} itself. The roles are not beans of their own: a second bean of a
     * role's type would make injecting that role ambiguous.
     */
    @Bean
    @ConditionalOnMissingBean
    ProjectionRuntime projectionRuntime(DataSource dataSource, EventStore store, KappaProjectionsProperties properties,
                                        ObjectProvider<PlatformTransactionManager> transactionManager,
                                        ObjectProvider<KappaProjectionsCustomizer> customizers,
                                        ObjectProvider<ObservationRegistry> observations) {
        ProjectionRuntimeBuilder builder = ProjectionRuntime.builder(dataSource, store)
                .catchUpBatchSize(properties.catchUpBatchSize())
                .catchUpStagedRows(properties.catchUpStagedRows())
                .readPageSize(properties.readPageSize())
                .liveBatchSize(properties.liveBatchSize())
                .defaultSegments(properties.segments())
                .retryPolicy(RetryPolicy.backOff(properties.retryAttempts(), properties.retryInitialDelay(),
                        properties.retryMaxDelay()))
                .failureMode(properties.failureMode())
                .leaseDuration(properties.leaseDuration())
                .observationRegistry(observations.getIfUnique(() -> ObservationRegistry.NOOP));
        if (properties.instanceId() != null) {
            builder.instanceId(properties.instanceId());
        }
        properties.topics().forEach(builder::topic);
        // the application's transaction manager, if it manages this data source: repositories then join the batch
        PlatformTransactionManager manager = transactionManager.getIfUnique();
        if (manager != null && (!(manager instanceof DataSourceTransactionManager jdbc)
                || jdbc.getDataSource() == dataSource)) {
            builder.transactionManager(manager);
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    ProjectionWorkers kappaProjectionWorkers(ProjectionRuntime runtime, ApplicationContext context,
                                             KappaProjectionsProperties properties) {
        return new ProjectionWorkers(runtime, context, properties.enabled(), properties.topics());
    }

    @Bean
    @ConditionalOnMissingBean
    InMemoryProjectionsReadiness kappaProjectionsReadiness(ProjectionMonitor runtime, ApplicationContext context,
                                                           KappaProjectionsProperties properties) {
        return new InMemoryProjectionsReadiness(runtime, context, properties.readinessTimeout());
    }
}
