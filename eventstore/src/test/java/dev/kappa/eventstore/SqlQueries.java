package dev.kappa.eventstore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Plain SQL for tests that look at the tables behind the API. */
final class SqlQueries {

    private final DataSource dataSource;

    SqlQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    long queryLong(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    List<Long> queryLongs(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<Long> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Truncates the log and resets its head and compaction state, so that a test starts from offset 1. */
    void resetLog() {
        execute("TRUNCATE kappa_log, kappa_streams, kappa_snapshots, kappa_idempotency;"
                + " UPDATE kappa_log_head SET head = 0; UPDATE kappa_compaction SET compacted_through = 0,"
                + " last_run_finished_at = NULL, last_run_millis = NULL, last_superseded_removed = NULL,"
                + " last_tombstones_removed = NULL, last_keys_expired = NULL, last_compacted_through = NULL,"
                + " last_run_by = NULL");
    }
}
