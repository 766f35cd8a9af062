package dev.kappa.boot.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.kappa.boot.autoconfigure.projections.InMemoryProjectionsReadiness;
import dev.kappa.projections.ProjectionRuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Readiness waits for projections that are still catching up when the application starts. */
class InMemoryProjectionsReadinessTest {

    @Configuration(proxyBeanMethods = false)
    static class ReadinessConfiguration {
        @Bean
        InMemoryProjectionsReadiness readiness(ProjectionRuntime runtime, ApplicationContext context) {
            return new InMemoryProjectionsReadiness(runtime, context, Duration.ofMinutes(1));
        }
    }

    @Test
    void readinessIsRefusedUntilTheProjectionsHaveCaughtUp() throws Exception {
        CountDownLatch caughtUp = new CountDownLatch(1);
        ProjectionRuntime runtime = mock(ProjectionRuntime.class);
        when(runtime.isCaughtUp()).thenReturn(false);
        when(runtime.awaitCaughtUp(any(Duration.class))).thenAnswer(invocation -> {
            caughtUp.await();
            return true;
        });

        new ApplicationContextRunner()
                .withBean(ApplicationAvailabilityBean.class)
                .withBean(ProjectionRuntime.class, () -> runtime)
                .withUserConfiguration(ReadinessConfiguration.class)
                .run(context -> {
                    ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);

                    // when Spring Boot declares the application ready while the projections catch up
                    AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);

                    // then readiness is taken back until they have caught up
                    assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
                    caughtUp.countDown();
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
                });
    }

    @Test
    void projectionsThatHaveCaughtUpLeaveReadinessAlone() {
        ProjectionRuntime runtime = mock(ProjectionRuntime.class);
        when(runtime.isCaughtUp()).thenReturn(true);

        new ApplicationContextRunner()
                .withBean(ApplicationAvailabilityBean.class)
                .withBean(ProjectionRuntime.class, () -> runtime)
                .withUserConfiguration(ReadinessConfiguration.class)
                .run(context -> {
                    AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);

                    assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
                            .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
                });
    }
}
