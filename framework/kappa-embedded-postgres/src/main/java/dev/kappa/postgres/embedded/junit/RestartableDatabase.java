package dev.kappa.postgres.embedded.junit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kappa.postgres.embedded.EmbeddedPostgresServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A database on an embedded PostgreSQL of its own, which a test stops and starts again, on the same data directory
 * and port, to play a database outage under a running application. (The JVM's shared server, which
 * {@link TestDatabase} uses, must never be stopped.)
 *
 * <pre>{@code
 * RestartableDatabase database = RestartableDatabase.start(temporaryDirectory);
 * DataSource pool = database.pool(Duration.ofSeconds(1));
 * ...
 * database.stop();      // connections fail; new ones are refused
 * database.restart();   // the same data, on the same port
 * }</pre>
 *
 * <p>Not durable ({@code fsync} off): a clean stop keeps every commit all the same. This class is thread-safe.
 */
public final class RestartableDatabase implements AutoCloseable {

    /** The database the tests use on the server. */
    public static final String DATABASE = "outage";

    private final Path dataDirectory;
    private final int port;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private EmbeddedPostgresServer server;

    private RestartableDatabase(Path dataDirectory, EmbeddedPostgresServer server) {
        this.dataDirectory = dataDirectory;
        this.server = server;
        this.port = server.port();
    }

    /** Starts a server keeping its data in {@code dataDirectory} (an empty or missing directory), on a free port. */
    public static RestartableDatabase start(Path dataDirectory) {
        Objects.requireNonNull(dataDirectory, "data directory must not be null");
        EmbeddedPostgresServer server = builder(dataDirectory, 0).start();
        server.createDatabaseIfMissing(DATABASE);
        return new RestartableDatabase(dataDirectory, server);
    }

    /** The JDBC URL of the database (user {@value EmbeddedPostgresServer#SUPERUSER}, no password). */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    /** The port the server listens on, before and after a restart. */
    public int port() {
        return port;
    }

    /**
     * A connection pool on the database that waits at most {@code connectionTimeout} for a connection; closed with
     * this object.
     */
    public synchronized HikariDataSource pool(Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setUsername(EmbeddedPostgresServer.SUPERUSER);
        config.setMaximumPoolSize(20);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setPoolName("restartable-" + port + "-" + pools.size());
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** Whether the server runs now. */
    public synchronized boolean running() {
        return server != null;
    }

    /** Stops the server (a fast shutdown: open sessions are ended); does nothing if it is stopped. */
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server again on the same data directory and port; does nothing if it runs. */
    public synchronized void restart() {
        if (server == null) {
            server = builder(dataDirectory, port).start();
        }
    }

    /** Closes the pools and stops the server; the data directory is left to its owner. */
    @Override
    public synchronized void close() {
        pools.forEach(HikariDataSource::close);
        pools.clear();
        stop();
    }

    @Override
    public String toString() {
        return "RestartableDatabase[port=" + port + ", dataDirectory=" + dataDirectory + ", "
                + (server == null ? "stopped" : "running") + "]";
    }

    private static EmbeddedPostgresServer.Builder builder(Path dataDirectory, int port) {
        return EmbeddedPostgresServer.builder()
                .dataDirectory(dataDirectory)
                .port(port)
                .durable(false)
                .startupTimeout(Duration.ofSeconds(60));
    }
}
