package dev.kappa.projections;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/** Plain SQL for tests that look at the tables behind the API. */
final class Sql {

    private final JdbcTemplate jdbc;

    Sql(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    long queryLong(String sql, Object... args) {
        Long value = jdbc.queryForObject(sql, Long.class, args);
        return value == null ? 0 : value;
    }

    List<Long> queryLongs(String sql, Object... args) {
        return jdbc.queryForList(sql, Long.class, args);
    }

    List<Map<String, Object>> rows(String sql, Object... args) {
        return jdbc.queryForList(sql, args);
    }

    /** The rows of a query as a map from the first column (text) to the second (a number). */
    Map<String, Long> map(String sql, Object... args) {
        Map<String, Long> result = new java.util.TreeMap<>();
        jdbc.query(sql, rs -> {
            result.put(rs.getString(1), rs.getLong(2));
        }, args);
        return result;
    }

    void execute(String sql) {
        jdbc.execute(sql);
    }

    /** Empties the log and Kappa's projection tables, and drops every other table and view in the schema. */
    void reset() {
        jdbc.execute("""
                DO $$
                DECLARE r record;
                BEGIN
                  FOR r IN SELECT viewname FROM pg_views WHERE schemaname = current_schema() LOOP
                    EXECUTE 'DROP VIEW IF EXISTS ' || quote_ident(r.viewname) || ' CASCADE';
                  END LOOP;
                  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
                             AND tablename NOT LIKE 'kappa%' AND tablename NOT LIKE 'flyway%' LOOP
                    EXECUTE 'DROP TABLE IF EXISTS ' || quote_ident(r.tablename) || ' CASCADE';
                  END LOOP;
                END $$""");
        jdbc.execute("TRUNCATE kappa_log, kappa_streams, kappa_snapshots, kappa_projections,"
                + " kappa_projection_dead_letters CASCADE;"
                + " UPDATE kappa_log_head SET head = 0; UPDATE kappa_compaction SET compacted_through = 0");
    }
}
