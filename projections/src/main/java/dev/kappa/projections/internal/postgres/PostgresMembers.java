package dev.kappa.projections.internal.postgres;

import java.time.Duration;
import javax.sql.DataSource;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Which runtimes run each generation, by heartbeat (judged by the database's clock). Their number sets each one's
 * fair share of the generation's segments. Thread-safe.
 */
public final class PostgresMembers {

    private static final String HEARTBEAT = """
            INSERT INTO kappa_projection_members (projection, generation, instance_id, heartbeat_until)
            VALUES (:projection, :generation, :me, now() + :leaseMillis * interval '1 millisecond')
            ON CONFLICT (projection, generation, instance_id) DO UPDATE SET heartbeat_until = EXCLUDED.heartbeat_until""";

    private static final String ALIVE = """
            SELECT count(*) FROM kappa_projection_members
             WHERE projection = :projection AND generation = :generation
               AND (heartbeat_until >= now() OR instance_id = :me)""";

    /** Members that stopped renewing long ago (a crashed instance) are of no use to anyone. */
    private static final String FORGET_DEAD = """
            DELETE FROM kappa_projection_members
             WHERE projection = :projection AND heartbeat_until < now() - interval '1 day'""";

    private static final String LEAVE = """
            DELETE FROM kappa_projection_members
             WHERE projection = :projection AND generation = :generation AND instance_id = :me""";

    private final NamedParameterJdbcTemplate jdbc;

    public PostgresMembers(DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    }

    /**
     * Renews this instance's membership of a generation.
     *
     * @return how many instances run the generation, this one included
     */
    public int heartbeat(String projection, int generation, String me, Duration lease) {
        MapSqlParameterSource params = params(projection, generation, me).addValue("leaseMillis", lease.toMillis());
        jdbc.update(HEARTBEAT, params);
        jdbc.update(FORGET_DEAD, params);
        Integer alive = jdbc.queryForObject(ALIVE, params, Integer.class);
        return alive == null ? 1 : Math.max(1, alive);
    }

    /** Ends this instance's membership: the others' fair shares grow at once. */
    public void leave(String projection, int generation, String me) {
        jdbc.update(LEAVE, params(projection, generation, me));
    }

    private static MapSqlParameterSource params(String projection, int generation, String me) {
        return new MapSqlParameterSource("projection", projection).addValue("generation", generation)
                .addValue("me", me);
    }
}
