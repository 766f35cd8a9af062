package dev.kappa.postgres.embedded.junit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kappa.postgres.embedded.EmbeddedPostgresServer;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A fresh, empty database on the test JVM's shared embedded PostgreSQL, with a connection pool in front of it.
 *
 * <p>The shared server starts on first use and stops when the JVM exits (a killed JVM's server is stopped by its
 * watchdog, and its temporary directory removed). It runs with {@code fsync} and {@code synchronous_commit} off: test
 * data need not survive a power cut, and tests run faster without flushes.
 * {@link #close()} closes the pool and drops the database.
 *
 * <p>This class is thread-safe.
 */
public final class TestDatabase implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final int POOL_SIZE = 40;

    private final String name;
    private final EmbeddedPostgresServer server;
    private final HikariDataSource dataSource;

    private TestDatabase(String name, EmbeddedPostgresServer server, HikariDataSource dataSource) {
        this.name = name;
        this.server = server;
        this.dataSource = dataSource;
    }

    /** Creates a new empty database, starting the shared server if this is the first. */
    public static TestDatabase create() {
        EmbeddedPostgresServer server = SharedServer.INSTANCE;
        String name = "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        server.createDatabaseIfMissing(name);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl(name));
        config.setUsername(EmbeddedPostgresServer.SUPERUSER);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(0);
        config.setPoolName(name);
        return new TestDatabase(name, server, new HikariDataSource(config));
    }

    /** The database's name. */
    public String name() {
        return name;
    }

    /** A pooled data source for this database. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** A JDBC URL for this database (user {@value EmbeddedPostgresServer#SUPERUSER}, no password). */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** The shared server this database lives on. */
    public EmbeddedPostgresServer server() {
        return server;
    }

    /** Closes the pool and drops the database. */
    @Override
    public void close() {
        dataSource.close();
        server.dropDatabase(name);
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " on port " + server.port() + "]";
    }

    /** Holder idiom: the server starts on first use, once per JVM, without locking afterwards. */
    private static final class SharedServer {
        static final EmbeddedPostgresServer INSTANCE = EmbeddedPostgresServer.builder()
                .durable(false)
                .setting("max_connections", "500")
                .start();
    }
}
