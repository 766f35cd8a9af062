package dev.kappa.boot.autoconfigure.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.kappa.eventstore.LogCompactor;

/**
 * Compacts the log, and forgets expired idempotency keys, at a fixed interval while the application runs. Only one
 * process compacts at a time (the
 * compactor takes a database lock), so every instance of an application may run this. A failed run is logged and the
 * next one carries on.
 *
 * <p>Thread-safe; runs on a daemon thread of its own.
 */
public class ScheduledCompaction implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ScheduledCompaction.class);

    private final LogCompactor compactor;
    private final Duration interval;
    private final Duration initialDelay;
    private ScheduledExecutorService scheduler;

    public ScheduledCompaction(LogCompactor compactor, Duration interval, Duration initialDelay) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("kappa.compaction.interval must be positive but was " + interval);
        }
        this.compactor = compactor;
        this.interval = interval;
        this.initialDelay = initialDelay;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kappa-compaction");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::compact, initialDelay.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        log.debug("log compaction scheduled every {}", interval);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    private void compact() {
        try {
            compactor.compact();
        } catch (RuntimeException e) {
            log.warn("scheduled log compaction failed ({}); the next run in {} carries on", e.getMessage(), interval);
        }
    }
}
