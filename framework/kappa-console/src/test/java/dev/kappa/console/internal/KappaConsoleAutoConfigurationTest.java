package dev.kappa.console.internal;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.kappa.boot.autoconfigure.store.KappaSchemaMigration;
import dev.kappa.console.internal.action.ProjectionActions;
import dev.kappa.console.internal.state.StateAssembler;
import dev.kappa.console.internal.web.ActionController;
import dev.kappa.console.internal.web.ConsoleController;
import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.LogCompactor;
import dev.kappa.projections.ProjectionRuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** When the console is there: in a servlet application with projections, unless switched off. */
class KappaConsoleAutoConfigurationTest {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KappaConsoleAutoConfiguration.class));

    @Test
    void aServletApplicationWithProjectionsHasTheConsoleAndItsMigration() {
        web.withBean(EventStore.class, KappaConsoleAutoConfigurationTest::store)
                .withBean(ProjectionRuntime.class, KappaConsoleAutoConfigurationTest::runtime)
                .withBean(DataSource.class, () -> mock(DataSource.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(ConsoleController.class)
                            .hasSingleBean(ActionController.class)
                            .hasSingleBean(StateAssembler.class)
                            .hasSingleBean(ProjectionActions.class)
                            .hasBean("kappaConsoleMigration");
                    assertThat(context.getBean("kappaConsoleMigration")).isInstanceOf(KappaSchemaMigration.class);
                });
    }

    @Test
    void theConsoleCanBeSwitchedOff() {
        web.withBean(EventStore.class, KappaConsoleAutoConfigurationTest::store)
                .withBean(ProjectionRuntime.class, KappaConsoleAutoConfigurationTest::runtime)
                .withBean(DataSource.class, () -> mock(DataSource.class))
                .withPropertyValues("kappa.console.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ConsoleController.class)
                        .doesNotHaveBean("kappaConsoleMigration"));
    }

    @Test
    void thereIsNoConsoleWithoutProjectionsOrOutsideAServletApplication() {
        web.withBean(EventStore.class, KappaConsoleAutoConfigurationTest::store)
                .withBean(DataSource.class, () -> mock(DataSource.class))
                .run(context -> assertThat(context).doesNotHaveBean(ConsoleController.class));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KappaConsoleAutoConfiguration.class))
                .withBean(EventStore.class, KappaConsoleAutoConfigurationTest::store)
                .withBean(ProjectionRuntime.class, KappaConsoleAutoConfigurationTest::runtime)
                .withBean(DataSource.class, () -> mock(DataSource.class))
                .run(context -> assertThat(context).doesNotHaveBean(ConsoleController.class));
    }

    @Test
    void aPathThatIsNoPathStopsTheStartWithTheReason() {
        web.withBean(EventStore.class, KappaConsoleAutoConfigurationTest::store)
                .withBean(ProjectionRuntime.class, KappaConsoleAutoConfigurationTest::runtime)
                .withBean(DataSource.class, () -> mock(DataSource.class))
                .withPropertyValues("kappa.console.path=kappa/")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("kappa.console.path: must be a path such as /kappa"));
    }

    private static EventStore store() {
        EventStore store = mock(EventStore.class);
        when(store.compactor()).thenReturn(mock(LogCompactor.class));
        return store;
    }

    private static ProjectionRuntime runtime() {
        ProjectionRuntime runtime = mock(ProjectionRuntime.class);
        when(runtime.instanceId()).thenReturn("here");
        return runtime;
    }
}
