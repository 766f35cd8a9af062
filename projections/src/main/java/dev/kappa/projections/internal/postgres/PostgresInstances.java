package dev.kappa.projections.internal.postgres;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The runtimes alive on the database, by heartbeat (judged by the database's clock). Their number sets each one's fair
 * share of a projection's segments. Thread-safe.
 */
public final class PostgresInstances {

    private static final String HEARTBEAT = """
            INSERT INTO kappa_projection_instances (instance_id, started_at, heartbeat_until)
            VALUES (:me, :now, now() + :leaseMillis * interval '1 millisecond')
            ON CONFLICT (instance_id) DO UPDATE SET heartbeat_until = EXCLUDED.heartbeat_until""";

    private static final String ALIVE = """
            SELECT count(*) FROM kappa_projection_instances WHERE heartbeat_until >= now() OR instance_id = :me""";

    /** Rows of instances that died long ago are of no use to anyone. */
    private static final String FORGET_DEAD = """
            DELETE FROM kappa_projection_instances WHERE heartbeat_until < now() - interval '1 day'""";

    private static final String LEAVE = "DELETE FROM kappa_projection_instances WHERE instance_id = :me";

    private final NamedParameterJdbcTemplate jdbc;

    public PostgresInstances(DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    }

    /**
     * Renews this instance's heartbeat.
     *
     * @return how many instances are alive, this one included
     */
    public int heartbeat(String me, Duration lease, Instant now) {
        MapSqlParameterSource params = new MapSqlParameterSource("me", me).addValue("now", Timestamp.from(now))
                .addValue("leaseMillis", lease.toMillis());
        jdbc.update(HEARTBEAT, params);
        jdbc.update(FORGET_DEAD, params);
        Integer alive = jdbc.queryForObject(ALIVE, params, Integer.class);
        return alive == null ? 1 : Math.max(1, alive);
    }

    /** Removes this instance's heartbeat: the others' fair shares grow at once. */
    public void leave(String me) {
        jdbc.update(LEAVE, new MapSqlParameterSource("me", me));
    }
}
