package dev.kappa.benchmarks;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.eventstore.EventStore;
import dev.kappa.eventstore.KappaSchema;
import dev.kappa.postgres.embedded.EmbeddedPostgresServer;
import dev.kappa.projections.ProjectionSchema;

/**
 * A fresh database on the run's server with Kappa's tables, a connection pool and an event store with default
 * settings (but an observer that counts its group commits): each phase that starts "on an empty store" gets one.
 *
 * <p>Thread-safe, as the store and the pool are.
 */
final class BankDatabase implements AutoCloseable {

    private static final int POOL_SIZE = 16;

    private final HikariDataSource dataSource;
    private final EventStore store;
    private final BatchStatistics batches = new BatchStatistics();
    private final JdbcTemplate jdbc;

    BankDatabase(EmbeddedPostgresServer server, String name) {
        server.dropDatabase(name);
        server.createDatabaseIfMissing(name);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl(name));
        config.setUsername(EmbeddedPostgresServer.SUPERUSER);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setPoolName("bench-" + name);
        this.dataSource = new HikariDataSource(config);
        KappaSchema.migrate(dataSource);
        ProjectionSchema.migrate(dataSource);
        this.jdbc = new JdbcTemplate(dataSource);
        this.store = EventStore.builder(dataSource).codec(AccountEvent.codec()).observer(batches).build();
    }

    DataSource dataSource() {
        return dataSource;
    }

    EventStore store() {
        return store;
    }

    BatchStatistics batches() {
        return batches;
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    long queryLong(String sql) {
        Long value = jdbc.queryForObject(sql, Long.class);
        return value == null ? 0 : value;
    }

    /** Writes dirty pages out now, so that the phase timed next does not pay for the one before it. */
    void checkpoint() {
        jdbc.execute("CHECKPOINT");
    }

    @Override
    public void close() {
        store.close();
        dataSource.close();
    }
}
