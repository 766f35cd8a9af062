package dev.kappa.eventstore.internal.subscribe;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.EventReader;
import dev.kappa.eventstore.EventStoreException;
import dev.kappa.eventstore.LogBatchHandler;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.eventstore.Subscription;

/**
 * Reads the log from its position in batches and hands them to its handler, on a thread of its own; when it has
 * caught up, it waits for the notifier (or the poll interval) and reads again.
 *
 * <p>Delivery is in offset order and exactly once per subscription: the log has no late gaps, so reading
 * "everything above the last offset delivered" never skips a record. A failing read (a lost connection) is retried
 * every poll interval; a failing handler stops the subscription at that batch.
 *
 * <p>Thread-safe: the public methods may be called from any thread.
 */
final class LogSubscription implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(LogSubscription.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final EventReader reader;
    private final LogNotifier notifier;
    private final Duration pollInterval;
    private final int batchSize;
    private final LogBatchHandler handler;
    private final Runnable onClose;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private volatile boolean running = true;
    private volatile long position;
    private volatile Throwable failure;

    LogSubscription(long afterOffset, int batchSize, LogBatchHandler handler, EventReader reader, LogNotifier notifier,
                    Duration pollInterval, Runnable onClose) {
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
        running = false;
        notifier.wakeAll();
        signalWaiters();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        signalWaiters();
        onClose.run();
    }

    private void run() {
        boolean failingReads = false;
        while (true) {
            // read before checking running: a close() after this point moves it and so cannot be missed
            long generation = notifier.generation();
            if (!running) {
                break;
            }
            List<LogRecord> batch;
            try {
                batch = reader.readLog(position, batchSize);
                if (failingReads) {
                    log.info("subscription {} reads the log again from offset {}", thread.getName(), position);
                    failingReads = false;
                }
            } catch (EventStoreException e) {
                if (!failingReads) {
                    log.warn("subscription {} cannot read the log ({}); retrying every {}", thread.getName(),
                            e.getMessage(), pollInterval);
                    failingReads = true;
                }
                pause();
                continue;
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
                signalWaiters();
                return;
            }
            position = batch.get(batch.size() - 1).offset();
            signalWaiters();
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
