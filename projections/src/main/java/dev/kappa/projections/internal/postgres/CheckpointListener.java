package dev.kappa.projections.internal.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears what workers of every runtime on the database commit: one connection {@code LISTEN}s on
 * {@link PostgresSegments#CHANNEL} and hands each of our notifications to a consumer. This is how a wait for a
 * checkpoint is woken by a commit in another process, and how a worker learns at once of a reset or a released lease.
 *
 * <p>When the connection drops it reconnects with a pause and calls {@code onReconnect}, since notifications sent
 * meanwhile are lost; while it is down, {@link #isListening()} is false and waiters fall back on reading the
 * database at intervals.
 *
 * <p>Thread-safe. The listener thread is this class's own; the consumers run on it and must be quick.
 */
public final class CheckpointListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CheckpointListener.class);
    private static final int LISTEN_WAIT_MILLIS = 250;
    private static final long RECONNECT_PAUSE_MILLIS = 1_000;

    private final DataSource dataSource;
    private final Consumer<Notification> consumer;
    private final Runnable onReconnect;
    private final Thread thread;
    private final Object pause = new Object();
    private volatile boolean running = true;
    private volatile boolean listening;
    private Connection connection;

    public CheckpointListener(DataSource dataSource, Consumer<Notification> consumer, Runnable onReconnect) {
        this.dataSource = dataSource;
        this.consumer = consumer;
        this.onReconnect = onReconnect;
        this.thread = new Thread(this::listen, "kappa-projections-listener");
        this.thread.setDaemon(true);
    }

    /** Starts listening. */
    public void start() {
        thread.start();
    }

    /** Whether notifications are being received now. */
    public boolean isListening() {
        return listening;
    }

    @Override
    public void close() {
        running = false;
        synchronized (pause) {
            pause.notifyAll();
        }
        // ends a wait for a pooled connection at once, which may last the pool's whole timeout while the database is
        // away; the connection is closed on the way out anyway
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listen() {
        boolean failing = false;
        while (running) {
            try {
                if (connection == null) {
                    connection = dataSource.getConnection();
                    connection.setAutoCommit(true);
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("LISTEN " + PostgresSegments.CHANNEL);
                    }
                    listening = true;
                    if (failing) {
                        log.info("projection listener reconnected; checkpoint waits are woken by commits again");
                        failing = false;
                    }
                    onReconnect.run();
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class)
                        .getNotifications(LISTEN_WAIT_MILLIS);
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        Notification.parse(notification.getParameter()).ifPresent(consumer);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (!running) {
                    break;
                }
                if (!failing) {
                    log.warn("projection listener lost its connection ({}); checkpoint waits poll the database until"
                            + " it reconnects", e.getMessage());
                    failing = true;
                }
                closeConnection();
                onReconnect.run();
                pause();
            }
        }
        listening = false;
        closeConnection();
    }

    private void pause() {
        synchronized (pause) {
            if (running) {
                try {
                    pause.wait(RECONNECT_PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    /**
     * A pooled connection goes back to the pool: it must stop listening first. On a broken one the statement fails
     * through the pool's proxy, so that the pool sees the failure and evicts it instead of lending it out again.
     */
    private void closeConnection() {
        if (connection == null) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN " + PostgresSegments.CHANNEL);
        } catch (SQLException expected) {
            // a broken connection fails here, which is the point
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing more can be done with it
        }
        connection = null;
    }
}
