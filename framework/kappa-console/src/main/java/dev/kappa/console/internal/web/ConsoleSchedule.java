package dev.kappa.console.internal.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.kappa.console.internal.state.LogSampler;

/**
 * The console's background work: one thread samples the log's head every second, another pushes the state to the
 * open streams every refresh interval (two, so that a slow database read in one does not hold the other up). Started
 * with the application, stopped (streams ended) before it shuts down.
 *
 * <p>Thread-safe.
 */
final class ConsoleSchedule implements SmartLifecycle {

    static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(ConsoleSchedule.class);

    private final LogSampler sampler;
    private final StateStream stream;
    private final Duration refreshInterval;
    private ScheduledExecutorService scheduler;
    /** The last failure logged, by task: each task runs on one thread at a time, but not always the same one. */
    private final Map<String, String> lastFailures = new ConcurrentHashMap<>();

    ConsoleSchedule(LogSampler sampler, StateStream stream, Duration refreshInterval) {
        this.sampler = sampler;
        this.stream = stream;
        this.refreshInterval = refreshInterval;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        scheduler = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "kappa-console-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> guarded("sample the log's head", sampler::sample), 0,
                SAMPLE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded("push the state to the open pages", stream::push),
                refreshInterval.toMillis(), refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        stream.closeAll();
        scheduler.shutdownNow();
        scheduler = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    /** A task that throws would never run again: log it (once while it keeps failing alike) and go on. */
    private void guarded(String what, Runnable task) {
        try {
            task.run();
            lastFailures.remove(what);
        } catch (RuntimeException e) {
            String failure = e.toString();
            if (!failure.equals(lastFailures.put(what, failure))) {
                log.warn("console: could not {} ({}); trying again at every tick", what, failure);
            }
        }
    }
}
