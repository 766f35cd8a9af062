package dev.kappa.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.kappa.boot.autoconfigure.projections.KappaProjectionsCustomizer;
import dev.kappa.boot.autoconfigure.store.KappaStoreAutoConfiguration;
import dev.kappa.eventstore.StoreObserver;
import dev.kappa.framework.CommandObserver;
import dev.kappa.projections.ProjectionRuntime;

/**
 * Micrometer metrics of the event store, the command gateway and the projections, when the application has a meter
 * registry.
 */
@AutoConfiguration(before = KappaStoreAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class KappaMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "kappaStoreMetrics")
    StoreObserver kappaStoreMetrics(MeterRegistry registry) {
        return new MicrometerStoreObserver(registry);
    }

    @Bean
    @ConditionalOnMissingBean(name = "kappaCommandMetrics")
    CommandObserver kappaCommandMetrics(MeterRegistry registry) {
        return new MicrometerCommandObserver(registry);
    }

    /** Projection lag, state and throughput, published by the runtime itself. */
    @Bean
    @ConditionalOnClass(ProjectionRuntime.class)
    @ConditionalOnMissingBean(name = "kappaProjectionMetrics")
    KappaProjectionsCustomizer kappaProjectionMetrics(MeterRegistry registry) {
        return builder -> builder.meterRegistry(registry);
    }
}
