package dev.kappa.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import dev.kappa.boot.autoconfigure.store.KappaStoreAutoConfiguration;
import dev.kappa.eventstore.StoreObserver;
import dev.kappa.framework.CommandObserver;

/**
 * Micrometer metrics of the event store and the command gateway, when the application has a meter registry.
 * (Projection metrics come with the projections' auto-configuration.)
 */
@AutoConfiguration(before = KappaStoreAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class KappaMetricsAutoConfiguration {

    @Bean
    StoreObserver kappaStoreMetrics(MeterRegistry registry) {
        return new MicrometerStoreObserver(registry);
    }

    @Bean
    CommandObserver kappaCommandMetrics(MeterRegistry registry) {
        return new MicrometerCommandObserver(registry);
    }
}
