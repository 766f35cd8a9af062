package dev.kappa.eventstore.internal.subscribe;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

import dev.kappa.eventstore.internal.LogChannel;
import dev.kappa.eventstore.internal.StoreSettings;
import dev.kappa.eventstore.notify.NotificationListener;

/**
 * Knows, as soon as PostgreSQL says so, that the log has grown, and wakes whoever waits for it.
 *
 * <p>Every append transaction notifies the new head on {@link LogChannel}, delivered at commit. With notifications
 * on, a {@link NotificationListener} hears them; when its connection drops or comes back it wakes every waiter, who
 * read the database for what they may have missed. Waiters never wait longer than the poll interval, so a lost
 * notification delays them by that much at most.
 *
 * <p>Thread-safe. The listener's thread is this class's own.
 */
final class LogNotifier implements AutoCloseable {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grown = lock.newCondition();
    private final NotificationListener listener;
    private volatile long knownHead;
    private volatile long generation;

    LogNotifier(DataSource dataSource, StoreSettings settings) {
        if (settings.notifications()) {
            listener = NotificationListener.builder(dataSource)
                    .channel(LogChannel.NAME)
                    .name("kappa-log-listener")
                    .clock(settings.clock())
                    .onNotification((channel, payload) -> heard(payload))
                    // notifications sent while it had no connection are lost: every waiter looks for itself
                    .onConnectionChange(this::wakeAll)
                    .build();
            listener.start();
        } else {
            listener = null;
        }
    }

    /** The highest head offset known to be committed, from a notification or a read. */
    long knownHead() {
        return knownHead;
    }

    /**
     * A counter that moves on every wake-up. Read it before deciding to wait and pass it to
     * {@link #awaitHeadAbove}: a wake-up that comes in between then ends the wait at once instead of being lost.
     */
    long generation() {
        return generation;
    }

    /** Records a head offset read from the database, waking waiters it satisfies. */
    void observe(long head) {
        if (head > knownHead) {
            lock.lock();
            try {
                if (head > knownHead) {
                    knownHead = head;
                    generation++;
                    grown.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits until the known head is above {@code offset}, at most {@code timeoutNanos}, or until any wake-up after
     * {@code seenGeneration} (from {@link #generation()}).
     *
     * @return whether the known head is above {@code offset}
     */
    boolean awaitHeadAbove(long offset, long timeoutNanos, long seenGeneration) throws InterruptedException {
        if (knownHead > offset) {
            return true;
        }
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (knownHead <= offset && generation == seenGeneration && remaining > 0) {
                remaining = grown.awaitNanos(remaining);
            }
            return knownHead > offset;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter: they go and read the database. */
    void wakeAll() {
        lock.lock();
        try {
            generation++;
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    }

    /** Stops the listener, waiting for it until {@code deadline} ({@link System#nanoTime()}) at most. */
    void close(long deadline) {
        wakeAll();
        if (listener != null) {
            listener.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    private void heard(String payload) {
        LogChannel.head(payload).ifPresentOrElse(this::observe, this::wakeAll);
    }
}
