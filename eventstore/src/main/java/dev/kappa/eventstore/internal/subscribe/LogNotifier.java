package dev.kappa.eventstore.internal.subscribe;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.internal.ConnectionFailures;
import dev.kappa.eventstore.internal.StoreSettings;

/**
 * Knows, as soon as PostgreSQL says so, that the log has grown, and wakes whoever waits for it.
 *
 * <p>Every append transaction sends {@code NOTIFY kappa_log, '<new head>'}, delivered at commit. With notifications
 * on, a listener thread holds one connection in {@code LISTEN kappa_log}; if that connection drops, it reconnects
 * with back-off and meanwhile wakes every waiter, who fall back on reading the database. Waiters never wait longer
 * than the poll interval, so a lost notification delays them by that much at most.
 *
 * <p>Thread-safe. The listener thread is this class's own.
 */
final class LogNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogNotifier.class);
    static final String CHANNEL = "kappa_log";
    private static final long LISTEN_WAIT_MILLIS = 250;
    /** Waiters poll meanwhile, so reconnecting need not be eager; but a long poll interval must not delay it. */
    private static final long MAX_RECONNECT_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DataSource dataSource;
    private final StoreSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grown = lock.newCondition();
    private final Thread listener;
    private volatile boolean running = true;
    private volatile long knownHead;
    private volatile long generation;
    private Connection connection;

    LogNotifier(DataSource dataSource, StoreSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        if (settings.notifications()) {
            listener = new Thread(this::listen, "kappa-log-listener");
            listener.setDaemon(true);
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
        running = false;
        wakeAll();
        if (listener != null) {
            // ends a wait for a pooled connection at once, which may last the pool's whole timeout while the database
            // is away; the connection is closed on the way out anyway
            listener.interrupt();
            try {
                listener.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void listen() {
        boolean connectedBefore = false;
        boolean failing = false;
        while (running) {
            try {
                if (connection == null) {
                    connection = dataSource.getConnection();
                    connection.setAutoCommit(true);
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("LISTEN " + CHANNEL);
                    }
                    if (failing) {
                        log.info("log listener reconnected; followers are woken by notifications again");
                        failing = false;
                    } else if (!connectedBefore) {
                        log.debug("log listener started");
                    }
                    connectedBefore = true;
                    // notifications sent while we were away are lost: let every waiter look for itself
                    wakeAll();
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class)
                        .getNotifications((int) LISTEN_WAIT_MILLIS);
                if (notifications != null) {
                    handle(notifications);
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!failing) {
                    log.warn("log listener lost its connection ({}); followers poll every {} until it reconnects",
                            e.getMessage(), settings.pollInterval());
                    failing = true;
                }
                discardBrokenConnection();
                wakeAll();
                pause();
            }
        }
        unlistenAndClose();
    }

    /** A pooled connection goes back to the pool: it must not keep listening there. */
    private void unlistenAndClose() {
        if (connection != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("UNLISTEN " + CHANNEL);
            } catch (SQLException ignored) {
                // a broken connection listens to nothing any more
            }
        }
        closeConnection();
    }

    private void handle(PGNotification[] notifications) {
        long highest = knownHead;
        for (PGNotification notification : notifications) {
            if (!CHANNEL.equals(notification.getName())) {
                continue;
            }
            try {
                highest = Math.max(highest, Long.parseLong(notification.getParameter()));
            } catch (NumberFormatException e) {
                // not one of ours (someone else notified on our channel): just wake the waiters to read
                wakeAll();
            }
        }
        observe(highest);
    }

    private void pause() {
        long seen = generation;
        if (!running) {
            return;
        }
        try {
            // any wake-up, close() included, ends the pause early
            awaitHeadAbove(Long.MAX_VALUE, Math.min(settings.pollInterval().toNanos(), MAX_RECONNECT_PAUSE_NANOS), seen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * The failure surfaced on the unwrapped driver connection, out of a pool's sight; a statement through the pool's
     * proxy fails the same way and lets the pool evict the connection instead of lending it out again.
     */
    private void discardBrokenConnection() {
        if (connection != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            } catch (SQLException expected) {
                // the point of the probe
            }
        }
        closeConnection();
    }

    private void closeConnection() {
        ConnectionFailures.closeQuietly(connection);
        connection = null;
    }
}
