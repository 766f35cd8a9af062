package dev.kappa.projections.internal.postgres;

import java.sql.Timestamp;
import java.util.List;
import javax.sql.DataSource;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import dev.kappa.projections.DeadLetter;

/**
 * The dead-letter table. A letter is written in the transaction that moves the checkpoint past its event, so an event
 * is parked exactly once. Thread-safe.
 */
public final class PostgresDeadLetters {

    private static final String INSERT = """
            INSERT INTO kappa_projection_dead_letters (projection, generation, segment, event_offset, stream_id,
                   event_type, error_type, error_message, attempts, failed_at)
            VALUES (:projection, :generation, :segment, :offset, :streamId, :eventType, :errorType, :message,
                    :attempts, :failedAt)""";

    private static final String LIST = """
            SELECT projection, generation, segment, event_offset, stream_id, event_type, error_type, error_message,
                   attempts, failed_at
              FROM kappa_projection_dead_letters WHERE projection = :projection ORDER BY failed_at, event_offset""";

    private final NamedParameterJdbcTemplate jdbc;

    public PostgresDeadLetters(DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    }

    /** Parks an event, in the caller's transaction. */
    public void park(DeadLetter letter) {
        jdbc.update(INSERT, new MapSqlParameterSource("projection", letter.projection())
                .addValue("generation", letter.generation()).addValue("segment", letter.segment())
                .addValue("offset", letter.offset()).addValue("streamId", letter.streamId())
                .addValue("eventType", letter.eventType()).addValue("errorType", letter.errorType())
                .addValue("message", letter.message()).addValue("attempts", letter.attempts())
                .addValue("failedAt", Timestamp.from(letter.failedAt())));
    }

    /** A projection's letters, oldest first. */
    public List<DeadLetter> list(String projection) {
        return jdbc.query(LIST, new MapSqlParameterSource("projection", projection), (rs, n) -> new DeadLetter(
                rs.getString("projection"), rs.getInt("generation"), rs.getInt("segment"), rs.getLong("event_offset"),
                rs.getString("stream_id"), rs.getString("event_type"), rs.getString("error_type"),
                rs.getString("error_message"), rs.getInt("attempts"), rs.getTimestamp("failed_at").toInstant()));
    }
}
