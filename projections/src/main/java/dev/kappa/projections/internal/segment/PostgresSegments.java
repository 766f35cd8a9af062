package dev.kappa.projections.internal.segment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.internal.deadletter.SkipDecision;

/**
 * The segments' rows: checkpoints, failures and skip decisions. Statements run on the connection of the current
 * Spring-managed transaction if there is one (the worker's batch), on a pooled connection otherwise. The leases kept in
 * the same rows are taken, renewed and released by {@code internal.lease.PostgresLeases}; moving the checkpoint extends
 * the lease too, judged like it by the database's clock. Thread-safe.
 */
public final class PostgresSegments {

    /** The channel workers notify on commit, with {@link Notification} payloads; the runtime listens to it. */
    public static final String CHANNEL = "kappa_projections";

    /** The fencing compare-and-set: only the owner, from the checkpoint it read, may move the checkpoint. */
    private static final String ADVANCE = """
            WITH advanced AS (
                UPDATE kappa_projection_segments
                   SET checkpoint = :to, caught_up = :caughtUp, updated_at = :now,
                       lease_until = now() + :leaseMillis * interval '1 millisecond'
                 WHERE projection = :projection AND generation = :generation AND segment = :segment
                   AND owner = :me AND checkpoint = :from
                RETURNING checkpoint
            )
            SELECT pg_notify('""" + CHANNEL + "', :payload) FROM advanced";

    /** A new failure clears any skip decision: a decision only ever applies to the failure it was taken on. */
    private static final String RECORD_FAILURE = """
            UPDATE kappa_projection_segments
               SET failed_offset = :offset, failed_type = :eventType, error_type = :errorType,
                   error_message = :message, failed_attempts = :attempts, failed_at = :failedAt, updated_at = :failedAt,
                   skip_decided_by = NULL, skip_note = NULL, skip_decided_at = NULL
             WHERE projection = :projection AND generation = :generation AND segment = :segment AND owner = :me""";

    /** An operator's decision to skip the event the projection's failed segments stopped at. */
    private static final String DECIDE_SKIP = """
            WITH decided AS (
                UPDATE kappa_projection_segments
                   SET skip_decided_by = :by, skip_note = :note, skip_decided_at = :at, updated_at = :at
                 WHERE projection = :projection AND failed_offset = :offset
                RETURNING generation, segment
            )
            SELECT generation, segment, pg_notify('""" + CHANNEL + "', :payload) FROM decided";

    /** The worker has parked the skipped event: the failure and the decision go, in the batch's transaction. */
    private static final String CLEAR_SKIPPED = """
            UPDATE kappa_projection_segments
               SET failed_offset = NULL, failed_type = NULL, error_type = NULL, error_message = NULL,
                   failed_attempts = NULL, failed_at = NULL, skip_decided_by = NULL, skip_note = NULL,
                   skip_decided_at = NULL
             WHERE projection = :projection AND generation = :generation AND segment = :segment AND owner = :me
               AND failed_offset = :offset AND skip_decided_at IS NOT NULL""";

    private static final String LOCK_SEGMENT = """
            SELECT checkpoint FROM kappa_projection_segments
             WHERE projection = :projection AND generation = :generation AND segment = :segment FOR UPDATE""";

    private static final String CLEAR_FAILURES = """
            WITH cleared AS (
                UPDATE kappa_projection_segments
                   SET failed_offset = NULL, failed_type = NULL, error_type = NULL, error_message = NULL,
                       failed_attempts = NULL, failed_at = NULL, updated_at = :now
                 WHERE projection = :projection AND failed_offset IS NOT NULL
                RETURNING segment
            )
            SELECT pg_notify('""" + CHANNEL + "', :payload) FROM cleared";

    private static final String LOCK_GENERATION = """
            SELECT segment FROM kappa_projection_segments
             WHERE projection = :projection AND generation = :generation ORDER BY segment FOR UPDATE""";

    private static final String RESET = """
            UPDATE kappa_projection_segments
               SET checkpoint = :offset, caught_up = false, updated_at = :now, failed_offset = NULL,
                   failed_type = NULL, error_type = NULL, error_message = NULL, failed_attempts = NULL,
                   failed_at = NULL
             WHERE projection = :projection AND generation = :generation""";

    private static final String READ = """
            SELECT segment, checkpoint, caught_up, owner, coalesce(lease_until >= now(), false) AS lease_valid,
                   failed_offset, failed_type, error_type, error_message, failed_attempts, failed_at, skip_decided_by,
                   skip_note, skip_decided_at
              FROM kappa_projection_segments
             WHERE projection = :projection AND generation = :generation""";

    /** The active generation and its segment rows, in one statement, so both come from one snapshot. */
    private static final String READ_ACTIVE = """
            SELECT p.active_generation, s.segment, s.checkpoint, s.caught_up, s.owner,
                   coalesce(s.lease_until >= now(), false) AS lease_valid, s.failed_offset, s.failed_type,
                   s.error_type, s.error_message, s.failed_attempts, s.failed_at, s.skip_decided_by, s.skip_note,
                   s.skip_decided_at
              FROM kappa_projections p
              LEFT JOIN kappa_projection_segments s
                ON s.projection = p.projection AND s.generation = p.active_generation
             WHERE p.projection = :projection AND p.active_generation IS NOT NULL
             ORDER BY s.segment""";

    private static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', :payload)";

    private final NamedParameterJdbcTemplate jdbc;

    public PostgresSegments(DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    }

    /**
     * Moves the checkpoint from {@code from} to {@code to} and renews the lease, if this instance still owns the
     * segment and nobody moved the checkpoint meanwhile; notifies listeners at commit.
     *
     * @return whether it moved: {@code false} means the batch must roll back
     */
    public boolean advance(SegmentKey key, String me, long from, long to, boolean caughtUp, Duration lease,
                           Instant now) {
        MapSqlParameterSource params = params(key).addValue("me", me).addValue("from", from).addValue("to", to)
                .addValue("caughtUp", caughtUp).addValue("leaseMillis", lease.toMillis())
                .addValue("now", Timestamp.from(now)).addValue("payload", Notification.checkpoint(key, to));
        return countRows(ADVANCE, params) == 1;
    }

    /** Records that the segment stopped at an event, if this instance still owns it. */
    public void recordFailure(SegmentKey key, String me, ProjectionFailure failure) {
        jdbc.update(RECORD_FAILURE, params(key).addValue("me", me).addValue("offset", failure.offset())
                .addValue("eventType", failure.eventType()).addValue("errorType", failure.errorType())
                .addValue("message", failure.message()).addValue("attempts", failure.attempts())
                .addValue("failedAt", Timestamp.from(failure.failedAt())));
        notifyChanged(key.projection());
    }

    /**
     * Records an operator's decision to skip the event at {@code offset} in every segment of the projection stopped
     * there, and tells every runtime; the workers holding them act on it.
     *
     * @return the segments the decision applies to; none if no segment is stopped at that offset
     */
    public List<SegmentKey> decideSkip(String projection, long offset, DeadLetter.Decision decision) {
        return jdbc.query(DECIDE_SKIP, new MapSqlParameterSource("projection", projection).addValue("offset", offset)
                        .addValue("by", decision.by()).addValue("note", decision.note())
                        .addValue("at", Timestamp.from(decision.at()))
                        .addValue("payload", Notification.changed(projection)),
                (rs, n) -> new SegmentKey(projection, rs.getInt("generation"), rs.getInt("segment")));
    }

    /**
     * Clears the failure at {@code offset} and the decision to skip it, in the caller's transaction, if this instance
     * owns the segment and the decision still stands.
     *
     * @return whether it did: {@code false} means the decision was withdrawn (a restart or reset) meanwhile
     */
    public boolean clearSkipped(SegmentKey key, String me, long offset) {
        return jdbc.update(CLEAR_SKIPPED, params(key).addValue("me", me).addValue("offset", offset)) == 1;
    }

    /**
     * Locks a segment's row until the transaction ends, so that no batch of the segment commits meanwhile.
     *
     * @return its checkpoint, or empty if its generation is gone
     */
    public Optional<Long> lockSegment(SegmentKey key) {
        return jdbc.queryForList(LOCK_SEGMENT, params(key), Long.class).stream().findFirst();
    }

    /** Clears the failures of every segment of a projection, wherever they are processed. */
    public void clearFailures(String projection, Instant now) {
        countRows(CLEAR_FAILURES, new MapSqlParameterSource("projection", projection)
                .addValue("now", Timestamp.from(now)).addValue("payload", Notification.changed(projection)));
    }

    /**
     * Locks a generation's segment rows until the transaction ends: a worker's batch in flight commits first, and
     * none can commit after.
     */
    public void lockGeneration(String projection, int generation) {
        jdbc.queryForList(LOCK_GENERATION, new MapSqlParameterSource("projection", projection)
                .addValue("generation", generation), Integer.class);
    }

    /** Sets every segment of a generation to {@code offset} and clears their failures, in the caller's transaction. */
    public void resetGeneration(String projection, int generation, long offset, Instant now) {
        jdbc.update(RESET, new MapSqlParameterSource("projection", projection).addValue("generation", generation)
                .addValue("offset", offset).addValue("now", Timestamp.from(now)));
        notifyChanged(projection);
    }

    /** Every segment row of a generation, by segment. */
    public List<SegmentRow> read(String projection, int generation) {
        return jdbc.query(READ + " ORDER BY segment", new MapSqlParameterSource("projection", projection)
                .addValue("generation", generation), (rs, n) -> row(rs));
    }

    /**
     * The generation readers use and its segment rows, read in one round trip: what a checkpoint wait confirms
     * before it answers. Empty if the projection has no active generation yet.
     */
    public Optional<ActiveSegments> readActive(String projection) {
        List<ActiveSegments> found = new ArrayList<>(1);
        jdbc.query(READ_ACTIVE, new MapSqlParameterSource("projection", projection), rs -> {
            if (found.isEmpty()) {
                found.add(new ActiveSegments(rs.getInt("active_generation"), new ArrayList<>()));
            }
            rs.getInt("segment");
            if (!rs.wasNull()) {
                found.get(0).rows().add(row(rs));
            }
        });
        return found.stream().findFirst();
    }

    /**
     * The active generation of a projection and its segments' rows.
     *
     * @param generation the generation readers use
     * @param rows       its segments' rows, by segment (none if they are not created yet)
     */
    public record ActiveSegments(int generation, List<SegmentRow> rows) {
    }

    /** One segment row, if its generation still exists. */
    public Optional<SegmentRow> read(SegmentKey key) {
        return jdbc.query(READ + " AND segment = :segment", params(key), (rs, n) -> row(rs)).stream().findFirst();
    }

    /** Tells every runtime that the projection changed (reset, switch, failure cleared): they look again. */
    public void notifyChanged(String projection) {
        countRows(NOTIFY, new MapSqlParameterSource("payload", Notification.changed(projection)));
    }

    private int countRows(String sql, MapSqlParameterSource params) {
        int[] rows = {0};
        // pg_notify returns void: count the rows without reading the column
        jdbc.query(sql, params, rs -> {
            rows[0]++;
        });
        return rows[0];
    }

    private static MapSqlParameterSource params(SegmentKey key) {
        return new MapSqlParameterSource("projection", key.projection()).addValue("generation", key.generation())
                .addValue("segment", key.segment());
    }

    /**
     * Maps a segment row (also the leases' statements' answers). A failure an operator decided to skip is no longer
     * a failure: it is a skip the worker is to carry out.
     */
    public static SegmentRow row(ResultSet rs) throws SQLException {
        long failedOffset = rs.getLong("failed_offset");
        Optional<ProjectionFailure> failure = rs.wasNull() ? Optional.empty()
                : Optional.of(new ProjectionFailure(failedOffset, rs.getString("failed_type"),
                        rs.getString("error_type"), rs.getString("error_message"), rs.getInt("failed_attempts"),
                        rs.getTimestamp("failed_at").toInstant()));
        SegmentRow row = new SegmentRow(rs.getInt("segment"), rs.getLong("checkpoint"), rs.getBoolean("caught_up"),
                rs.getString("owner"), rs.getBoolean("lease_valid"), failure);
        Timestamp decidedAt = rs.getTimestamp("skip_decided_at");
        if (failure.isEmpty() || decidedAt == null) {
            return row;
        }
        return row.skipping(SkipDecision.byOperator(failure.get(), new DeadLetter.Decision(
                rs.getString("skip_decided_by"), rs.getString("skip_note"), decidedAt.toInstant())));
    }
}
