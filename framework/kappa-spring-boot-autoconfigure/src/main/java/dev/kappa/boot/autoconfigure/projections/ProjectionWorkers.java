package dev.kappa.boot.autoconfigure.projections;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

import dev.kappa.projections.Projection;
import dev.kappa.projections.ProjectionRuntime;

/**
 * Registers the application's {@code @Projection} beans and starts their workers once the other beans are up, late
 * in start-up; stops them early on shutdown, after the batch each has in hand, while the data source is still open.
 *
 * <p>Thread-safe.
 */
public class ProjectionWorkers implements SmartLifecycle {

    /** Late to start, early to stop: after everything the handlers may use, before the web server goes down. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private static final Logger log = LoggerFactory.getLogger(ProjectionWorkers.class);

    private final ProjectionRuntime runtime;
    private final ApplicationContext context;
    private final boolean enabled;
    private volatile boolean running;

    public ProjectionWorkers(ProjectionRuntime runtime, ApplicationContext context, boolean enabled) {
        this.runtime = runtime;
        this.context = context;
        this.enabled = enabled;
    }

    @Override
    public synchronized void start() {
        Map<String, Object> projections = context.getBeansWithAnnotation(Projection.class);
        projections.forEach((name, projection) -> {
            try {
                runtime.register(projection);
            } catch (IllegalArgumentException e) {
                throw new InvalidProjectionException(name, projection.getClass(), e);
            }
        });
        if (enabled) {
            runtime.start();
        } else {
            log.info("projection workers are off here (kappa.projections.enabled=false): {} projections are kept up to"
                    + " date by another instance", projections.size());
        }
        running = true;
    }

    @Override
    public synchronized void stop() {
        runtime.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
