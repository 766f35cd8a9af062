package dev.kappa.projections;

import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Counts the events of every stream in {@code event_counts}, one {@code JdbcTemplate} statement per event, joining the
 * worker's transaction: the projection of the exactly-once tests. Every event type counts, {@code Note} included. A
 * count cannot be taken back to an earlier offset, so its reset handler clears the table and it can be reset only to 0.
 */
@Projection("event-counts")
class CountingProjection {

    static final String TABLE = """
            CREATE TABLE event_counts (stream_id text PRIMARY KEY, events bigint NOT NULL, last_offset bigint NOT NULL)
            """;

    final AtomicLong handled = new AtomicLong();
    /** Makes the reset handler fail after it deleted the rows, as a full disk or a lost connection would. */
    volatile boolean resetFails;
    private final JdbcTemplate jdbc;

    CountingProjection(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.execute(TABLE.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"));
    }

    @EventHandler
    void on(Object event, EventContext context) {
        handled.incrementAndGet();
        jdbc.update("""
                INSERT INTO event_counts (stream_id, events, last_offset) VALUES (?, 1, ?)
                ON CONFLICT (stream_id) DO UPDATE SET events = event_counts.events + 1, last_offset = EXCLUDED.last_offset
                """, context.streamId(), context.offset());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM event_counts");
        if (resetFails) {
            throw new IllegalStateException("the reset failed after deleting the counts");
        }
    }
}
