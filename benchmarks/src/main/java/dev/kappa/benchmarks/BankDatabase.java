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

    /**
     * The WAL written since {@code ?} (exact, from the insert position), and what the backends have reported of its
     * writes and flushes (pg_stat_io, with {@code track_wal_io_timing} on) and records (pg_stat_wal). A busy backend
     * reports at most once a second, so those counts miss up to the last second; the times per write and per flush
     * are averages and do not suffer from it.
     */
    private static final String WAL_SUMMARY = """
            SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), ?::pg_lsn) AS bytes,
                   w.wal_records AS records, w.wal_fpi AS fpi,
                   i.writes, i.write_time / greatest(i.writes, 1) AS write_ms,
                   i.fsyncs, i.fsync_time / greatest(i.fsyncs, 1) AS fsync_ms
              FROM pg_stat_wal w,
                   (SELECT coalesce(sum(writes), 0) AS writes, coalesce(sum(write_time), 0) AS write_time,
                           coalesce(sum(fsyncs), 0) AS fsyncs, coalesce(sum(fsync_time), 0) AS fsync_time
                      FROM pg_stat_io WHERE object = 'wal') i""";

    private final HikariDataSource dataSource;
    private final EventStore store;
    private final BatchStatistics batches = new BatchStatistics();
    private final JdbcTemplate jdbc;
    /** The WAL's insert position when the statistics were last reset. */
    private String walStart = "0/0";

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

    /**
     * Forgets the statement statistics gathered so far (with {@code pg_stat_statements} loaded), and the server's WAL
     * and I/O statistics.
     */
    void resetStatementStatistics() {
        jdbc.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        jdbc.execute("SELECT pg_stat_statements_reset()");
        jdbc.execute("SELECT pg_stat_reset_shared('wal')");
        jdbc.execute("SELECT pg_stat_reset_shared('io')");
        walStart = jdbc.queryForObject("SELECT pg_current_wal_insert_lsn()::text", String.class);
    }

    /**
     * What the server wrote to its WAL since the last reset, and how long its writes and flushes took (the times only
     * with {@code track_wal_io_timing} on): where a durable commit's wait goes.
     */
    String walSummary() {
        return jdbc.queryForObject(WAL_SUMMARY, (rs, row) -> String.format(Locale.ROOT,
                "%.1f MiB; reported so far: %d records, %d full-page images, %d writes, %.3f ms each, %d flushes,"
                        + " %.3f ms each", rs.getLong("bytes") / 1048576.0, rs.getLong("records"), rs.getLong("fpi"),
                rs.getLong("writes"), rs.getDouble("write_ms"), rs.getLong("fsyncs"), rs.getDouble("fsync_ms")),
                walStart);
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
