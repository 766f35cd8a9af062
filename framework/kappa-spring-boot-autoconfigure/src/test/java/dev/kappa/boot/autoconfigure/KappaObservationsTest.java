package dev.kappa.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import dev.kappa.boot.autoconfigure.aggregates.KappaAggregatesAutoConfiguration;
import dev.kappa.boot.autoconfigure.embedded.KappaEmbeddedPostgresAutoConfiguration;
import dev.kappa.boot.autoconfigure.projections.KappaProjectionsAutoConfiguration;
import dev.kappa.boot.autoconfigure.sample.SampleAccount;
import dev.kappa.boot.autoconfigure.store.KappaStoreAutoConfiguration;
import dev.kappa.eventstore.EventStore;
import dev.kappa.framework.CommandGateway;
import dev.kappa.postgres.embedded.junit.TestDatabase;
import dev.kappa.projections.EventHandler;
import dev.kappa.projections.Projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The store, the gateway and the projections observe in Spring Boot's observation registry when there is one. */
class KappaObservationsTest {

    private static TestDatabase database;

    private final Recording handler = new Recording();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
                    KappaEmbeddedPostgresAutoConfiguration.class, KappaStoreAutoConfiguration.class,
                    KappaAggregatesAutoConfiguration.class, KappaProjectionsAutoConfiguration.class))
            // a delegate, so that closing one test's context does not close the shared pool
            .withBean(DataSource.class, () -> new DelegatingDataSource(database.dataSource()))
            .withBean(ObservationHandler.class, () -> handler)
            .withBean(Watching.class)
            .withPropertyValues("kappa.aggregates.packages=dev.kappa.boot.autoconfigure.sample");

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void commandsAppendsGroupCommitsAndBatchesAreObservedInTheApplicationsRegistry() {
        runner.run(context -> {
            String id = "obs-" + System.nanoTime();
            context.getBean(CommandGateway.class).sendAndWait(new SampleAccount.Open(id, "Ada"));

            await().atMost(Duration.ofSeconds(30)).until(() -> handler.names().contains("kappa.projection.batch"));
            assertThat(handler.names()).contains("kappa.command", "kappa.append", "kappa.group-commit");
            // a handler that propagates nothing (metrics, say) adds nothing to the events
            assertThat(context.getBean(EventStore.class).readStream("sample-" + id, 1)).singleElement()
                    .satisfies(record -> assertThat(record.metadata().entries()).isEmpty());
        });
    }

    @Test
    void springBootsSwitchTurnsKappasObservationsOff() {
        runner.withPropertyValues("management.observations.enable.kappa=false").run(context -> {
            context.getBean(CommandGateway.class).sendAndWait(new SampleAccount.Open("off-" + System.nanoTime(), "Ada"));

            assertThat(handler.names()).noneMatch(name -> name.startsWith("kappa."));
        });
    }

    @Projection("observed-sample")
    static class Watching {

        @EventHandler
        void on(SampleAccount.Opened opened) {
        }
    }

    private static final class Recording implements ObservationHandler<Observation.Context> {

        private final List<String> started = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(Observation.Context context) {
            started.add(context.getName());
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        List<String> names() {
            return List.copyOf(started);
        }
    }
}
