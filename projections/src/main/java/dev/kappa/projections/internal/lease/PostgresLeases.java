package dev.kappa.projections.internal.lease;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import dev.kappa.projections.internal.segment.Notification;
import dev.kappa.projections.internal.segment.PostgresSegments;
import dev.kappa.projections.internal.segment.SegmentKey;
import dev.kappa.projections.internal.segment.SegmentRow;

/**
 * The leases of database projections' segments, kept in the segments' rows, and the members of each generation (the
 * runtimes that run it, by heartbeat) whose number sets each one's fair share of the segments. Leases and heartbeats
 * are judged by the database's clock ({@code now()}), never by the instances' own, which may disagree. Joining and
 * leaving notify every runtime, so that owners hand segments over, and the others take them, at once rather than at
 * their next renewal.
 *
 * <p>Statements run on the connection of the current Spring-managed transaction if there is one, on a pooled
 * connection otherwise. Thread-safe.
 */
public final class PostgresLeases {

    /**
     * How many instances run the generation, this one included (whether or not its heartbeat is current): the fair
     * share of each is the segment count divided by it, rounded up. Counted at every claim and renewal, so that a
     * runtime that joins or leaves changes the others' shares at once.
     */
    private static final String MEMBERS = """
            members AS (
                SELECT count(*) + 1 AS alive FROM kappa_projection_members
                 WHERE projection = :projection AND generation = :generation AND instance_id <> :me
                   AND heartbeat_until >= now()
            )""";

    private static final String FAIR_SHARE = "(:segments + members.alive - 1) / members.alive";

    private static final String ACQUIRE = """
            WITH previous AS (
                SELECT owner, lease_until < now() AS expired
                  FROM kappa_projection_segments
                 WHERE projection = :projection AND generation = :generation AND segment = :segment
                   FOR UPDATE
            ), """ + MEMBERS + """

            UPDATE kappa_projection_segments s
               SET owner = :me, lease_until = now() + :leaseMillis * interval '1 millisecond'
              FROM previous, members
             WHERE s.projection = :projection AND s.generation = :generation AND s.segment = :segment
               AND (previous.owner IS NULL OR previous.owner = :me OR previous.expired)
               AND (NOT :fairShare OR previous.owner = :me OR (SELECT count(*) FROM kappa_projection_segments o
                                              WHERE o.projection = s.projection AND o.generation = s.generation
                                                AND o.owner = :me AND o.lease_until >= now()) < """ + FAIR_SHARE
            + """
            )
            RETURNING s.segment, s.checkpoint, s.caught_up, s.owner, true AS lease_valid, s.failed_offset,
                      s.failed_type, s.error_type, s.error_message, s.failed_attempts, s.failed_at, s.skip_decided_by,
                      s.skip_note, s.skip_decided_at, previous.owner AS previous_owner""";

    private static final String RENEW = "WITH " + MEMBERS + """

            UPDATE kappa_projection_segments s
               SET lease_until = now() + :leaseMillis * interval '1 millisecond'
              FROM members
             WHERE projection = :projection AND generation = :generation AND segment = :segment AND owner = :me
            RETURNING segment, checkpoint, caught_up, owner, true AS lease_valid, failed_offset, failed_type,
                      error_type, error_message, failed_attempts, failed_at, skip_decided_by, skip_note,
                      skip_decided_at,
                      (SELECT count(*) FROM kappa_projection_segments o
                        WHERE o.projection = s.projection AND o.generation = s.generation AND o.owner = :me
                          AND (o.lease_until >= now() OR o.segment = s.segment)) AS owned,
                      (SELECT max(o.segment) FROM kappa_projection_segments o
                        WHERE o.projection = s.projection AND o.generation = s.generation
                          AND o.owner = :me) AS highest,
                      """ + FAIR_SHARE + " AS fair_share";

    private static final String RELEASE = """
            WITH released AS (
                UPDATE kappa_projection_segments SET owner = NULL, lease_until = NULL
                 WHERE projection = :projection AND generation = :generation AND segment = :segment AND owner = :me
                RETURNING segment
            )
            SELECT pg_notify('""" + PostgresSegments.CHANNEL + "', :payload) FROM released";

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

    /**
     * Every instance with a membership not yet forgotten (see {@link #FORGET_DEAD}), by instance id: its latest
     * heartbeat, whether that still holds, the projections it is a member of, and the live leases it holds.
     */
    private static final String FLEET = """
            WITH members AS (
                SELECT instance_id, max(heartbeat_until) AS heartbeat_until,
                       array_agg(DISTINCT projection ORDER BY projection) AS projections
                  FROM kappa_projection_members
                 WHERE heartbeat_until >= now() - interval '1 day'
                 GROUP BY instance_id
            ), held AS (
                SELECT owner, count(*) AS segments
                  FROM kappa_projection_segments
                 WHERE owner IS NOT NULL AND lease_until >= now()
                 GROUP BY owner
            )
            SELECT m.instance_id, m.heartbeat_until, m.heartbeat_until >= now() AS alive, m.projections,
                   coalesce(h.segments, 0) AS segments
              FROM members m LEFT JOIN held h ON h.owner = m.instance_id
             ORDER BY m.instance_id""";

    private static final String NOTIFY = "SELECT pg_notify('" + PostgresSegments.CHANNEL + "', :payload)";

    private final NamedParameterJdbcTemplate jdbc;

    public PostgresLeases(DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    }

    /**
     * Takes the segment's lease if it is free, expired or already the holder's, and, where {@code fairShare}, the
     * holder holds fewer than its fair share of the generation's {@code segments}: their number divided by the
     * generation's live members. Without it (a source that places its partitions itself), any free segment is taken.
     *
     * @return the row and its previous owner, or empty if someone else holds it (or the generation is gone)
     */
    public Optional<Acquired> acquire(Lease lease, int segments, boolean fairShare) {
        List<Acquired> rows = jdbc.query(ACQUIRE, params(lease, segments).addValue("fairShare", fairShare),
                (rs, n) -> new Acquired(PostgresSegments.row(rs), rs.getString("previous_owner")));
        return rows.stream().findFirst();
    }

    /**
     * Renews the lease if its holder still holds it.
     *
     * @param segments how many segments the generation has
     * @return the row, with how many of the generation's segments the holder holds and may hold, or empty if it lost
     *         the lease
     */
    public Optional<Renewal> renew(Lease lease, int segments) {
        List<Renewal> rows = jdbc.query(RENEW, params(lease, segments), (rs, n) -> new Renewal(
                PostgresSegments.row(rs), rs.getInt("owned"), rs.getInt("highest"), rs.getInt("fair_share")));
        return rows.stream().findFirst();
    }

    /** Gives up the lease, so that another instance can take the segment at once. */
    public void release(Lease lease) {
        SegmentKey key = lease.segment();
        // pg_notify returns void: run it without reading the column
        jdbc.query(RELEASE, new MapSqlParameterSource("projection", key.projection())
                .addValue("generation", key.generation()).addValue("segment", key.segment())
                .addValue("me", lease.holder()).addValue("payload", Notification.changed(key.projection())), rs -> {
                });
    }

    /** Joins a generation's members and tells the others, whose fair shares shrink: they hand segments over. */
    public void join(String projection, int generation, String me, Duration lease) {
        heartbeat(projection, generation, me, lease);
        jdbc.query(NOTIFY, new MapSqlParameterSource("payload", Notification.changed(projection)), rs -> {
        });
    }

    /** Renews this instance's membership of a generation. */
    public void heartbeat(String projection, int generation, String me, Duration lease) {
        MapSqlParameterSource params = member(projection, generation, me).addValue("leaseMillis", lease.toMillis());
        jdbc.update(HEARTBEAT, params);
        jdbc.update(FORGET_DEAD, params);
    }

    /** Ends this instance's membership and tells the others, whose fair shares grow: they take its segments at once. */
    public void leave(String projection, int generation, String me) {
        jdbc.query(LEAVE, member(projection, generation, me).addValue("payload", Notification.changed(projection)),
                rs -> {
                });
    }

    /**
     * The instances that run database projections on this database, as their memberships and leases show them, by
     * instance id; heartbeats and leases are judged by the database's clock.
     */
    public List<Member> fleet() {
        return jdbc.query(FLEET, (rs, n) -> new Member(rs.getString("instance_id"),
                rs.getObject("heartbeat_until", OffsetDateTime.class).toInstant(), rs.getBoolean("alive"),
                List.of((String[]) rs.getArray("projections").getArray()), rs.getInt("segments")));
    }

    private static MapSqlParameterSource params(Lease lease, int segments) {
        SegmentKey key = lease.segment();
        return new MapSqlParameterSource("projection", key.projection()).addValue("generation", key.generation())
                .addValue("segment", key.segment()).addValue("me", lease.holder())
                .addValue("leaseMillis", lease.duration().toMillis()).addValue("segments", segments);
    }

    private static MapSqlParameterSource member(String projection, int generation, String me) {
        return new MapSqlParameterSource("projection", projection).addValue("generation", generation)
                .addValue("me", me);
    }

    /**
     * A lease taken.
     *
     * @param row           the segment's row
     * @param previousOwner who held it before, or {@code null}
     */
    public record Acquired(SegmentRow row, String previousOwner) {
    }

    /**
     * A runtime that is a member of some projection's generation.
     *
     * @param instanceId     its instance id
     * @param heartbeatUntil until when its latest heartbeat holds
     * @param alive          whether that heartbeat holds now, by the database's clock
     * @param projections    the projections it is a member of, sorted
     * @param segments       how many segments it holds a live lease on
     */
    public record Member(String instanceId, Instant heartbeatUntil, boolean alive, List<String> projections,
                         int segments) {
    }

    /**
     * A lease renewed.
     *
     * @param row       the segment's row
     * @param owned     how many segments of the generation the holder holds
     * @param highest   the highest segment number it holds
     * @param fairShare how many it may hold: the segments divided by the generation's live members, rounded up
     */
    public record Renewal(SegmentRow row, int owned, int highest, int fairShare) {
    }
}
