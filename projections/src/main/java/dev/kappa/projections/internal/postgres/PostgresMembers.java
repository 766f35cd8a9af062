package dev.kappa.projections.internal.postgres;

import java.time.Duration;
import javax.sql.DataSource;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Which runtimes run each generation, by heartbeat (judged by the database's clock). Their number sets each one's
 * fair share of the generation's segments, counted by {@link PostgresSegments} whenever a lease is taken or renewed.
 * Joining and leaving notify every runtime, so that the owners hand segments over, and the others take them, at once
 * rather than at their next renewal. Thread-safe.
 */
public final class PostgresMembers {

    private static final String HEARTBEAT = """
            INSERT INTO kappa_projection_members (projection, generation, instance_id, heartbeat_until)
            VALUES (:projection, :generation, :me, now() + :leaseMillis * interval '1 millisecond')
            ON CONFLICT (projection, generation, instance_id) DO UPDATE SET heartbeat_until = EXCLUDED.heartbeat_until""";

    /** Members that stopped renewing long ago (a crashed instance) are of no use to anyone. */
    private static final String FORGET_DEAD = """
            DELETE FROM kappa_projection_members
             WHERE projection = :projection AND heartbeat_until < now() - interval '1 day'""";

    private static final String LEAVE = """
            WITH left_generation AS (
                DELETE FROM kappa_projection_members
                 WHERE projection = :projection AND generation = :generation AND instance_id = :me
                RETURNING instance_id
            )
            SELECT pg_notify('""" + PostgresSegments.CHANNEL + "', :payload) FROM left_generation";

    private static final String NOTIFY = "SELECT pg_notify('" + PostgresSegments.CHANNEL + "', :payload)";

    private final NamedParameterJdbcTemplate jdbc;

    public PostgresMembers(DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    }

    /** Joins a generation's members and tells the others, whose fair shares shrink: they hand segments over. */
    public void join(String projection, int generation, String me, Duration lease) {
        heartbeat(projection, generation, me, lease);
        jdbc.query(NOTIFY, new MapSqlParameterSource("payload", Notification.changed(projection)), rs -> {
        });
    }

    /** Renews this instance's membership of a generation. */
    public void heartbeat(String projection, int generation, String me, Duration lease) {
        MapSqlParameterSource params = params(projection, generation, me).addValue("leaseMillis", lease.toMillis());
        jdbc.update(HEARTBEAT, params);
        jdbc.update(FORGET_DEAD, params);
    }

    /** Ends this instance's membership and tells the others, whose fair shares grow: they take its segments at once. */
    public void leave(String projection, int generation, String me) {
        // pg_notify returns void: run it without reading the column
        jdbc.query(LEAVE, params(projection, generation, me).addValue("payload", Notification.changed(projection)),
                rs -> {
                });
    }

    private static MapSqlParameterSource params(String projection, int generation, String me) {
        return new MapSqlParameterSource("projection", projection).addValue("generation", generation)
                .addValue("me", me);
    }
}
