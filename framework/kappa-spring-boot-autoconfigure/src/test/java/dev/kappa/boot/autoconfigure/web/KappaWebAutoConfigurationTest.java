package dev.kappa.boot.autoconfigure.web;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.json.JsonMapper;

import dev.kappa.projections.ProjectionRuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

/** Which parts of the web support a servlet application gets, how each is turned off, and how each backs off. */
class KappaWebAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KappaWebAutoConfiguration.class, WebMvcAutoConfiguration.class,
                    JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
                    ValidationAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class))
            .withBean(ProjectionRuntime.class, () -> mock(ProjectionRuntime.class));

    record Cents(long cents) {
    }

    @Test
    void aServletApplicationGetsEveryPart() {
        runner.run(context -> {
            assertThat(context).hasNotFailed()
                    .hasSingleBean(KappaProblems.class).hasSingleBean(ContentTypeCheck.class)
                    .hasSingleBean(ConstraintViolationProblems.class).hasSingleBean(ReadYourWritesInterceptor.class)
                    .hasSingleBean(IdempotencyKeyResolver.class).hasSingleBean(IdempotentRequestCopy.class)
                    .hasSingleBean(StrictJson.class).hasSingleBean(RequestBodyLimit.class)
                    .hasSingleBean(KappaWebMvc.class);
            assertThat(context).as("Spring Boot's own problem details handler backs off")
                    .hasSingleBean(ResponseEntityExceptionHandler.class);
        });
    }

    @Test
    void theProblemMappingTurnsOff() {
        runner.withPropertyValues("kappa.web.problems.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(KappaProblems.class).doesNotHaveBean(ContentTypeCheck.class)
                .doesNotHaveBean(ConstraintViolationProblems.class).hasSingleBean(ReadYourWritesInterceptor.class));
    }

    @Test
    void readYourWritesTurnsOff() {
        runner.withPropertyValues("kappa.web.read-your-writes.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(ReadYourWritesInterceptor.class).hasSingleBean(KappaProblems.class));
    }

    @Test
    void idempotencyKeysTurnOff() {
        runner.withPropertyValues("kappa.web.idempotency.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(IdempotencyKeyResolver.class).doesNotHaveBean(IdempotentRequestCopy.class)
                .hasSingleBean(KappaProblems.class));
    }

    @Test
    void strictJsonTurnsOff() {
        runner.withPropertyValues("kappa.web.strict-json.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(StrictJson.class);
            assertThat(context.getBean(JsonMapper.class).readValue("{\"cents\": 1.5}", Cents.class).cents())
                    .as("Jackson's own coercion").isEqualTo(1);
        });
    }

    @Test
    void strictJsonIsTheApplicationsMapper() {
        runner.run(context -> {
            JsonMapper json = context.getBean(JsonMapper.class);
            assertThatThrownBy(() -> json.readValue("{\"cents\": 1.5}", Cents.class))
                    .isInstanceOf(DatabindException.class);
            assertThatThrownBy(() -> json.readValue("{\"cents\": \"100\"}", Cents.class))
                    .isInstanceOf(DatabindException.class);
            assertThat(json.readValue("{\"cents\": 100}", Cents.class).cents()).isEqualTo(100);
        });
    }

    @Test
    void theBodyLimitTurnsOff() {
        runner.withPropertyValues("kappa.web.body-limit.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(RequestBodyLimit.class).hasSingleBean(IdempotentRequestCopy.class));
    }

    @Test
    void aBodyLimitBelowOneByteIsRefusedAtStartUp() {
        runner.withPropertyValues("kappa.web.body-limit.max-size=0B").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("kappa.web.body-limit.max-size must be at least 1 byte"));
    }

    @Test
    void theApplicationsOwnExceptionHandlerReplacesTheProblemMapping() {
        runner.withBean("ownProblems", ResponseEntityExceptionHandler.class, () -> new ResponseEntityExceptionHandler() {
        }).run(context -> {
            assertThat(context).doesNotHaveBean(KappaProblems.class).hasSingleBean(ContentTypeCheck.class);
            assertThat(context.getBean(ResponseEntityExceptionHandler.class)).isNotInstanceOf(KappaProblems.class);
        });
    }

    @Test
    void withoutProjectionsThereIsNothingToWaitFor() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KappaWebAutoConfiguration.class,
                        WebMvcAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReadYourWritesInterceptor.class)
                        .hasSingleBean(KappaProblems.class));
    }

    @Test
    void anApplicationWithoutAWebServerGetsNone() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KappaWebAutoConfiguration.class))
                .withBean(ProjectionRuntime.class, () -> mock(ProjectionRuntime.class))
                .run(context -> assertThat(context).doesNotHaveBean(KappaWebProperties.class)
                        .doesNotHaveBean(KappaProblems.class).doesNotHaveBean(ReadYourWritesInterceptor.class));
    }
}
