package dev.kappa.eventstore.internal.subscribe;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.LogBatchHandler;
import dev.kappa.eventstore.LogSubscriptions;
import dev.kappa.eventstore.Subscription;
import dev.kappa.eventstore.internal.StoreSettings;

/**
 * Subscriptions and waits on the log, woken by one shared {@link LogNotifier}. Thread-safe.
 */
public final class PostgresLogSubscriptions implements LogSubscriptions, AutoCloseable {

    private static final Duration DEFAULT_CLOSE_WAIT = Duration.ofSeconds(30);

    private final EventReader reader;
    private final StoreSettings settings;
    private final LogNotifier notifier;
    private final Set<LogSubscription> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public PostgresLogSubscriptions(DataSource dataSource, EventReader reader, StoreSettings settings) {
        this.reader = reader;
        this.settings = settings;
        this.notifier = new LogNotifier(dataSource, settings);
    }

    @Override
    public Subscription subscribe(long afterOffset, int batchSize, LogBatchHandler handler) {
        if (afterOffset < 0) {
            throw new IllegalArgumentException("offsets start at 1, so afterOffset must be 0 or more but was "
                    + afterOffset);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 but was " + batchSize);
        }
        Objects.requireNonNull(handler, "handler must not be null");
        if (closed) {
            throw new IllegalStateException("the event store is closed; cannot subscribe");
        }
        LogSubscription[] self = new LogSubscription[1];
        self[0] = new LogSubscription(afterOffset, batchSize, handler, reader, notifier, settings.pollInterval(),
                settings.clock(), () -> open.remove(self[0]));
        open.add(self[0]);
        self[0].start();
        return self[0];
    }

    /**
     * This process committed appends up to {@code head}: wakes the followers here now, without waiting for
     * PostgreSQL's notification of the same commit (a millisecond or so later).
     */
    public void headCommitted(long head) {
        notifier.observe(head);
    }

    @Override
    public boolean awaitAppend(long afterOffset, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout must not be null");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long generation = notifier.generation();
            if (notifier.knownHead() > afterOffset) {
                return true;
            }
            notifier.observe(reader.head());
            if (notifier.knownHead() > afterOffset) {
                return true;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            if (notifier.awaitHeadAbove(afterOffset, Math.min(remaining, settings.pollInterval().toNanos()),
                    generation)) {
                return true;
            }
        }
    }

    /** Asks every subscription to stop, without waiting: {@link #close(long)} waits. */
    public void stop() {
        closed = true;
        open.forEach(LogSubscription::stop);
    }

    @Override
    public void close() {
        close(System.nanoTime() + DEFAULT_CLOSE_WAIT.toNanos());
    }

    /**
     * Stops every subscription and the notifier, all at once, waiting for them until {@code deadline}
     * ({@link System#nanoTime()}) at most, whatever the database does.
     */
    public void close(long deadline) {
        stop();
        List<LogSubscription> closing = List.copyOf(open);
        for (LogSubscription subscription : closing) {
            subscription.awaitStopped(deadline);
        }
        open.removeAll(closing);
        notifier.close(deadline);
    }
}
