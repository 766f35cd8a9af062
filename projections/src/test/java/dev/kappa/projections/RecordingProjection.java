package dev.kappa.projections;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.projections.TestEvents.Poison;

/**
 * Records every event it applies as a row of {@code <table>} (offset, stream, version, segment), and throws on a
 * {@link Poison} event while {@link #poisoned} is set: the projection of the failure and reset tests. Its reset
 * handler deletes the rows above the reset offset, so it can go back to any offset, and says so.
 */
class RecordingProjection {

    final AtomicInteger handled = new AtomicInteger();
    final AtomicInteger poisonAttempts = new AtomicInteger();
    volatile boolean poisoned = true;
    /** Throws this many times on a poison event before it lets it through, whatever {@link #poisoned} says. */
    volatile int failuresBeforeSuccess = Integer.MAX_VALUE;
    /** The message a poison event fails with, instead of "poisoned: " and its text, when set. */
    volatile String complaint;
    private final String table;
    private final JdbcTemplate jdbc;

    RecordingProjection(DataSource dataSource, String table) {
        this.table = table;
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + table + " (event_offset bigint PRIMARY KEY, stream_id text NOT"
                + " NULL, stream_version bigint NOT NULL, segment integer NOT NULL, applied bigserial)");
    }

    @EventHandler
    void on(Object event, EventContext context) {
        if (event instanceof Poison poison) {
            int attempt = poisonAttempts.incrementAndGet();
            if (poisoned && attempt <= failuresBeforeSuccess) {
                throw new IllegalStateException(complaint != null ? complaint : "poisoned: " + poison.text());
            }
        }
        handled.incrementAndGet();
        jdbc.update("INSERT INTO " + table + " (event_offset, stream_id, stream_version, segment) VALUES (?, ?, ?, ?)",
                context.offset(), context.streamId(), context.streamVersion(), context.segment());
    }

    @ResetHandler(toOffset = true)
    void reset(ResetContext context) {
        jdbc.update("DELETE FROM " + table + " WHERE event_offset > ?", context.toOffset());
    }

    /** Registered as "recording", stopping at a failing event. */
    @Projection("recording")
    static final class Stopping extends RecordingProjection {
        Stopping(DataSource dataSource) {
            super(dataSource, "recorded");
        }
    }

    /** Registered as "parking", parking a failing event in the dead-letter table. */
    @Projection(value = "parking", onFailure = FailureMode.DEAD_LETTER)
    static final class Parking extends RecordingProjection {
        Parking(DataSource dataSource) {
            super(dataSource, "parked_recorded");
        }
    }

    /** Registered as "segmented", in two segments. */
    @Projection(value = "segmented", segments = 2)
    static final class Segmented extends RecordingProjection {
        Segmented(DataSource dataSource) {
            super(dataSource, "segmented_recorded");
        }
    }
}
