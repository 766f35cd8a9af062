package dev.kappa.boot.autoconfigure.actuate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.kappa.boot.autoconfigure.projections.KappaProjectionsAutoConfiguration;
import dev.kappa.eventstore.EventStore;
import dev.kappa.projections.ProjectionControl;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionRuntime;

/**
 * The {@code kappa} actuator endpoint and the projections' health indicator, when Actuator is present. (The relay's
 * health indicator comes with the Kafka auto-configuration.)
 */
@AutoConfiguration(after = KappaProjectionsAutoConfiguration.class,
        afterName = "dev.kappa.boot.autoconfigure.kafka.KappaKafkaAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(ProjectionRuntime.class)
public class KappaActuatorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(KappaEndpoint.class)
    KappaEndpoint kappaEndpoint(EventStore store, ProjectionMonitor projections, ProjectionControl control,
                                Environment environment, ObjectProvider<KafkaStatus> kafka) {
        // the same types as the web support's problems, whether or not the web support is on
        return new KappaEndpoint(store, projections, control, environment.getProperty("kappa.web.problems.type-prefix",
                KappaEndpoint.DEFAULT_TYPE_PREFIX), kafka.getIfUnique(), store.compactor());
    }

    /** Kept apart: the health module is optional even with Actuator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "kappaProjectionsHealthIndicator")
        KappaProjectionsHealthIndicator kappaProjectionsHealthIndicator(ProjectionMonitor projections) {
            return new KappaProjectionsHealthIndicator(projections);
        }
    }
}
