package dev.kappa.boot.autoconfigure.projections;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

import dev.kappa.projections.ProjectionMonitor;

/**
 * Keeps the application's readiness at REFUSING_TRAFFIC (the readiness probe reports OUT_OF_SERVICE) until its
 * projections have caught up with the log after start-up, so that no instance serves reads from a half-rebuilt
 * in-memory read model. When Spring Boot declares the application ready, this takes readiness back, waits for the
 * projections on a thread of its own, then gives it.
 *
 * <p>Thread-safe.
 */
public class InMemoryProjectionsReadiness implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

    private static final Logger log = LoggerFactory.getLogger(InMemoryProjectionsReadiness.class);

    private final ProjectionMonitor runtime;
    private final ApplicationContext context;
    private final Duration timeout;
    private volatile boolean released;

    public InMemoryProjectionsReadiness(ProjectionMonitor runtime, ApplicationContext context, Duration timeout) {
        this.runtime = runtime;
        this.context = context;
        this.timeout = timeout;
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC || released || runtime.isCaughtUp()) {
            return;
        }
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        log.info("the application is ready but its projections are still catching up; readiness follows when they"
                + " have");
        Thread waiter = new Thread(this::awaitProjections, "kappa-readiness");
        waiter.setDaemon(true);
        waiter.start();
    }

    private void awaitProjections() {
        try {
            if (!runtime.awaitCaughtUp(timeout)) {
                log.warn("projections have not caught up within {} (kappa.projections.readiness-timeout);"
                        + " reporting ready all the same", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        released = true;
        AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
    }
}
