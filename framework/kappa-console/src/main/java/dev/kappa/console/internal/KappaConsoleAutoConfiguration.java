package dev.kappa.console.internal;

import java.time.Clock;
import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.kappa.boot.autoconfigure.actuate.KafkaStatus;
import dev.kappa.boot.autoconfigure.projections.KappaProjectionsAutoConfiguration;
import dev.kappa.boot.autoconfigure.store.KappaSchemaMigration;
import dev.kappa.console.KappaConsoleProperties;
import dev.kappa.console.internal.action.ActionLog;
import dev.kappa.console.internal.action.ConsoleSchema;
import dev.kappa.console.internal.action.ProjectionActions;
import dev.kappa.console.internal.state.LogSampler;
import dev.kappa.console.internal.state.StateAssembler;
import dev.kappa.console.internal.web.ConsoleWebConfiguration;
import dev.kappa.eventstore.EventStore;
import dev.kappa.projections.ProjectionControl;
import dev.kappa.projections.ProjectionMonitor;
import dev.kappa.projections.ProjectionRuntime;

/**
 * The operator console, in a servlet web application with projections, unless {@code kappa.console.enabled=false}:
 * its table (migrated with Kappa's), the state it shows, its actions, and its web side.
 */
@AutoConfiguration(after = KappaProjectionsAutoConfiguration.class,
        afterName = "dev.kappa.boot.autoconfigure.kafka.KappaKafkaAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SseEmitter.class)
@ConditionalOnBooleanProperty(name = "kappa.console.enabled", matchIfMissing = true)
@ConditionalOnBean({ProjectionMonitor.class, EventStore.class})
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(KappaConsoleProperties.class)
@Import(ConsoleWebConfiguration.class)
public class KappaConsoleAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "kappaConsoleMigration")
    KappaSchemaMigration kappaConsoleMigration() {
        return ConsoleSchema::migrate;
    }

    @Bean
    @ConditionalOnMissingBean
    LogSampler kappaConsoleLogSampler(EventStore store, KappaConsoleProperties properties) {
        return new LogSampler(store, Clock.systemUTC(), properties.rateWindow());
    }

    @Bean
    @ConditionalOnMissingBean
    ActionLog kappaConsoleActionLog(DataSource dataSource) {
        return new ActionLog(new JdbcTemplate(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    StateAssembler kappaConsoleState(ProjectionMonitor monitor, EventStore store, ObjectProvider<KafkaStatus> kafka,
                                     ActionLog actions, LogSampler sampler) {
        String instanceId = monitor instanceof ProjectionRuntime runtime ? runtime.instanceId() : "";
        return new StateAssembler(monitor, store, store.compactor(), kafka.getIfUnique(),
                () -> actions.latest(StateAssembler.ACTIONS_SHOWN), instanceId, sampler, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    ProjectionActions kappaConsoleProjectionActions(ProjectionControl control, ProjectionMonitor monitor,
                                                    ActionLog actions, StateAssembler assembler) {
        return new ProjectionActions(control, monitor, actions, assembler, Clock.systemUTC());
    }
}
