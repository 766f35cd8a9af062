package dev.kappa.console.internal.web;

import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

import dev.kappa.boot.autoconfigure.actuate.KappaEndpoint;
import dev.kappa.console.KappaConsoleProperties;
import dev.kappa.console.internal.action.ProjectionActions;
import dev.kappa.console.internal.state.LogSampler;
import dev.kappa.console.internal.state.StateAssembler;

/**
 * The console's web side: its page, state, stream and actions under {@code kappa.console.path}, its assets under
 * {@code {path}/assets/}, and the scheduler that keeps the stream going. Imported by the console's auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleWebConfiguration {

    /**
     * The console's own JSON: its answers do not depend on how the application set its mapper up (and it reads action
     * bodies strictly itself). Not a bean, which would take the place of the application's.
     */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Bean
    @ConditionalOnMissingBean
    StateStream kappaConsoleStream(StateAssembler assembler) {
        return new StateStream(assembler, JSON);
    }

    @Bean
    @ConditionalOnMissingBean
    ConsoleSchedule kappaConsoleSchedule(LogSampler sampler, StateStream stream, KappaConsoleProperties properties) {
        return new ConsoleSchedule(sampler, stream, properties.refreshInterval());
    }

    @Bean
    @ConditionalOnMissingBean
    ConsoleController kappaConsoleController(KappaConsoleProperties properties, StateAssembler assembler,
                                             StateStream stream, Environment environment) {
        return new ConsoleController(properties.path(), new ConsolePage(), assembler, stream, viewers(properties),
                problems(environment), JSON);
    }

    @Bean
    @ConditionalOnMissingBean
    ActionController kappaConsoleActions(ProjectionActions actions, KappaConsoleProperties properties,
                                         Environment environment) {
        return new ActionController(actions, viewers(properties), problems(environment), JSON);
    }

    /** The assets, at addresses that change with their content: browsers keep them for a year. */
    @Bean
    WebMvcConfigurer kappaConsoleAssets(KappaConsoleProperties properties) {
        return new WebMvcConfigurer() {
            @Override
            public void addResourceHandlers(ResourceHandlerRegistry registry) {
                registry.addResourceHandler(properties.path() + "/assets/**")
                        .addResourceLocations("classpath:/" + ConsolePage.ASSETS)
                        .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic());
            }
        };
    }

    private static Viewers viewers(KappaConsoleProperties properties) {
        return new Viewers(properties.writeAccess(), properties.operatorRole(), properties.path() + "/sign-in");
    }

    /** The same problem types as the web support's and the actuator endpoint's, whether or not the support is on. */
    private static ConsoleProblems problems(Environment environment) {
        return new ConsoleProblems(environment.getProperty("kappa.web.problems.type-prefix",
                KappaEndpoint.DEFAULT_TYPE_PREFIX), JSON);
    }
}
