package dev.kappa.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
    private static final String COSTLIEST_STATEMENTS = """
            SELECT total_exec_time + total_plan_time AS total, calls,
                   (total_exec_time + total_plan_time) / greatest(calls, 1) AS mean, rows,
                   left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query
              FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
             ORDER BY total_exec_time + total_plan_time DESC LIMIT ?""";

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

    /**
     * The PostgreSQL server's postmaster, the parent of the backend serving this database's connections (its processes
     * are it and its descendants); empty if that process cannot be seen from here.
     */
    Optional<ProcessHandle> postmaster() {
        return ProcessHandle.of(queryLong("SELECT pg_backend_pid()")).flatMap(ProcessHandle::parent);
    }

    /** Forgets the statement statistics gathered so far (with {@code pg_stat_statements} loaded). */
    void resetStatementStatistics() {
        jdbc.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        jdbc.execute("SELECT pg_stat_statements_reset()");
    }

    /** This database's costliest statements since the last reset, by planning and execution time, one line each. */
    List<String> costliestStatements(int limit) {
        return jdbc.query(COSTLIEST_STATEMENTS, (rs, row) -> String.format(Locale.ROOT,
                "%9.0f ms %8d calls %8.3f ms/call %9d rows  %s", rs.getDouble("total"), rs.getLong("calls"),
                rs.getDouble("mean"), rs.getLong("rows"), rs.getString("query")), limit);
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
