package dev.kappa.console.internal.action;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.kappa.console.internal.state.ConsoleState.ActionRecord;

/**
 * The record of every action attempted in the console, in {@code kappa_console_actions}: shared by every instance on
 * the database, so that each shows the same log.
 *
 * <p>Thread-safe.
 */
public final class ActionLog {

    private static final String INSERT = """
            INSERT INTO kappa_console_actions (at, by_user, projection, action, event_offset, note, outcome, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """;
    private static final String LATEST = """
            SELECT at, by_user, projection, action, event_offset, note, outcome, detail
            FROM kappa_console_actions ORDER BY id DESC LIMIT ?
            """;

    private final JdbcTemplate jdbc;

    public ActionLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records an action. */
    public void record(ActionRecord action) {
        jdbc.update(INSERT, Timestamp.from(Instant.parse(action.at())), action.user(), action.projection(),
                action.action(), action.offset(), action.note(), action.outcome(), action.detail());
    }

    /** The latest {@code limit} actions, newest first. */
    public List<ActionRecord> latest(int limit) {
        return jdbc.query(LATEST, (row, number) -> new ActionRecord(row.getTimestamp("at").toInstant().toString(),
                row.getString("by_user"), row.getString("projection"), row.getString("action"),
                (Long) row.getObject("event_offset", Long.class), row.getString("note"), row.getString("outcome"),
                row.getString("detail")), limit);
    }
}
