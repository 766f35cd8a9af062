package dev.kappa.projections.internal.deadletter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import dev.kappa.eventstore.EventCodec;
import dev.kappa.eventstore.EventMetadata;
import dev.kappa.eventstore.LogRecord;
import dev.kappa.projections.DeadLetter;
import dev.kappa.projections.ProjectionFailure;
import dev.kappa.projections.internal.segment.SegmentKey;

/**
 * The dead-letter table. A letter is written in the transaction that moves the checkpoint past its event, so an event
 * is parked exactly once; it keeps a copy of the event, so that it can be replayed even after a compaction removed
 * the event from the log. Thread-safe.
 */
public final class PostgresDeadLetters {

    /**
     * Parking an event again (the projection was reset to before it, and it failed again) replaces the letter: its
     * error, decision and replay are the latest ones.
     */
    private static final String PARK = """
            INSERT INTO kappa_projection_dead_letters (projection, generation, segment, event_offset, stream_id,
                   stream_version, event_type, payload, event_id, correlation_id, causation_id, recorded_at, metadata,
                   error_type, error_message, attempts, failed_at, state, decided_by, note, decided_at, event_position)
            VALUES (:projection, :generation, :segment, :offset, :streamId, :streamVersion, :eventType,
                    CAST(:payload AS jsonb), :eventId, :correlationId, :causationId, :recordedAt,
                    CAST(:metadata AS jsonb), :errorType, :message, :attempts, :failedAt, :state, :decidedBy, :note,
                    :decidedAt, :position)
            ON CONFLICT (projection, generation, event_offset) DO UPDATE
               SET segment = excluded.segment, stream_id = excluded.stream_id,
                   stream_version = excluded.stream_version, event_type = excluded.event_type,
                   payload = excluded.payload, event_id = excluded.event_id,
                   correlation_id = excluded.correlation_id, causation_id = excluded.causation_id,
                   recorded_at = excluded.recorded_at, metadata = excluded.metadata,
                   error_type = excluded.error_type, error_message = excluded.error_message,
                   attempts = excluded.attempts, failed_at = excluded.failed_at, state = excluded.state,
                   decided_by = excluded.decided_by, note = excluded.note, decided_at = excluded.decided_at,
                   event_position = excluded.event_position, replayed_by = NULL, replayed_at = NULL""";

    private static final String COLUMNS = """
            projection, generation, segment, event_offset, stream_id, stream_version, event_type, payload::text
                   AS payload_text, event_id, correlation_id, causation_id, recorded_at, metadata::text AS metadata_text,
                   error_type, error_message, attempts, failed_at, state, decided_by, note, decided_at, replayed_by,
                   replayed_at""";

    private static final String LIST = "SELECT " + COLUMNS + """

              FROM kappa_projection_dead_letters WHERE projection = :projection ORDER BY decided_at, event_offset""";

    private static final String NEWEST = "SELECT * FROM (SELECT " + COLUMNS + """

              FROM kappa_projection_dead_letters WHERE projection = :projection
             ORDER BY decided_at DESC, event_offset DESC LIMIT :newest) newest ORDER BY decided_at, event_offset""";

    private static final String LOCK = "SELECT " + COLUMNS + """

              FROM kappa_projection_dead_letters
             WHERE projection = :projection AND generation = :generation AND event_offset = :offset FOR UPDATE""";

    private static final String POSITION = """
            SELECT coalesce(event_position, event_offset) FROM kappa_projection_dead_letters
             WHERE projection = :projection AND generation = :generation AND event_offset = :offset""";

    private static final String REPLAYED = """
            UPDATE kappa_projection_dead_letters
               SET state = 'REPLAYED', replayed_by = :by, replayed_at = :at, attempts = attempts + 1
             WHERE projection = :projection AND generation = :generation AND event_offset = :offset
               AND state <> 'REPLAYED'""";

    private static final String REPLAY_FAILED = """
            UPDATE kappa_projection_dead_letters
               SET error_type = :errorType, error_message = :message, failed_at = :failedAt, attempts = attempts + 1
             WHERE projection = :projection AND generation = :generation AND event_offset = :offset
               AND state <> 'REPLAYED'""";

    private final NamedParameterJdbcTemplate jdbc;
    private final EventCodec codec;

    /** @param codec writes and reads the events' free metadata entries */
    public PostgresDeadLetters(DataSource dataSource, EventCodec codec) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.codec = codec;
    }

    /**
     * Parks an event, in the caller's transaction.
     *
     * @param key      the segment that moves past it
     * @param record   the event
     * @param position its position in the segment (its log offset where the segment reads the log)
     * @param decision why it is parked, and the last error
     */
    public void park(SegmentKey key, LogRecord record, long position, SkipDecision decision) {
        ProjectionFailure failure = decision.failure();
        EventMetadata metadata = record.metadata();
        jdbc.update(PARK, new MapSqlParameterSource("projection", key.projection())
                .addValue("generation", key.generation()).addValue("segment", key.segment())
                .addValue("offset", record.offset()).addValue("streamId", record.streamId())
                .addValue("streamVersion", record.streamVersion()).addValue("eventType", record.type())
                .addValue("payload", record.payload()).addValue("eventId", metadata.eventId())
                .addValue("correlationId", metadata.correlationId()).addValue("causationId", metadata.causationId())
                .addValue("recordedAt", Timestamp.from(metadata.recordedAt()))
                .addValue("metadata", metadata.entries().isEmpty() ? null : codec.writeValue(metadata.entries()))
                .addValue("errorType", failure.errorType()).addValue("message", failure.message())
                .addValue("attempts", failure.attempts()).addValue("failedAt", Timestamp.from(failure.failedAt()))
                .addValue("state", decision.state().name()).addValue("decidedBy", decision.decision().by())
                .addValue("note", decision.decision().note())
                .addValue("decidedAt", Timestamp.from(decision.decision().at()))
                .addValue("position", position == record.offset() ? null : position));
    }

    /**
     * The position a letter's event has in its segment: its log offset, unless the segment reads a topic whose
     * partitions have positions of their own.
     */
    public long position(DeadLetter letter) {
        return jdbc.queryForList(POSITION, letterKey(letter.projection(), letter.generation(), letter.offset()),
                Long.class).stream().findFirst().orElse(letter.offset());
    }

    /** A projection's letters, in the order they were decided. */
    public List<DeadLetter> list(String projection) {
        return jdbc.query(LIST, new MapSqlParameterSource("projection", projection), (rs, n) -> letter(rs));
    }

    /** A projection's {@code newest} letters decided last, in the order they were decided. */
    public List<DeadLetter> newest(String projection, int newest) {
        return jdbc.query(NEWEST, new MapSqlParameterSource("projection", projection).addValue("newest", newest),
                (rs, n) -> letter(rs));
    }

    /** Locks a letter until the transaction ends, so that it is replayed once; empty if there is none. */
    public Optional<DeadLetter> lock(String projection, int generation, long offset) {
        return jdbc.query(LOCK, letterKey(projection, generation, offset), (rs, n) -> letter(rs)).stream()
                .findFirst();
    }

    /** Marks a letter replayed, in the replay's transaction. */
    public boolean replayed(DeadLetter letter, DeadLetter.Decision replay) {
        return jdbc.update(REPLAYED, letterKey(letter.projection(), letter.generation(), letter.offset())
                .addValue("by", replay.by()).addValue("at", Timestamp.from(replay.at()))) == 1;
    }

    /** Records the error of a replay that failed: the letter stays as it was, with this error as its last. */
    public void replayFailed(DeadLetter letter, ProjectionFailure failure) {
        jdbc.update(REPLAY_FAILED, letterKey(letter.projection(), letter.generation(), letter.offset())
                .addValue("errorType", failure.errorType()).addValue("message", failure.message())
                .addValue("failedAt", Timestamp.from(failure.failedAt())));
    }

    /**
     * The event a letter keeps, as the log held it.
     *
     * @throws IllegalStateException for a letter parked before Kappa kept a copy of the event
     */
    public static LogRecord record(DeadLetter letter) {
        if (letter.payload() == null || letter.metadata() == null) {
            throw new IllegalStateException("the dead letter of projection '" + letter.projection() + "' at offset "
                    + letter.offset() + " was parked before Kappa kept a copy of the event, so it cannot be"
                    + " replayed: reset the projection to before offset " + letter.offset() + " to apply it again");
        }
        return new LogRecord(letter.offset(), letter.streamId(), letter.streamVersion(), letter.eventType(),
                letter.payload(), letter.metadata(), null, false);
    }

    private DeadLetter letter(ResultSet rs) throws SQLException {
        UUID eventId = rs.getObject("event_id", UUID.class);
        EventMetadata metadata = null;
        if (eventId != null) {
            String entries = rs.getString("metadata_text");
            @SuppressWarnings("unchecked")
            Map<String, String> map = entries == null ? Map.of() : codec.readValue(entries, Map.class);
            metadata = new EventMetadata(eventId, rs.getString("correlation_id"), rs.getString("causation_id"),
                    rs.getTimestamp("recorded_at").toInstant(), map);
        }
        Timestamp replayedAt = rs.getTimestamp("replayed_at");
        return new DeadLetter(rs.getString("projection"), rs.getInt("generation"), rs.getInt("segment"),
                rs.getLong("event_offset"), rs.getString("stream_id"), rs.getLong("stream_version"),
                rs.getString("event_type"), rs.getString("payload_text"), metadata, rs.getString("error_type"),
                rs.getString("error_message"), rs.getInt("attempts"), rs.getTimestamp("failed_at").toInstant(),
                DeadLetter.State.valueOf(rs.getString("state")),
                new DeadLetter.Decision(rs.getString("decided_by"), rs.getString("note"),
                        rs.getTimestamp("decided_at").toInstant()),
                replayedAt == null ? Optional.empty() : Optional.of(new DeadLetter.Decision(rs.getString("replayed_by"),
                        "", replayedAt.toInstant())));
    }

    private static MapSqlParameterSource letterKey(String projection, int generation, long offset) {
        return new MapSqlParameterSource("projection", projection).addValue("generation", generation)
                .addValue("offset", offset);
    }
}
