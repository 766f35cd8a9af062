package dev.kappa.boot.autoconfigure.aggregates;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

import dev.kappa.boot.autoconfigure.store.KappaClassScanner;
import dev.kappa.boot.autoconfigure.store.KappaEventTypes;
import dev.kappa.boot.autoconfigure.store.KappaStoreAutoConfiguration;
import dev.kappa.eventstore.EventStore;
import dev.kappa.framework.AggregateModel;
import dev.kappa.framework.CommandGateway;
import dev.kappa.framework.CommandObserver;

/**
 * The command gateway for the application's {@code @Aggregate} classes, found in its packages without any wiring
 * (aggregates are not beans: Kappa creates their instances). Problems with the classes fail start-up with a failure
 * analysis that names each class and method.
 */
@AutoConfiguration(after = KappaStoreAutoConfiguration.class)
@ConditionalOnClass(CommandGateway.class)
@Conditional(OnAggregateClassesCondition.class)
@EnableConfigurationProperties({KappaAggregatesProperties.class, KappaSnapshotsProperties.class})
public class KappaAggregatesAutoConfiguration {

    /** The event types the aggregates apply, for the codec. */
    @Bean
    @ConditionalOnMissingBean(name = "kappaAggregateEventTypes")
    KappaEventTypes kappaAggregateEventTypes(BeanFactory beanFactory, Environment environment) {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> aggregate : KappaClassScanner.scan(beanFactory, environment).aggregates()) {
            types.addAll(AggregateModel.of(aggregate).eventTypes());
        }
        return new KappaEventTypes(types);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBean(EventStore.class)
    CommandGateway commandGateway(EventStore store, BeanFactory beanFactory, Environment environment,
                                  KappaAggregatesProperties aggregates, KappaSnapshotsProperties snapshots,
                                  ObjectProvider<CommandObserver> observers,
                                  ObjectProvider<ObservationRegistry> observations) {
        List<CommandObserver> all = observers.orderedStream().toList();
        return CommandGateway.builder(store)
                .aggregates(KappaClassScanner.scan(beanFactory, environment).aggregates().toArray(Class<?>[]::new))
                .cacheSize(aggregates.cacheSize())
                .maxAttempts(aggregates.maxAttempts())
                .snapshots(snapshots.enabled())
                .observer(all.size() == 1 ? all.get(0)
                        : (type, nanos, failure) -> all.forEach(observer -> observer.commandEnded(type, nanos, failure)))
                .observationRegistry(observations.getIfUnique(() -> ObservationRegistry.NOOP))
                .build();
    }
}
