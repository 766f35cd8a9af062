package dev.kappa.boot.autoconfigure.kafka;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * Keeps the application's readiness at REFUSING_TRAFFIC (the readiness probe reports OUT_OF_SERVICE) until its
 * compacted views have loaded their topics after start-up, so that no instance serves reads from a half-loaded view.
 * When readiness turns to ACCEPTING_TRAFFIC (Spring Boot's, or another gate's once it is satisfied), this takes it
 * back, waits for the views on a thread of its own, then gives it.
 *
 * <p>Thread-safe.
 */
class CompactedViewsReadiness implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

    private static final Logger log = LoggerFactory.getLogger(CompactedViewsReadiness.class);

    private final CompactedViews views;
    private final ApplicationContext context;
    private final Duration timeout;
    private final AtomicBoolean waiting = new AtomicBoolean();
    private volatile boolean released;

    CompactedViewsReadiness(CompactedViews views, ApplicationContext context, Duration timeout) {
        this.views = views;
        this.context = context;
        this.timeout = timeout;
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC || released || views.isReady()) {
            return;
        }
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        if (!waiting.compareAndSet(false, true)) {
            return;
        }
        log.info("the application is ready but its compacted views are still loading; readiness follows when they"
                + " have");
        Thread waiter = new Thread(this::awaitViews, "kappa-views-readiness");
        waiter.setDaemon(true);
        waiter.start();
    }

    private void awaitViews() {
        try {
            if (!views.awaitReady(timeout)) {
                log.warn("compacted views have not loaded within {} (kappa.kafka.views.readiness-timeout); reporting"
                        + " ready all the same", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        released = true;
        AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
    }
}
