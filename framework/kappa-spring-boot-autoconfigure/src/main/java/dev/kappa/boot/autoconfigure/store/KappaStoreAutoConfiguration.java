package dev.kappa.boot.autoconfigure.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.eventstore.StoreObserver;
import dev.kappa.eventstore.Upcaster;

/**
 * The event store on the application's data source: Kappa's tables (migrated after the application's own Flyway
 * migrations), a codec that knows every event type of the application, the store itself and scheduled compaction.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class,
        afterName = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
@ConditionalOnClass(EventStore.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties({KappaStoreProperties.class, KappaCompactionProperties.class})
@Import(DatabaseInitializationDependencyConfigurer.class)
public class KappaStoreAutoConfiguration {

    /** Migrations contributed by other Kappa modules run after the event store's. */
    @Bean
    @ConditionalOnMissingBean
    KappaSchemaInitializer kappaSchemaInitializer(DataSource dataSource,
                                                  ObjectProvider<KappaSchemaMigration> moduleMigrations) {
        List<Consumer<DataSource>> migrations = new ArrayList<>();
        migrations.add(KappaSchema::migrate);
        moduleMigrations.orderedStream().forEach(migration -> migrations.add(migration::migrate));
        return new KappaSchemaInitializer(dataSource, migrations);
    }

    /** Event types the application's own packages declare with {@code @EventType}. */
    @Bean
    @ConditionalOnMissingBean(name = "kappaAnnotatedEventTypes")
    KappaEventTypes kappaAnnotatedEventTypes(BeanFactory beanFactory, Environment environment) {
        return new KappaEventTypes(KappaClassScanner.scan(beanFactory, environment).eventTypes());
    }

    @Bean
    @ConditionalOnMissingBean
    EventCodec kappaEventCodec(ObjectProvider<KappaEventTypes> eventTypes, ObjectProvider<Upcaster> upcasters,
                               ObjectProvider<KappaCodecCustomizer> customizers) {
        EventCodec.Builder codec = EventCodec.builder();
        eventTypes.orderedStream().forEach(types -> codec.register(types.types().toArray(Class<?>[]::new)));
        upcasters.orderedStream().forEach(codec::upcaster);
        customizers.orderedStream().forEach(customizer -> customizer.customize(codec));
        return codec.build();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    EventStore eventStore(DataSource dataSource, KappaSchemaInitializer schema, EventCodec codec,
                          KappaStoreProperties store, KappaCompactionProperties compaction,
                          ObjectProvider<StoreObserver> observer,
                          ObjectProvider<ObservationRegistry> observations) {
        return EventStore.builder(dataSource)
                .codec(codec)
                .maxBatchAppends(store.maxBatchAppends())
                .maxBatchEvents(store.maxBatchEvents())
                .maxQueuedAppends(store.maxQueuedAppends())
                .batchLinger(store.batchLinger())
                .maxPayloadBytes((int) Math.min(Integer.MAX_VALUE, store.maxPayloadSize().toBytes()))
                .notifications(store.notifications())
                .pollInterval(store.pollInterval())
                .readPageSize(store.readPageSize())
                .tombstoneRetention(compaction.tombstoneRetention())
                .idempotencyRetention(compaction.idempotencyRetention())
                .observer(allOf(observer.orderedStream().toList()))
                .observationRegistry(observations.getIfUnique(() -> ObservationRegistry.NOOP))
                .build();
    }

    /** Every observer the application defines hears everything. */
    private static StoreObserver allOf(List<StoreObserver> observers) {
        if (observers.isEmpty()) {
            return StoreObserver.NONE;
        }
        if (observers.size() == 1) {
            return observers.get(0);
        }
        return new StoreObserver() {
            @Override
            public void appendEnded(int events, long durationNanos, Throwable failure) {
                observers.forEach(observer -> observer.appendEnded(events, durationNanos, failure));
            }

            @Override
            public void batchCommitted(int appends, int events, long durationNanos) {
                observers.forEach(observer -> observer.batchCommitted(appends, events, durationNanos));
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "kappa.compaction.enabled", matchIfMissing = true)
    ScheduledCompaction kappaScheduledCompaction(EventStore store, KappaCompactionProperties compaction) {
        return new ScheduledCompaction(store.compactor(), compaction.interval(), compaction.initialDelay());
    }
}
