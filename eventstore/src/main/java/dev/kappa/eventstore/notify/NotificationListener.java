package dev.kappa.eventstore.notify;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kappa.eventstore.DatabaseFailures;
import dev.kappa.eventstore.StoreOutage;
import dev.kappa.eventstore.internal.ConnectionFailures;

/**
 * Listens on PostgreSQL notification channels, over a connection of its own, whatever the database does.
 *
 * <pre>{@code
 * NotificationListener listener = NotificationListener.builder(dataSource)
 *         .channel("orders_changed")
 *         .onNotification((channel, payload) -> changes.offer(payload))
 *         .onConnectionChange(waiters::wakeAll)
 *         .build();
 * listener.start();
 * ...
 * listener.close();
 * }</pre>
 *
 * <p>Once started, a thread of its own borrows one connection from the data source, {@code LISTEN}s on every channel
 * and hands each notification to the {@link NotificationHandler}. If the connection is lost (the database restarts,
 * the session is terminated, the pool cannot hand one out), the listener reports an {@link #outage()}, gives the
 * connection back so that the pool evicts it, and tries again, pausing 100 ms after the first failed attempt and twice
 * as long after each further one, 1 s at most. It never gives up while it is open.
 *
 * <p>PostgreSQL keeps no notification for a session that was not listening, so whatever is sent while the listener
 * has no connection is lost. The connection-change callback runs when the listener starts listening (the first time
 * and after every outage) and when it loses a connection it listened on: whoever relies on notifications should
 * then read the database for what it may have missed, and while {@link #isListening()} is false, read it at
 * intervals.
 *
 * <p>Thread-safe. The handler and the callback run on the listener's thread, one at a time; an exception they throw
 * is logged and the listener carries on.
 */
public final class NotificationListener implements AutoCloseable {

    /** How long {@link #close()} waits for the listener's thread. */
    public static final Duration DEFAULT_CLOSE_WAIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    /** How long one look for notifications blocks; also how soon the thread sees that it was closed. */
    private static final int RECEIVE_WAIT_MILLIS = 250;
    private static final long FIRST_RETRY_MILLIS = 100;
    /** The longest pause between attempts: while the database is away, a reconnect is noticed within about this. */
    private static final long MAX_RETRY_MILLIS = 1_000;
    /** A channel name that needs no quoting, so that it is the same name in LISTEN and in pg_notify(). */
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final List<String> channels;
    private final NotificationHandler handler;
    private final Runnable onConnectionChange;
    private final Clock clock;
    private final Thread thread;
    private final Object pause = new Object();
    private volatile boolean open = true;
    private volatile boolean listening;
    private volatile StoreOutage outage;
    /** The thread's own. */
    private Connection connection;

    private NotificationListener(Builder builder) {
        this.dataSource = builder.dataSource;
        this.channels = List.copyOf(builder.channels);
        this.handler = builder.handler;
        this.onConnectionChange = builder.onConnectionChange;
        this.clock = builder.clock;
        this.thread = new Thread(this::listen, builder.name);
        this.thread.setDaemon(true);
    }

    /** A listener borrowing its connection from {@code dataSource}; set its channels and handler, then build it. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Starts listening, on a thread of its own; returns at once.
     *
     * @throws IllegalStateException if it was started or closed before
     */
    public void start() {
        synchronized (pause) {
            if (!open) {
                throw new IllegalStateException(thread.getName() + " is closed; build a new listener");
            }
            if (thread.getState() != Thread.State.NEW) {
                throw new IllegalStateException(thread.getName() + " is already started");
            }
            thread.start();
        }
    }

    /** Whether notifications are being received now: false before the first connection and during an outage. */
    public boolean isListening() {
        return listening;
    }

    /**
     * Since when, and why, the listener cannot listen: present from its first failed attempt until it listens again.
     */
    public Optional<StoreOutage> outage() {
        return Optional.ofNullable(outage);
    }

    /** The channels it listens on. */
    public List<String> channels() {
        return channels;
    }

    /** Stops listening, waiting {@link #DEFAULT_CLOSE_WAIT} at most for the thread to end. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_WAIT);
    }

    /**
     * Stops listening and gives the connection back, waiting {@code timeout} at most for the thread to end, whatever
     * the database does: a wait for a connection is interrupted. Closing twice does no harm.
     *
     * @return whether the thread has ended
     */
    public boolean close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        synchronized (pause) {
            open = false;
            pause.notifyAll();
        }
        if (thread.getState() == Thread.State.NEW) {
            return true;
        }
        // ends a wait for a pooled connection at once, which may last the pool's whole timeout while the database is
        // away; the connection is given back on the way out anyway
        thread.interrupt();
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    @Override
    public String toString() {
        return thread.getName() + channels + (listening ? " listening" : " not listening");
    }

    private void listen() {
        long retryMillis = FIRST_RETRY_MILLIS;
        while (open) {
            try {
                if (connection == null) {
                    connect();
                    retryMillis = FIRST_RETRY_MILLIS;
                }
                receive();
            } catch (SQLException | RuntimeException e) {
                if (!open) {
                    break;
                }
                boolean wasListening = listening;
                listening = false;
                recordFailure(e);
                giveBack();
                if (wasListening) {
                    connectionChanged();
                }
                pause(retryMillis);
                retryMillis = Math.min(2 * retryMillis, MAX_RETRY_MILLIS);
            }
        }
        listening = false;
        giveBack();
    }

    private void connect() throws SQLException {
        connection = dataSource.getConnection();
        connection.setAutoCommit(true);
        for (String channel : channels) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + channel);
            }
        }
        listening = true;
        StoreOutage ended = outage;
        outage = null;
        if (ended != null) {
            log.info("{} listens on {} again, after an outage since {}", thread.getName(), channels, ended.since());
        } else {
            log.debug("{} listens on {}", thread.getName(), channels);
        }
        // whatever was sent before now is lost: waiters must look for themselves
        connectionChanged();
    }

    private void receive() throws SQLException {
        PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(RECEIVE_WAIT_MILLIS);
        if (notifications == null) {
            return;
        }
        for (PGNotification notification : notifications) {
            String payload = notification.getParameter();
            try {
                handler.notified(notification.getName(), payload == null ? "" : payload);
            } catch (RuntimeException e) {
                log.warn("{}: the handler failed on a notification on {} ({}); listening goes on",
                        thread.getName(), notification.getName(), payload, e);
            }
        }
    }

    private void connectionChanged() {
        try {
            onConnectionChange.run();
        } catch (RuntimeException e) {
            log.warn("{}: the connection-change callback failed; listening goes on", thread.getName(), e);
        }
    }

    private void recordFailure(Exception failure) {
        String error = DatabaseFailures.describe(failure);
        StoreOutage current = outage;
        if (current == null) {
            log.warn("{} cannot listen on {} ({}); it tries again by itself, and notifications sent meanwhile are"
                    + " lost", thread.getName(), channels, error);
            outage = new StoreOutage(clock.instant(), error);
        } else {
            outage = new StoreOutage(current.since(), error);
        }
    }

    /**
     * Gives the connection back to the data source. {@code UNLISTEN} goes through the pool's proxy: a healthy
     * connection stops listening before another borrower gets it, and on a broken one the statement fails where the
     * pool sees it (the failure that brought us here surfaced on the unwrapped driver connection, out of the pool's
     * sight), so that the pool evicts it instead of lending it out again.
     */
    private void giveBack() {
        if (connection == null) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
        } catch (SQLException expected) {
            // a broken connection fails here, which is the point
        }
        ConnectionFailures.closeQuietly(connection);
        connection = null;
    }

    private void pause(long millis) {
        synchronized (pause) {
            if (!open) {
                return;
            }
            try {
                // close() ends the pause at once
                pause.wait(millis);
            } catch (InterruptedException e) {
                // only close() interrupts this thread
                Thread.currentThread().interrupt();
                open = false;
            }
        }
    }

    /** Sets up a {@link NotificationListener}. Not thread-safe. */
    public static final class Builder {

        private final DataSource dataSource;
        private final Set<String> channels = new LinkedHashSet<>();
        private NotificationHandler handler;
        private Runnable onConnectionChange = () -> { };
        private Clock clock = Clock.systemUTC();
        private String name = "kappa-notification-listener";

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "data source must not be null");
        }

        /**
         * Listens on {@code channel} too: a lower-case PostgreSQL identifier (letters, digits and underscores, at
         * most 63 characters, not starting with a digit), sent to with {@code pg_notify('<channel>', payload)}.
         */
        public Builder channel(String channel) {
            Objects.requireNonNull(channel, "channel must not be null");
            if (!CHANNEL.matcher(channel).matches()) {
                throw new IllegalArgumentException("channel '" + channel + "' is not a lower-case PostgreSQL"
                        + " identifier; use letters a-z, digits and underscores, at most 63 characters, not starting"
                        + " with a digit");
            }
            channels.add(channel);
            return this;
        }

        /** Who receives the notifications (required). */
        public Builder onNotification(NotificationHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler must not be null");
            return this;
        }

        /**
         * What runs when the listener starts listening (the first time and after each outage) and when it loses the
         * connection it listened on; by default nothing.
         */
        public Builder onConnectionChange(Runnable callback) {
            this.onConnectionChange = Objects.requireNonNull(callback, "callback must not be null");
            return this;
        }

        /**
         * The name of the listener's thread, which its log lines name too; {@code kappa-notification-listener} by
         * default.
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name must not be null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** The clock that dates outages; the system's by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * The listener, not started yet.
         *
         * @throws IllegalStateException if no channel or no handler was given
         */
        public NotificationListener build() {
            if (channels.isEmpty()) {
                throw new IllegalStateException("a notification listener needs a channel; call channel(name)");
            }
            if (handler == null) {
                throw new IllegalStateException("a notification listener needs a handler; call onNotification(handler)");
            }
            return new NotificationListener(this);
        }
    }
}
