package dev.kappa.eventstore.internal.subscribe;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.eventstore.LogBatchHandler;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.StoreOutage;
import dev.kappa.eventstore.Subscription;

/**
 * Reads the log from its position in batches and hands them to its handler, on a thread of its own; when it has
 * caught up, it waits for the notifier (or the poll interval) and reads again.
 *
 * <p>Delivery is in offset order and exactly once per subscription: the log has no late gaps, so reading
 * "everything above the last offset delivered" never skips a record. A read the database cannot answer (a lost
 * connection, a pool that cannot hand one out) is retried every poll interval for as long as the outage lasts, which
 * {@link #outage()} reports meanwhile; a failing handler, or any other failure, stops the subscription at that batch.
 *
 * <p>Thread-safe: the public methods may be called from any thread.
 */
final class LogSubscription implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(LogSubscription.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** How long {@link #close()} waits for the batch in hand. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final EventReader reader;
    private final LogNotifier notifier;
    private final Duration pollInterval;
    private final Clock clock;
    private final int batchSize;
    private final LogBatchHandler handler;
    private final Runnable onClose;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private volatile boolean running = true;
    private volatile long position;
    private volatile Throwable failure;
    private volatile StoreOutage outage;

    LogSubscription(long afterOffset, int batchSize, LogBatchHandler handler, EventReader reader, LogNotifier notifier,
                    Duration pollInterval, Clock clock, Runnable onClose) {
        this.clock = clock;
        this.position = afterOffset;
        this.batchSize = batchSize;
        this.handler = handler;
        this.reader = reader;
        this.notifier = notifier;
        this.pollInterval = pollInterval;
        this.onClose = onClose;
        this.thread = new Thread(this::run, "kappa-subscription-" + COUNTER.incrementAndGet());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public boolean isRunning() {
        return running && failure == null;
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public Optional<StoreOutage> outage() {
        return Optional.ofNullable(outage);
    }

    @Override
    public boolean awaitPosition(long offset, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (position < offset && isRunning() && remaining > 0) {
                remaining = advanced.awaitNanos(remaining);
            }
            return position >= offset;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        stop();
        awaitStopped(System.nanoTime() + CLOSE_WAIT.toNanos());
        onClose.run();
    }

    /** Asks the thread to stop after the batch in hand, without waiting. */
    void stop() {
        running = false;
        notifier.wakeAll();
        signalWaiters();
    }

    /**
     * Waits until the thread has stopped or {@code deadline} ({@link System#nanoTime()}) passes: a thread that the
     * database keeps waiting is left to end by itself (it is a daemon, and delivers nothing more).
     */
    void awaitStopped(long deadline) {
        if (Thread.currentThread() != thread) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                log.warn("subscription {} did not stop within its wait (the database or its handler does not"
                        + " answer); it delivers nothing more", thread.getName());
            }
        }
        signalWaiters();
    }

    private void run() {
        try {
            follow();
        } catch (RuntimeException | Error e) {
            // never die silently: isRunning() must not go on saying true
            failure = e;
            log.error("subscription {} stopped at offset {}", thread.getName(), position, e);
        } finally {
            running = false;
            signalWaiters();
        }
    }

    private void follow() {
        while (true) {
            // read before checking running: a close() after this point moves it and so cannot be missed
            long generation = notifier.generation();
            if (!running) {
                return;
            }
            List<LogRecord> batch;
            try {
                batch = reader.readLog(position, batchSize);
            } catch (EventStoreException e) {
                // the database does not answer: however long that lasts, it is not this subscription's end
                cannotRead(e);
                pause();
                continue;
            }
            if (outage != null) {
                log.info("subscription {} reads the log again from offset {}, after waiting for the database since {}",
                        thread.getName(), position, outage.since());
                outage = null;
            }
            if (batch.isEmpty()) {
                waitForAppend(generation);
                continue;
            }
            try {
                handler.handle(batch);
            } catch (Exception | Error e) {
                failure = e;
                log.error("subscription {} stopped: its handler failed on the batch of offsets {}..{}",
                        thread.getName(), batch.get(0).offset(), batch.get(batch.size() - 1).offset(), e);
                return;
            }
            position = batch.get(batch.size() - 1).offset();
            signalWaiters();
        }
    }

    private void cannotRead(EventStoreException e) {
        String error = DatabaseFailures.describe(e);
        if (outage == null) {
            log.warn("subscription {} cannot read the log after offset {} ({}); retrying every {} until the database"
                    + " answers", thread.getName(), position, error, pollInterval);
            outage = new StoreOutage(clock.instant(), error);
        } else {
            outage = new StoreOutage(outage.since(), error);
        }
    }

    private void waitForAppend(long generation) {
        try {
            notifier.awaitHeadAbove(position, pollInterval.toNanos(), generation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Waits one poll interval, unless closed first: the notifier cannot help while reads fail. */
    private void pause() {
        lock.lock();
        try {
            if (running) {
                advanced.awaitNanos(pollInterval.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void signalWaiters() {
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
