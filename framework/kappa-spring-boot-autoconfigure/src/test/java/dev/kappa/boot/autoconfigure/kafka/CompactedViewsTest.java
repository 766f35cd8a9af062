package dev.kappa.boot.autoconfigure.kafka;

import java.time.Duration;
import java.util.Map;
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

import dev.kappa.kafka.view.CompactedView;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Compacted views start and stop with the application, and readiness waits for them to load. */
class CompactedViewsTest {

    @Configuration(proxyBeanMethods = false)
    static class ReadinessConfiguration {
        @Bean
        CompactedViewsReadiness readiness(CompactedViews views, ApplicationContext context) {
            return new CompactedViewsReadiness(views, context, Duration.ofMinutes(1));
        }
    }

    @Test
    void viewsStartWithTheApplicationAndCloseWithIt() {
        CompactedView<?> view = mock(CompactedView.class);
        CompactedViews views = new CompactedViews(Map.of());
        views.add("profiles", view);
        verify(view, never()).start();

        views.start();
        verify(view).start();

        views.stop();
        verify(view).close();
    }

    @Test
    void aViewMadeWhileTheApplicationRunsStartsAtOnce() {
        CompactedViews views = new CompactedViews(Map.of());
        views.start();
        CompactedView<?> late = mock(CompactedView.class);

        views.add("late", late);

        verify(late).start();
    }

    @Test
    void twoViewsCannotShareAName() {
        CompactedViews views = new CompactedViews(Map.of());
        views.add("profiles", mock(CompactedView.class));

        assertThatThrownBy(() -> views.add("profiles", mock(CompactedView.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("there is a compacted view named 'profiles' already");
    }

    @Test
    void readinessIsRefusedUntilEveryViewHasLoaded() throws Exception {
        CountDownLatch loaded = new CountDownLatch(1);
        CompactedView<?> view = mock(CompactedView.class);
        when(view.isReady()).thenReturn(false);
        when(view.awaitReady(any(Duration.class))).thenAnswer(invocation -> {
            loaded.await();
            return true;
        });
        CompactedViews views = new CompactedViews(Map.of());
        views.add("profiles", view);

        new ApplicationContextRunner()
                .withBean(ApplicationAvailabilityBean.class)
                .withBean(CompactedViews.class, () -> views)
                .withUserConfiguration(ReadinessConfiguration.class)
                .run(context -> {
                    ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);

                    // when Spring Boot declares the application ready while a view loads
                    AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);

                    // then readiness is taken back until it has loaded
                    assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
                    loaded.countDown();
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
                });
    }

    @Test
    void loadedViewsLeaveReadinessAlone() {
        CompactedView<?> view = mock(CompactedView.class);
        when(view.isReady()).thenReturn(true);
        CompactedViews views = new CompactedViews(Map.of());
        views.add("profiles", view);

        new ApplicationContextRunner()
                .withBean(ApplicationAvailabilityBean.class)
                .withBean(CompactedViews.class, () -> views)
                .withUserConfiguration(ReadinessConfiguration.class)
                .run(context -> {
                    AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);

                    assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
                            .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
                });
    }
}
