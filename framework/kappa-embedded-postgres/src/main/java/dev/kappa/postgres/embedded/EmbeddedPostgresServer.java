package dev.kappa.postgres.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A PostgreSQL 18 server running as a child process of this JVM.
 *
 * <p>By default the server is durable: {@code fsync} and {@code synchronous_commit} are on, as in a stock
 * PostgreSQL, so that a committed transaction survives a power cut. (The embedded library's own defaults turn both
 * off; only throw-away test databases should do the same, with {@link Builder#durable(boolean) durable(false)}.)
 *
 * <p>With a {@link Builder#dataDirectory(Path) data directory} the data outlives the process and a later start reuses
 * it; without one, the server works in a temporary directory that is deleted when it stops.
 *
 * <p>This class is thread-safe. The server stops on {@link #close()} or, unless told otherwise, when the JVM exits.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The superuser every embedded server has; it needs no password on loopback. */
    public static final String SUPERUSER = "postgres";

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final boolean durable;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, boolean durable) {
        this.postgres = postgres;
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

    /** Stops the server; a temporary data directory is deleted, a configured one is kept. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL at port " + port(), e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[port=" + port() + ", dataDirectory="
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

        /** How long to wait for the server to accept connections; the default is 60 seconds. */
        public Builder startupTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "startup timeout must not be null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startup timeout must be positive but was " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * Whether the server stops by itself when the JVM exits (the default). Turn it off when something else closes
         * the server in order, after everything that uses it, such as a Spring application context: a hook of its own
         * would stop the server while the application is still shutting down with it.
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

        /** Starts the server and waits until it accepts connections. */
        public EmbeddedPostgresServer start() {
            String onOff = durable ? "on" : "off";
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(startupTimeout)
                    .setRegisterShutdownHook(stopOnJvmExit)
                    .setServerConfig("fsync", onOff)
                    .setServerConfig("synchronous_commit", onOff);
            if (port != 0) {
                builder.setPort(port);
            }
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory.toAbsolutePath()).setCleanDataDirectory(false);
            }
            settings.forEach(builder::setServerConfig);
            try {
                return new EmbeddedPostgresServer(builder.start(), dataDirectory, durable);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL"
                        + (dataDirectory == null ? "" : " in " + dataDirectory.toAbsolutePath())
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
