package dev.kappa.postgres.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A PostgreSQL 18 server started by this JVM from the embedded binaries.
 *
 * <p>By default the server is durable: {@code fsync} and {@code synchronous_commit} are on, as in a stock
 * PostgreSQL, so that a committed transaction survives a power cut. (The embedded library's own defaults turn both
 * off; only throw-away test databases should do the same, with {@link Builder#durable(boolean) durable(false)}.)
 *
 * <p>With a {@link Builder#dataDirectory(Path) data directory} the data outlives the process and a later start reuses
 * it; without one, the server works in a temporary directory that is deleted when it stops.
 *
 * <h2>Lifecycle</h2>
 * PostgreSQL runs as processes of its own, which do not end with the JVM by themselves. The server stops:
 * <ul>
 *   <li>on {@link #close()};</li>
 *   <li>when the JVM exits in order (shutdown hooks run), unless {@link Builder#stopOnJvmExit(boolean)
 *       stopOnJvmExit(false)} leaves that to the application, which then closes the server itself;</li>
 *   <li>when the JVM ends in any other way ({@code kill -9}, a crash, an exit that never closed the server): a small
 *       watchdog process started with the server notices at once and has PostgreSQL shut down fast, normally within
 *       a second or two (it needs a POSIX shell, so not on Windows), removing a temporary data directory after it;</li>
 *   <li>and if the watchdog was killed too (a {@code kill -9} of the whole process group, say), at the next
 *       {@link Builder#start() start} on the same data directory: a PostgreSQL left running there by an earlier run of
 *       the embedded server whose application is gone is shut down (fast, bounded by the
 *       {@link Builder#startupTimeout(Duration) startup timeout}, then immediate) before the new one starts.</li>
 * </ul>
 * Anything else holding the data directory makes {@link Builder#start() start} fail at once with an
 * {@link IllegalStateException} that names the directory and the process and says what to do: the embedded server
 * of an application still running, a PostgreSQL that is not the embedded one, or a {@code postmaster.pid} naming a
 * live process that is no PostgreSQL. A {@code postmaster.pid} whose process is gone is stale, and PostgreSQL
 * replaces it. One server of a JVM at a time can use a data directory.
 *
 * <p>This class is thread-safe. {@link Builder#start()} blocks the calling thread until the server accepts
 * connections; {@link #close()} blocks until it has stopped, may be called from any thread, and more than once.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The superuser every embedded server has; it needs no password on loopback. */
    public static final String SUPERUSER = "postgres";

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;
    private final ServerDirectory directory;
    private final long postmasterPid;
    private final Optional<PostmasterWatchdog> watchdog;
    private final Path dataDirectory;
    private final boolean durable;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread shutdownHook;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, ServerDirectory directory, long postmasterPid,
                                   Optional<PostmasterWatchdog> watchdog, Path dataDirectory, boolean durable) {
        this.postgres = postgres;
        this.directory = directory;
        this.postmasterPid = postmasterPid;
        this.watchdog = watchdog;
        this.dataDirectory = dataDirectory;
        this.durable = durable;
    }

    /** Returns a builder for a durable server in a temporary directory on a free port. */
    public static Builder builder() {
        return new Builder();
    }

    /** The TCP port the server listens on (loopback). */
    public int port() {
        return postgres.getPort();
    }

    /** The data directory the server keeps its files in, or {@code null} when it uses a temporary one. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Whether {@code fsync} and {@code synchronous_commit} are on. */
    public boolean durable() {
        return durable;
    }

    /** A JDBC URL for the named database, connecting as {@link #SUPERUSER}. */
    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl(SUPERUSER, requireDatabaseName(database));
    }

    /**
     * A non-pooling data source for the named database: every {@code getConnection()} opens a new connection, so
     * put a pool in front of it for anything but administration.
     */
    public DataSource dataSource(String database) {
        return postgres.getDatabase(SUPERUSER, requireDatabaseName(database));
    }

    /**
     * Creates the named database unless it exists.
     *
     * @return {@code true} if it was created, {@code false} if it was already there
     */
    public boolean createDatabaseIfMissing(String database) {
        String name = requireDatabaseName(database);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return false;
                }
            }
            // the name is checked against DATABASE_NAME above, so it is safe to put in the statement
            statement.execute("CREATE DATABASE " + name);
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database '" + name + "' on the embedded PostgreSQL at port "
                    + port() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Drops the named database, ending its open connections first. Does nothing if it does not exist.
     */
    public void dropDatabase(String database) {
        String name = requireDatabaseName(database);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop database '" + name + "' on the embedded PostgreSQL at port "
                    + port() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the server and waits until it has stopped; a temporary data directory is deleted, a configured one is
     * kept. Does nothing if the server is already closed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL at port " + port(), e);
        } finally {
            // only now: had the JVM died while PostgreSQL stopped, the watchdog would have finished the job
            watchdog.ifPresent(PostmasterWatchdog::cancel);
            directory.close();
            removeShutdownHook();
        }
    }

    private void addShutdownHook() {
        Thread hook = new Thread(this::close, "kappa-embedded-postgres-stop-" + port());
        shutdownHook = hook;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        if (hook == null || hook == Thread.currentThread()) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs, finds the server closed and returns
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[port=" + port() + ", pid=" + postmasterPid + ", dataDirectory="
                + (dataDirectory == null ? "(temporary)" : dataDirectory) + ", durable=" + durable + "]";
    }

    private static String requireDatabaseName(String database) {
        Objects.requireNonNull(database, "database name must not be null");
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("database name '" + database
                    + "' is not valid here: use lower-case letters, digits and underscores, at most 63 characters,"
                    + " not starting with a digit");
        }
        return database;
    }

    /**
     * Configures an {@link EmbeddedPostgresServer}. Not thread-safe; build once.
     */
    public static final class Builder {

        private Path dataDirectory;
        private int port;
        private boolean durable = true;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private boolean stopOnJvmExit = true;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Keeps the data in this directory, creating it on first start and reusing it afterwards.
         */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = Objects.requireNonNull(directory, "data directory must not be null");
            return this;
        }

        /** Listens on this port; {@code 0} (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535 but was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Whether commits are flushed to disk before they are acknowledged ({@code fsync} and
         * {@code synchronous_commit} on). Defaults to {@code true}; turn it off only for data you can lose.
         */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /**
         * How long to wait for the server to accept connections; the default is 60 seconds. It also bounds the fast
         * shutdown of a server that an earlier run left running on the data directory.
         */
        public Builder startupTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "startup timeout must not be null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startup timeout must be positive but was " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * Whether a shutdown hook stops the server when the JVM exits in order (the default). Turn it off when something
         * else closes the server in order, after everything that uses it, such as a Spring application context: a hook
         * of its own would stop the server while the application is still shutting down with it. Either way, a server
         * still running once the JVM is gone is stopped by its watchdog.
         */
        public Builder stopOnJvmExit(boolean stop) {
            this.stopOnJvmExit = stop;
            return this;
        }

        /**
         * Sets a server setting ({@code postgresql.conf} name and value), applied after the durability settings.
         */
        public Builder setting(String name, String value) {
            Objects.requireNonNull(name, "setting name must not be null");
            Objects.requireNonNull(value, "value of setting '" + name + "' must not be null");
            settings.put(name, value);
            return this;
        }

        /**
         * Starts the server and waits until it accepts connections. On a data directory where an earlier run of the
         * embedded server left PostgreSQL running (its application was killed), that server is stopped first.
         *
         * @throws IllegalStateException when something else holds the data directory: the embedded server of a
         *                               running application, or a process that is not the embedded server
         */
        public EmbeddedPostgresServer start() {
            boolean temporary = dataDirectory == null;
            ServerDirectory directory = ServerDirectory.claim(temporary ? createTemporaryDirectory() : dataDirectory);
            try {
                if (!temporary) {
                    directory.stopLeftoverServer(startupTimeout);
                }
                EmbeddedPostgres postgres = startPostgres(directory, temporary);
                long postmasterPid = directory.runningPostmasterPid().orElseThrow(() -> new IllegalStateException(
                        "the embedded PostgreSQL started in " + directory.path() + " but left no postmaster.pid"));
                directory.recordRunning(postmasterPid);
                Optional<PostmasterWatchdog> watchdog =
                        PostmasterWatchdog.watch(directory.path(), postmasterPid, temporary);
                EmbeddedPostgresServer server =
                        new EmbeddedPostgresServer(postgres, directory, postmasterPid, watchdog, dataDirectory, durable);
                if (stopOnJvmExit) {
                    server.addShutdownHook();
                }
                return server;
            } catch (RuntimeException e) {
                directory.close();
                throw e;
            }
        }

        private EmbeddedPostgres startPostgres(ServerDirectory directory, boolean temporary) {
            String onOff = durable ? "on" : "off";
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(startupTimeout)
                    // the server's own hook closes it, watchdog and directory included
                    .setRegisterShutdownHook(false)
                    .setServerConfig("fsync", onOff)
                    .setServerConfig("synchronous_commit", onOff)
                    .setDataDirectory(directory.path())
                    // a temporary directory is deleted when the server stops
                    .setCleanDataDirectory(temporary);
            if (port != 0) {
                builder.setPort(port);
            }
            settings.forEach(builder::setServerConfig);
            try {
                return builder.start();
            } catch (IOException | RuntimeException e) {
                // the library gives up waiting without stopping what it started
                try {
                    directory.stopServerOfFailedStart(Duration.ofSeconds(10));
                } catch (RuntimeException stopFailure) {
                    e.addSuppressed(stopFailure);
                }
                String where = temporary ? "" : " in " + directory.path();
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("could not start the embedded PostgreSQL" + where + ": "
                            + e.getMessage(), io);
                }
                throw new IllegalStateException("could not start the embedded PostgreSQL" + where + ": "
                        + e.getMessage(), e);
            }
        }

        private static Path createTemporaryDirectory() {
            try {
                return Files.createTempDirectory("kappa-postgres-");
            } catch (IOException e) {
                throw new UncheckedIOException("could not create a temporary data directory for the embedded"
                        + " PostgreSQL: " + e.getMessage(), e);
            }
        }
    }
}
